"""Project 8's judges: in the toolkit's process, they decide from what the learner's
``vae`` package returned (see ``probes``). Every number that decides is recomputed here:
the KL from its closed form, the Bernoulli likelihood from the decoded pixels, the ELBO
before and after training, a classifier's view of the samples."""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from buildreal.projects.checking import Evidence
from buildreal.projects.data import FASHION_CLASSES, DataUnavailable, load_fashion_mnist
from buildreal.projects.p8_vae import plan
from buildreal.projects.sandbox import Failed

CLASSIFIER_N = 4000  # test images the judges' own classifier is fitted on
# Samples are plausible when the classifier (81% accurate on held-out real images, mean
# top probability 0.83 there) is on average this sure of them, and no single class takes
# more than MAX_SHARE of them: a constant or noise image gets one class for all samples.
MIN_CONFIDENCE, MAX_SHARE, MIN_CLASSES = 0.45, 0.4, 5


def _unit(images: np.ndarray) -> np.ndarray:
    """uint8 (N, 28, 28) -> float32 (N, 1, 28, 28) in [0, 1]: Bernoulli probabilities."""
    return (images.astype(np.float32) / 255.0)[:, None]


def make_inputs() -> dict[str, Any]:
    """Fixed training and held-out images, fixed noise and fixed Gaussians."""
    try:
        images, _labels = load_fashion_mnist("train")
    except DataUnavailable as exc:
        raise Failed(f"cannot judge without the data: {exc}") from exc
    rng = np.random.default_rng(8)
    return {
        "x_train": _unit(images[: plan.TRAIN_N]),
        "x_val": _unit(images[-plan.VAL_N:]),
        "eps": rng.standard_normal((plan.VAL_N, 64)).astype(np.float32),
        "kl_mu": rng.normal(0.0, 1.5, (plan.KL_N, 4)).astype(np.float32),
        "kl_logvar": rng.uniform(-2.5, 1.5, (plan.KL_N, 4)).astype(np.float32),
        "x_hat_fixed": rng.uniform(0.05, 0.95, (plan.KL_N, 1, 28, 28)).astype(np.float32),
    }


def closed_form_kl(mu: np.ndarray, logvar: np.ndarray) -> np.ndarray:
    """KL(N(mu, exp(logvar)) || N(0, I)) per row (Kingma & Welling 2014, appendix B)."""
    return 0.5 * np.sum(np.exp(logvar) + mu**2 - 1.0 - logvar, axis=1)


def bernoulli_nll(x_hat: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Per-image binary cross-entropy in nats, summed over pixels (log clamped at -100
    exactly as torch's binary_cross_entropy does)."""
    p = x_hat.reshape(len(x_hat), -1)
    t = x.reshape(len(x), -1)
    log_p = np.maximum(np.log(np.clip(p, 0.0, None)), -100.0)
    log_q = np.maximum(np.log(np.clip(1.0 - p, 0.0, None)), -100.0)
    return -(t * log_p + (1.0 - t) * log_q).sum(axis=1)


def _close(a: np.ndarray | float, b: np.ndarray | float, rtol: float = 1e-3) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=1e-3))


