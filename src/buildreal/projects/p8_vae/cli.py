"""``run_vae_sample``: sample a new garment from the reference VAE (training a small one
first when none is saved) and write the figures that show what it learned.

Prints ``sample_id:`` and ``output_saved:`` as in the course notes, then the test ELBO and
an importance-sampled log-likelihood; writes under --out: samples/sample_<id>.png, a grid
of samples from the prior, a grid of ex-post samples (decoded from a Gaussian mixture
fitted on the training images' codes), reconstructions beside their inputs, a latent
interpolation between two test images, a latent map coloured by class (when the latent
size is 2) and report.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from buildreal.projects.data import FASHION_CLASSES, DataUnavailable, load_fashion_mnist  # noqa: E402
from buildreal.projects.p8_vae.metrics import Scores, score  # noqa: E402
from buildreal.projects.p8_vae.reference.vae import (  # noqa: E402
    ConvVAE,
    TrainConfig,
    build_model,
    fit_ex_post,
    interpolate,
    sample,
    sample_ex_post,
    train_vae,
)


def to_unit(images: np.ndarray) -> torch.Tensor:
    """uint8 (N, 28, 28) -> float32 (N, 1, 28, 28) in [0, 1]."""
    return torch.from_numpy(np.ascontiguousarray(images)).float().div(255.0).unsqueeze(1)


def build_parser() -> argparse.ArgumentParser:
    d = TrainConfig()
    p = argparse.ArgumentParser(prog="run_vae_sample", description=__doc__.split("\n\n")[0])
    p.add_argument("--id", type=int, default=12, help="sample id: the seed of its latent draw")
    p.add_argument("--out", type=Path, default=Path("."), help="folder for samples/, report.md")
    p.add_argument("--model", type=Path, default=None,
                   help="saved model (default runs/p8-vae/vae_latent<L>.pt under --out); "
                        "trained and saved there when missing")
    p.add_argument("--retrain", action="store_true", help="train even if a model is saved")
    p.add_argument("--latent", type=int, default=d.latent_dim, help="latent size (2 draws a map)")
    p.add_argument("--width", type=int, default=d.width)
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--limit", type=int, default=12000, help="training images used")
    p.add_argument("--beta", type=float, default=d.beta)
    p.add_argument("--warmup-steps", type=int, default=500)
    p.add_argument("--test-limit", type=int, default=1000, help="test images scored")
    p.add_argument("--k", type=int, default=100, help="importance samples per test image")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads (small convolutions gain little from more)")
    return p


def _save_model(model: ConvVAE, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"latent_dim": model.latent_dim, "width": model.width,
                "state_dict": model.state_dict()}, path)


def _load_model(path: Path) -> ConvVAE:
    saved = torch.load(path, weights_only=True)
    model = build_model(int(saved["latent_dim"]), seed=0, width=int(saved["width"]))
    model.load_state_dict(saved["state_dict"])
    return model.eval()


def _grid(images: torch.Tensor, rows: int, path: Path, titles: Sequence[str] = ()) -> None:
    """images (N, 1, 28, 28) -> a rows x N/rows grid saved as PNG."""
    cols = -(-len(images) // rows)
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.1, rows * 1.2), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(images):
            ax.imshow(images[i, 0].numpy(), cmap="gray", vmin=0, vmax=1)
            if i < len(titles):
                ax.set_title(titles[i], fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _latent_map(model: ConvVAE, x: torch.Tensor, y: np.ndarray, path: Path) -> None:
    with torch.no_grad():
        mu, _ = model.encode(x)  # (N, 2)
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    points = ax.scatter(mu[:, 0], mu[:, 1], c=y, cmap="tab10", s=4, vmin=-0.5, vmax=9.5)
    bar = fig.colorbar(points, ticks=range(10))
    bar.ax.set_yticklabels(FASHION_CLASSES)
    ax.set_xlabel("z[0] (encoder mean)")
    ax.set_ylabel("z[1] (encoder mean)")
    ax.set_title("Test images in the 2-D latent space, by class")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _report(out: Path, scores: Scores, config: TrainConfig, n_test: int, trained: str) -> None:
    lines = [
        "# Project 8: VAE report (reference)", "",
        f"Model: convolutional VAE, latent size {config.latent_dim}, width {config.width}; "
        f"{trained}.", "",
        f"- Test ELBO: {scores.elbo:.1f} nats per image ({scores.elbo_bits_per_dim:.3f} "
        f"bits/dim) on {n_test} test images",
        f"- Importance-sampled log-likelihood (k = {scores.k}): {scores.log_likelihood:.1f} "
        f"nats per image ({scores.bits_per_dim:.3f} bits/dim)", "",
        "Pixels are grey levels in [0, 1] scored as Bernoulli probabilities.", "",
        "Samples decoded from the prior N(0, I), the VAE's own generator:", "",
        "![samples](samples/grid.png)", "",
        "Samples decoded ex post, from a 10-component Gaussian mixture fitted on the "
        "training images' encoder means:", "",
        "![ex-post samples](samples/grid_ex_post.png)", "",
        "![reconstructions: inputs on top, reconstructions below]"
        "(samples/reconstructions.png)", "",
        "![interpolation](samples/interpolation.png)", "",
    ]
    if config.latent_dim == 2:
        lines += ["![latent map](samples/latent_map.png)", ""]
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    torch.set_num_threads(args.threads)
    out: Path = args.out
    model_path = args.model or out / "runs" / "p8-vae" / f"vae_latent{args.latent}.pt"
    try:
        images, labels = load_fashion_mnist("train")
        test_images, test_labels = load_fashion_mnist("test")
    except DataUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    config = TrainConfig(latent_dim=args.latent, width=args.width, epochs=args.epochs,
                         beta=args.beta, warmup_steps=args.warmup_steps, seed=args.seed)
    x_train = to_unit(images[: args.limit])
    if model_path.exists() and not args.retrain:
        model = _load_model(model_path)
        config = TrainConfig(latent_dim=model.latent_dim, width=model.width)
        trained = f"loaded from {model_path}"
    else:
        print(f"training a VAE on {len(x_train)} images for {args.epochs} epochs "
              f"(no saved model at {model_path})", file=sys.stderr)
        model, _history = train_vae(config, x_train, on_epoch=lambda e, row: print(
            f"epoch {e + 1}: train ELBO {row['elbo']:.1f}", file=sys.stderr))
        _save_model(model, model_path)
        trained = f"trained on {len(x_train)} images for {args.epochs} epochs"
    samples_dir = out / "samples"
    samples_dir.mkdir(parents=True, exist_ok=True)
    one = sample(model, 1, generator=torch.Generator().manual_seed(args.id))
    _grid(one, 1, samples_dir / f"sample_{args.id}.png")
    print(f"sample_id: {args.id}")
    print(f"output_saved: samples/sample_{args.id}.png")
    _grid(sample(model, 64, generator=torch.Generator().manual_seed(args.seed)), 8,
          samples_dir / "grid.png")
    density = fit_ex_post(model, x_train, min(10, len(x_train)), seed=args.seed)
    _grid(sample_ex_post(model, density, 64, generator=torch.Generator().manual_seed(args.seed)),
          8, samples_dir / "grid_ex_post.png")
    x_test = to_unit(test_images[: args.test_limit])
    with torch.no_grad():
        mu, _ = model.encode(x_test[:10])
        recon = model.decode(mu)
    _grid(torch.cat([x_test[:10], recon]), 2, samples_dir / "reconstructions.png")
    rows = [interpolate(model, x_test[i:i + 1], x_test[j:j + 1], 10)
            for i, j in ((0, 1), (2, 3), (4, 5))]
    _grid(torch.cat(rows), 3, samples_dir / "interpolation.png")
    if model.latent_dim == 2:
        _latent_map(model, x_test, test_labels[: args.test_limit], samples_dir / "latent_map.png")
    scores = score(model, x_test, k=args.k)
    print(f"test_elbo: {scores.elbo:.2f} nats ({scores.elbo_bits_per_dim:.4f} bits/dim)")
    print(f"test_log_likelihood_k{scores.k}: {scores.log_likelihood:.2f} nats "
          f"({scores.bits_per_dim:.4f} bits/dim)")
    _report(out, scores, config, len(x_test), trained)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
