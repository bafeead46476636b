"""Project 8's probes: run in the sandbox, they call the learner's ``vae`` package on
inputs the parent chose (fixed Gaussians, Fashion-MNIST images, fixed noise) and return
what came back as arrays. Verdicts are in ``judges``."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import torch

from buildreal.projects.p8_vae import plan
from buildreal.projects.probe_child import ProbeContext
from buildreal.projects.sandbox import Failed


def _t(ctx: ProbeContext, key: str) -> torch.Tensor:
    return torch.from_numpy(np.array(ctx.inputs[key]))


def _config(ctx: ProbeContext, **overrides: object) -> object:
    config_cls = ctx.require("TrainConfig")
    config = config_cls()
    unknown = [k for k in overrides if not hasattr(config, k)]
    if unknown:
        raise Failed(f"TrainConfig has no field {', '.join(unknown)}")
    return dataclasses.replace(config, **overrides) if dataclasses.is_dataclass(config) \
        else config_cls(**overrides)


def _out(value: object) -> object:
    return value.detach() if isinstance(value, torch.Tensor) else value


def terms(ctx: ProbeContext) -> dict[str, Any]:
    """The loss pieces on fixed inputs: KL, reconstruction and the whole loss."""
    kl_divergence, reconstruction_nll, elbo_loss, beta_at = ctx.require(
        "kl_divergence", "reconstruction_nll", "elbo_loss", "beta_at")
    mu, logvar = _t(ctx, "kl_mu"), _t(ctx, "kl_logvar")
    x, x_hat = _t(ctx, "x_val")[: plan.KL_N], _t(ctx, "x_hat_fixed")
    out: dict[str, Any] = {"kl": _out(kl_divergence(mu.clone(), logvar.clone())),
                           "recon": _out(reconstruction_nll(x_hat.clone(), x.clone()))}
    loss, _parts = elbo_loss(x.clone(), x_hat.clone(), mu.clone(), logvar.clone(), 1.0)
    out["loss"] = float(loss)
    loss_half, _parts = elbo_loss(x.clone(), x_hat.clone(), mu.clone(), logvar.clone(), 0.5)
    out["loss_half_beta"] = float(loss_half)
    out["betas"] = [float(beta_at(step, 100, 1.0)) for step in range(0, 301, 10)]
    return out


def reparam(ctx: ProbeContext) -> dict[str, Any]:
    """Gradients through one sample, and the spread of many samples of a fixed Gaussian."""
    reparameterize = ctx.require("reparameterize")
    mu = _t(ctx, "kl_mu").clone().requires_grad_(True)
    logvar = _t(ctx, "kl_logvar").clone().requires_grad_(True)
    z = reparameterize(mu, logvar, torch.Generator().manual_seed(0))
    out: dict[str, Any] = {"z": _out(z), "z_requires_grad": bool(z.requires_grad)}
    if z.requires_grad:
        z.sum().backward()
    out["grad_mu"] = mu.grad if mu.grad is not None else None
    out["grad_logvar"] = logvar.grad if logvar.grad is not None else None
    many_mu = torch.full((plan.PRIOR_N, 2), 1.5)
    many_logvar = torch.tensor([[0.0, np.log(4.0)]]).repeat(plan.PRIOR_N, 1).float()
    with torch.no_grad():
        out["many"] = reparameterize(many_mu, many_logvar, torch.Generator().manual_seed(1))
    # the training forward pass of a fresh model, twice on the same images: a sample of
    # q(z|x) is decoded, so the two reconstructions differ
    build_model = ctx.require("build_model")
    x = _t(ctx, "x_val")[:8]
    try:  # judged by its own check only, so a missing model leaves the checks above
        model = build_model(plan.LATENT, seed=0, width=plan.WIDTH)
        model.train()
        with torch.no_grad():
            try:
                out["forward_a"] = _out(model(x, torch.Generator().manual_seed(1))[0])
                out["forward_b"] = _out(model(x, torch.Generator().manual_seed(2))[0])
            except TypeError:  # a forward(x) without the generator argument
                out["forward_a"], out["forward_b"] = _out(model(x)[0]), _out(model(x)[0])
            out["decoded_mu"] = _out(model.decode(model.encode(x)[0]))
    except Exception as exc:
        out["forward_error"] = ctx.crash(exc)
    return out


def _elbo_inputs(model: Any, x: torch.Tensor, eps: torch.Tensor) -> dict[str, Any]:
    """Encode, sample with the parent's fixed noise, decode: what the judge's ELBO needs."""
    model.eval()
    with torch.no_grad():
        mu, logvar = model.encode(x)
        z = mu + torch.exp(0.5 * logvar) * eps[:, : mu.shape[1]]
        return {"mu": mu, "logvar": logvar, "x_hat": model.decode(z)}


def train(ctx: ProbeContext) -> dict[str, Any]:
    """Train briefly on a fixed subset; the ELBO before and after, samples from the prior
    (the z the decoder saw included) and an interpolation between two held-out images."""
    build_model, train_vae, sample, interpolate = ctx.require(
        "build_model", "train_vae", "sample", "interpolate")
    x, x_val, eps = _t(ctx, "x_train"), _t(ctx, "x_val"), _t(ctx, "eps")
    full_kl = {k: v for k, v in (("beta", 1.0), ("warmup_steps", 0))
               if hasattr(ctx.require("TrainConfig")(), k)}  # the plain ELBO
    config = _config(ctx, latent_dim=plan.LATENT, width=plan.WIDTH, epochs=plan.EPOCHS,
                     batch_size=plan.BATCH, lr=plan.LR, seed=0, **full_kl)
    before = _elbo_inputs(build_model(plan.LATENT, seed=0, width=plan.WIDTH), x_val, eps)
    model, history = train_vae(config, x)
    after = _elbo_inputs(model, x_val, eps)
    out: dict[str, Any] = {f"before_{k}": v for k, v in before.items()}
    out.update({f"after_{k}": v for k, v in after.items()})
    out["history_elbo"] = [float(v) for v in dict(history).get("elbo", [])]
    seen: list[torch.Tensor] = []
    real_decode = model.decode

    def recording(z: torch.Tensor) -> torch.Tensor:
        seen.append(z.detach().clone())
        return real_decode(z)

    model.decode = recording
    try:
        out["samples"] = _out(sample(model, plan.SAMPLES_N,
                                     generator=torch.Generator().manual_seed(5)))
    finally:
        del model.decode
    out["prior_z"] = torch.cat(seen) if seen else None
    a, b = x_val[0:1], x_val[1:2]
    out["interp"] = _out(interpolate(model, a, b, plan.INTERP_STEPS))
    with torch.no_grad():
        mu_a, _ = model.encode(a)
        mu_b, _ = model.encode(b)
        t = torch.linspace(0.0, 1.0, plan.INTERP_STEPS).unsqueeze(1)
        out["interp_expected"] = model.decode((1 - t) * mu_a + t * mu_b)
    return out


def reproducible(ctx: ProbeContext) -> dict[str, Any]:
    """Two short runs with seed 3 and one with seed 4, each followed by 16 samples."""
    train_vae, sample = ctx.require("train_vae", "sample")
    x = _t(ctx, "x_train")[: plan.REPRO_N]
    outs = []
    for global_seed, seed in ((11, 3), (12, 3), (13, 4)):
        torch.manual_seed(global_seed)  # a different global state before each run
        config = _config(ctx, latent_dim=plan.LATENT, width=plan.WIDTH, epochs=1,
                         batch_size=plan.BATCH, lr=plan.LR, seed=seed)
        model, _history = train_vae(config, x)
        torch.manual_seed(global_seed + 100)
        outs.append(_out(sample(model, 16, generator=torch.Generator().manual_seed(seed))))
    return {"runs": outs}