def kl_term(ev: Evidence) -> str:
    mu, logvar = ev.inputs["kl_mu"].astype(np.float64), ev.inputs["kl_logvar"].astype(np.float64)
    want = closed_form_kl(mu, logvar)
    got = ev.array("kl")
    if got.shape != want.shape:
        if got.size == 1 and (_close(got.item(), want.sum()) or _close(got.item(), want.mean())):
            raise Failed("kl_divergence returns one number for the batch; return one KL per "
                         f"example, shape ({len(want)},), and average in elbo_loss")
        raise Failed(f"kl_divergence returned shape {got.shape} for mu of shape {mu.shape}; "
                     f"expected ({len(want)},): sum over the latent dimensions, keep the batch")
    if _close(got, want):
        return f"KL equals the closed form on {len(want)} fixed Gaussians (mean {want.mean():.3f})"
    if _close(got, -want):
        raise Failed("your KL has its sign flipped: it comes out negative "
                     f"({got.mean():.3f} on average, closed form {want.mean():.3f}); a KL "
                     "divergence is never negative: 0.5 * sum(exp(logvar) + mu^2 - 1 - logvar)")
    if _close(got * mu.shape[1], want):
        raise Failed(f"your KL averages over the {mu.shape[1]} latent dimensions (it is "
                     f"{mu.shape[1]} times too small): sum them, "
                     "0.5 * sum(exp(logvar) + mu^2 - 1 - logvar) over dim=1")
    if _close(got, 2 * want) or _close(got, 0.5 * want):
        raise Failed(f"your KL is {got.mean() / want.mean():.2f} times the closed form: the "
                     "factor is 0.5 * sum(exp(logvar) + mu^2 - 1 - logvar)")
    with np.errstate(divide="ignore"):
        as_std = 0.5 * np.sum(logvar**2 + mu**2 - 1.0 - np.log(logvar**2), axis=1)
        as_var = 0.5 * np.sum(logvar + mu**2 - 1.0 - np.log(np.abs(logvar)), axis=1)
    if _close(got, as_std) or _close(got, as_var) or (got < -1e-6).any():
        raise Failed("your KL treats the log-variance as a standard deviation or variance: "
                     f"on fixed Gaussians it gives {got[:3].round(3).tolist()} where the "
                     f"closed form gives {want[:3].round(3).tolist()}. logvar is log(sigma^2), "
                     "so sigma^2 = exp(logvar)")
    raise Failed(f"your KL differs from the closed form: {got[:3].round(3).tolist()} vs "
                 f"{want[:3].round(3).tolist()} on the first fixed Gaussians; check each term "
                 "of 0.5 * sum(exp(logvar) + mu^2 - 1 - logvar), summed over latent "
                 "dimensions, with the log-variance logvar = log(sigma^2)")


def recon_term(ev: Evidence) -> str:
    x = ev.inputs["x_val"][: plan.KL_N].astype(np.float64)
    x_hat = ev.inputs["x_hat_fixed"].astype(np.float64)
    want = bernoulli_nll(x_hat, x)
    got = ev.array("recon")
    if got.shape != want.shape:
        raise Failed(f"reconstruction_nll returned shape {got.shape}; expected "
                     f"({len(want)},): one negative log-likelihood per image, summed over "
                     "its 784 pixels")
    if _close(got, want):
        return f"Bernoulli negative log-likelihood matches, {want.mean():.1f} nats per image"
    if _close(got * 784, want):
        raise Failed("your reconstruction term averages over pixels (it is 784 times too "
                     "small), so the KL dominates and samples blur: sum over the pixels of "
                     "each image")
    logits = torch.from_numpy(x_hat)
    if _close(got, ((x_hat - x) ** 2).reshape(len(x), -1).sum(1)):
        raise Failed("your reconstruction term is the squared error, not the Bernoulli "
                     "negative log-likelihood: use binary_cross_entropy on the decoder's "
                     "probabilities, summed over the pixels of each image")
    twice = F.binary_cross_entropy_with_logits(logits, torch.from_numpy(x), reduction="none")
    if _close(got, twice.flatten(1).sum(1).numpy()):
        raise Failed("you apply the sigmoid twice: your decoder already outputs "
                     "probabilities, and binary_cross_entropy_with_logits squashes them again. "
                     "Use binary_cross_entropy on probabilities (or return logits and use "
                     "the with_logits loss)")
    raise Failed(f"your reconstruction term gives {got[:3].round(2).tolist()} nats where the "
                 f"Bernoulli negative log-likelihood is {want[:3].round(2).tolist()}")


def loss_scale(ev: Evidence) -> str:
    x = ev.inputs["x_val"][: plan.KL_N].astype(np.float64)
    recon = bernoulli_nll(ev.inputs["x_hat_fixed"].astype(np.float64), x)
    kl = closed_form_kl(ev.inputs["kl_mu"].astype(np.float64),
                        ev.inputs["kl_logvar"].astype(np.float64))
    want = float(np.mean(recon + kl))
    got = ev.number("loss")
    if not _close(got, want):
        if _close(got, recon.mean() + kl.sum()):
            raise Failed("your loss sums the KL over the batch but averages the "
                         f"reconstruction ({got:.1f} instead of {want:.1f}): the KL weighs "
                         f"{len(kl)} times too much. Average both per image")
        if _close(got, recon.sum() + kl.mean()):
            raise Failed("your loss sums the reconstruction over the batch but averages the "
                         "KL: the two terms are on different scales. Average both per image")
        if _close(got, -want):
            raise Failed(f"elbo_loss returns {got:.1f}, the ELBO itself; return its negative "
                         "(the quantity to minimise)")
        raise Failed(f"elbo_loss gives {got:.2f} on fixed inputs; the mean over the batch of "
                     f"reconstruction + KL is {want:.2f}")
    want_half = float(np.mean(recon + 0.5 * kl))
    got_half = ev.number("loss_half_beta")
    if not _close(got_half, want_half):
        raise Failed(f"with beta=0.5 elbo_loss gives {got_half:.2f}, expected {want_half:.2f}: "
                     "beta must multiply the KL term only")
    return f"loss {got:.2f} = mean(recon + beta * KL) per image, beta applied to the KL"


def warmup(ev: Evidence) -> str:
    betas = np.asarray(ev.items("betas"), dtype=np.float64)
    steps = np.arange(0, 301, 10)
    if len(betas) != len(steps):
        raise Failed("beta_at did not return one number per step")
    if betas[0] > 0.05:
        raise Failed(f"beta_at(0, warmup_steps=100) is {betas[0]:.2f}: a warm-up starts near 0")
    if (np.diff(betas) < -1e-9).any():
        where = int(steps[1:][np.diff(betas) < -1e-9][0])
        raise Failed(f"your beta goes down again at step {where}: a warm-up rises, then stays")
    late = betas[steps >= 100]
    if late.max() > 1.0 + 1e-6:
        raise Failed(f"your beta keeps rising past beta_max: beta_at(step, 100, 1.0) reaches "
                     f"{late.max():.3f} by step 300. Cap it, beta_max * min(1, step / "
                     "warmup_steps)")
    if not np.allclose(late, 1.0, atol=1e-6):
        raise Failed(f"your warm-up never reaches the full beta: beta_at(step, 100, 1.0) "
                     f"is {late.min():.3f} to {late.max():.3f} after step 100, so training "
                     "optimises a weakened ELBO for ever")
    return "beta rises from 0 to 1 over 100 steps and stays at 1"


def reparam_grad(ev: Evidence) -> str:
    mu, logvar = ev.inputs["kl_mu"].astype(np.float64), ev.inputs["kl_logvar"].astype(np.float64)
    z = ev.array("z", shape=mu.shape)
    if not ev.flag("z_requires_grad") or ev.get("grad_mu") is None \
            or ev.get("grad_logvar") is None:
        raise Failed("your sample z carries no gradient back to mu and logvar: it was drawn "
                     "outside the graph (torch.normal, torch.no_grad or detach). Write "
                     "z = mu + exp(0.5 * logvar) * eps with only eps drawn at random")
    many = ev.array("many", shape=(plan.PRIOR_N, 2))
    spread = many.std(axis=0)
    if spread.max() < 1e-6 and not np.allclose(z, mu, atol=1e-6):
        raise Failed(f"every row gets the same noise: {plan.PRIOR_N} samples of one Gaussian "
                     "all came out equal. Draw eps with the shape of mu (one draw per "
                     "example and dimension), not one vector shared by the batch")
    if spread.max() < 1e-6 or np.allclose(z, mu, atol=1e-6):
        raise Failed("your z equals mu: no noise is added, so the model is a plain "
                     "autoencoder and the KL cannot shape the latent space")
    if not (abs(spread[0] - 1.0) < 0.1 and abs(spread[1] - 2.0) < 0.2):
        raise Failed(f"for logvar = log(1) and log(4) your samples spread with std "
                     f"{spread[0]:.2f} and {spread[1]:.2f}, expected 1 and 2: sigma is "
                     "exp(0.5 * logvar), not exp(logvar) or logvar")
    if abs(many.mean(axis=0) - 1.5).max() > 0.15:
        raise Failed(f"your samples are centred at {many.mean(axis=0).round(2).tolist()}, "
                     "not at mu = 1.5")
    g_mu = ev.array("grad_mu", shape=mu.shape)
    g_lv = ev.array("grad_logvar", shape=mu.shape)
    eps = (z - mu) / np.exp(0.5 * logvar)
    if not np.allclose(g_mu, 1.0, atol=1e-4) or not np.allclose(g_lv, 0.5 * eps * np.exp(
            0.5 * logvar), atol=1e-3):
        raise Failed("d z / d mu or d z / d logvar is not what z = mu + exp(0.5 * logvar) * eps "
                     "gives: is eps drawn once and used as is?")
    return "z = mu + sigma * eps: dz/dmu = 1 and dz/dlogvar = eps * sigma / 2 on fixed inputs"


def forward_samples(ev: Evidence) -> str:
    if ev.has("forward_error"):
        raise Failed(f"the model's training forward pass raised {ev.text('forward_error')}")
    a, b = ev.array("forward_a"), ev.array("forward_b")
    mean = ev.array("decoded_mu")
    if a.shape != b.shape or a.shape != mean.shape:
        raise Failed(f"model(x) returned reconstructions of shape {a.shape}; decode(mu) gives "
                     f"{mean.shape}")
    if np.allclose(a, b, atol=1e-7):
        said = " (it decodes mu itself)" if np.allclose(a, mean, atol=1e-6) else ""
        raise Failed("the training forward pass gives the same reconstruction twice"
                     f"{said}: it decodes no sample of q(z|x), so training never sees the "
                     "noise the KL prices. Decode z = reparameterize(mu, logvar) in forward")
    return (f"two training passes on 8 images differ by up to {np.abs(a - b).max():.3f}: "
            "each decodes a fresh sample of q(z|x)")


def kl_trained(ev: Evidence) -> str:
    mu = ev.array("after_mu", shape=(plan.VAL_N, plan.LATENT))
    logvar = ev.array("after_logvar", shape=(plan.VAL_N, plan.LATENT))
    kl = float(closed_form_kl(mu, logvar).mean())
    if not kl <= plan.MAX_KL:
        raise Failed(f"after training with beta = 1 the held-out KL is {kl:.0f} nats per image "
                     f"(above {plan.MAX_KL:.0f}): the encoder spreads its codes as if the KL "
                     "were not in the loss. Check that train_vae adds beta * KL (beta from "
                     "beta_at and config.beta) to the reconstruction term")
    return f"held-out KL {kl:.1f} nats per image after training"


def _judge_elbo(ev: Evidence, prefix: str) -> float:
    x = ev.inputs["x_val"].astype(np.float64)
    x_hat = ev.array(f"{prefix}_x_hat", shape=x.shape)
    if x_hat.min() < 0 or x_hat.max() > 1:
        raise Failed(f"your decoder returns values from {x_hat.min():.2f} to {x_hat.max():.2f}: "
                     "pixel probabilities must lie in [0, 1] (end decode with a sigmoid)")
    mu = ev.array(f"{prefix}_mu", shape=(len(x), plan.LATENT))
    logvar = ev.array(f"{prefix}_logvar", shape=(len(x), plan.LATENT))
    return float(-(bernoulli_nll(x_hat, x) + closed_form_kl(mu, logvar)).mean())


def elbo_improves(ev: Evidence) -> str:
    before, after = _judge_elbo(ev, "before"), _judge_elbo(ev, "after")
    if after - before < plan.ELBO_GAIN:
        raise Failed(f"after {plan.EPOCHS} epochs on {plan.TRAIN_N} images the held-out ELBO "
                     f"went from {before:.1f} to {after:.1f} nats per image; expected a gain "
                     f"of at least {plan.ELBO_GAIN:.0f}. Check that the optimizer minimises "
                     "the negative ELBO and steps every batch")
    return f"held-out ELBO {before:.1f} -> {after:.1f} nats per image"


def decoder_range(ev: Evidence) -> str:
    samples = ev.array("samples")
    if samples.shape != (plan.SAMPLES_N, 1, 28, 28):
        raise Failed(f"sample(model, {plan.SAMPLES_N}) returned shape {samples.shape}; "
                     f"expected ({plan.SAMPLES_N}, 1, 28, 28)")
    if samples.min() < 0 or samples.max() > 1:
        raise Failed(f"your decoder returns values from {samples.min():.2f} to "
                     f"{samples.max():.2f}: samples must be pixel probabilities in [0, 1] "
                     "(end decode with a sigmoid)")
    return f"{plan.SAMPLES_N} samples, pixels in [{samples.min():.2f}, {samples.max():.2f}]"


def prior(ev: Evidence) -> str:
    if ev.get("prior_z") is None:
        raise Failed("sample() never called model.decode: decode latent draws to make images")
    z = ev.array("prior_z", ndim=2)
    if z.shape != (plan.SAMPLES_N, plan.LATENT):
        raise Failed(f"sample() decoded z of shape {z.shape}; expected "
                     f"({plan.SAMPLES_N}, {plan.LATENT}), one prior draw per image")
    if abs(z.mean()) > 0.2 or not 0.85 < z.std() < 1.15 or abs(np.median(z)) > 0.2:
        raise Failed(f"sample() decodes z with mean {z.mean():.2f} and std {z.std():.2f}; new "
                     "images come from the prior N(0, I) (torch.randn), the distribution "
                     "the KL pulls every posterior towards")
    return f"z drawn from N(0, I): mean {z.mean():.2f}, std {z.std():.2f}"


class _TinyClassifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 8, 5, stride=2, padding=2), nn.ReLU(),
                                 nn.Flatten(), nn.Linear(8 * 14 * 14, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


@functools.lru_cache(maxsize=1)
def classifier() -> nn.Module:
    """A P3-style convolutional classifier, fitted here (never in the sandbox) on the first
    test images: the judge's own eye for what a garment looks like."""
    images, labels = load_fashion_mnist("test")
    x = torch.from_numpy(_unit(images[:CLASSIFIER_N]))
    y = torch.from_numpy(labels[:CLASSIFIER_N].astype(np.int64))
    torch.manual_seed(0)
    model = _TinyClassifier()
    gen = torch.Generator().manual_seed(0)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny model: on a shared CPU more threads only spin
    try:
        with torch.enable_grad():  # judges may be called under no_grad
            _fit(model, x, y, gen)
    finally:
        torch.set_num_threads(threads)
    return model.eval()


def _fit(model: nn.Module, x: torch.Tensor, y: torch.Tensor, gen: torch.Generator) -> None:
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _epoch in range(4):
        order = torch.randperm(len(x), generator=gen)
        for start in range(0, len(x), 100):
            idx = order[start:start + 100]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()


def plausible(ev: Evidence) -> str:
    samples = ev.array("samples", shape=(plan.SAMPLES_N, 1, 28, 28), dtype=np.float32)
    if samples.min() < 0 or samples.max() > 1:
        raise Failed("samples are not images in [0, 1]: see the decoder check")
    with torch.no_grad():
        probs = F.softmax(classifier()(torch.from_numpy(samples)), dim=1).numpy()
    confidence = float(probs.max(1).mean())
    counts = np.bincount(probs.argmax(1), minlength=10)
    top = int(counts.argmax())
    if confidence < MIN_CONFIDENCE:
        raise Failed(f"a classifier is unsure what your samples show (mean top probability "
                     f"{confidence:.2f}, below {MIN_CONFIDENCE}): they do not look like "
                     "garments yet")
    if counts.max() > MAX_SHARE * plan.SAMPLES_N or (counts > 0).sum() < MIN_CLASSES:
        raise Failed(f"{counts.max()} of {plan.SAMPLES_N} samples look like "
                     f"{FASHION_CLASSES[top]} and only {(counts > 0).sum()} classes appear: "
                     "the samples collapse onto few garments")
    return (f"mean top probability {confidence:.2f}; {(counts > 0).sum()} classes, the most "
            f"common ({FASHION_CLASSES[top]}) {counts.max()} of {plan.SAMPLES_N}")


def interpolation(ev: Evidence) -> str:
    steps = plan.INTERP_STEPS
    got = ev.array("interp")
    if got.shape != (steps, 1, 28, 28):
        raise Failed(f"interpolate(model, a, b, {steps}) returned shape {got.shape}; expected "
                     f"({steps}, 1, 28, 28)")
    want = ev.array("interp_expected", shape=got.shape)
    if not np.allclose(got, want, atol=2e-3):
        t = np.linspace(0.0, 1.0, steps)[:, None, None, None]
        if np.allclose(got[0], want[0], atol=2e-3) and not np.allclose(got[-1], want[-1],
                                                                         atol=2e-3):
            raise Failed("your interpolation starts at mu(a) but never reaches mu(b): the "
                         "last point must be b's code, t from 0 to 1 inclusive "
                         "(torch.linspace(0, 1, steps))")
        x = ev.inputs["x_val"].astype(np.float64)
        pixel_ends = [(want[0], want[-1]), (x[0], x[1])]
        if any(np.allclose(got, (1 - t) * a + t * b, atol=2e-3) for a, b in pixel_ends):
            raise Failed("your interpolation blends pixels (a cross-fade between two images); "
                         "interpolate the latent codes mu_a and mu_b, then decode each point")
        raise Failed("your interpolation differs from decoding evenly spaced points on the "
                     "line from mu(a) to mu(b) (largest pixel difference "
                     f"{np.abs(got - want).max():.2f}); use the encoder means as endpoints")
    moves = np.sqrt(((np.diff(got, axis=0)) ** 2).reshape(steps - 1, -1).sum(1))
    if moves.max() > 0.5 * moves.sum() + 1e-9:
        raise Failed(f"one step of the interpolation makes {moves.max() / moves.sum():.0%} of "
                     "the whole change: the path jumps instead of morphing")
    return (f"{steps} decodes along the latent line; the largest step is "
            f"{moves.max() / max(moves.sum(), 1e-12):.0%} of the path")


def reproducible(ev: Evidence) -> str:
    runs = ev.items("runs")
    if len(runs) != 3:
        raise Failed("expected three runs")
    a, b, c = (np.asarray(r, dtype=np.float64) for r in runs)
    if a.shape != b.shape or not np.array_equal(a, b):
        diff = np.abs(a - b).max() if a.shape == b.shape else float("nan")
        raise Failed(f"two runs with seed 3 give different samples (largest pixel difference "
                     f"{diff:.3f}): seed the weights, the shuffling and the noise from "
                     "config.seed, and draw samples from the generator you are given")
    if a.shape == c.shape and np.array_equal(a, c):
        raise Failed("seeds 3 and 4 give identical samples: the seed is ignored")
    return "same seed, same samples; a different seed, different samples"


_IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+\.png)\)")
_ELBO_NUMBER = re.compile(r"ELBO[^\n]{0,60}?-?\d+(\.\d+)?", re.IGNORECASE)


def report(ev: Evidence) -> str:
    text = ev.read_text("report.md")
    if text is None:
        raise Failed("no report.md next to vae/: write up your test ELBO and show samples "
                     "(run_vae_sample --out . writes one to copy)")
    if not _ELBO_NUMBER.search(text):
        raise Failed("report.md does not state a test ELBO with its number (nats per image)")
    links = _IMAGE_LINK.findall(text)
    if not links:
        raise Failed("report.md shows no samples: embed a PNG, e.g. ![samples](samples/grid.png)")
    root = ev.learner_dir.resolve()
    for link in links:
        path = (root / link).resolve()
        if path.is_relative_to(root) and path.is_file() \
                and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n":
            return f"report.md states the ELBO and shows {link}"
    raise Failed(f"report.md links {links[0]}, but no such PNG is in the project folder")
