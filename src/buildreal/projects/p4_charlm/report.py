"""Figures and the written report of a ``run_rnn_generate --train`` run."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from buildreal.projects.p4_charlm.ngram import best_order  # noqa: E402
from buildreal.projects.p4_charlm.pipeline import LMRun  # noqa: E402


def plot_grad_norms(study: dict[str, LMRun], path: Path, clip: float | None) -> None:
    fig, ax = plt.subplots(figsize=(8, 4))
    for label, run in study.items():
        ax.plot(run.history["grad_norm"], label=f"{label}", linewidth=0.8)
    if clip is not None:
        ax.axhline(clip, color="black", linestyle=":", label=f"clip = {clip}")
    ax.set(yscale="log", xlabel="step", ylabel="gradient norm before clipping",
           title="Vanilla RNN with plain SGD: gradient norms with and without clipping")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_curves(main: LMRun, ngram_bpc: float, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(8, 4))
    loss = main.history["loss"]
    window = max(1, len(loss) // 50)
    smooth = [sum(loss[max(0, i - window + 1): i + 1]) / len(loss[max(0, i - window + 1): i + 1])
              for i in range(len(loss))]
    ax.plot([v / 0.6931471805599453 for v in smooth], label="train (smoothed)")
    if main.curve:
        steps, bpc = zip(*main.curve, strict=True)
        ax.plot(steps, bpc, "o-", label="validation (held-out plays)")
    ax.axhline(ngram_bpc, color="gray", linestyle="--", label="best n-gram, validation")
    ax.set(xlabel="step", ylabel="bits per character", title=f"{main.label}: bits per character")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_report(
    main: LMRun, ngram: dict[int, float], cells: list[LMRun] | None,
    clipping: dict[str, LMRun] | None, samples: dict[float, str], val_works: tuple[str, ...],
    steps_compare: int,
) -> str:
    order, ngram_bpc = best_order(ngram)
    gain = 1 - main.val_bpc / ngram_bpc
    lines = [
        "# Project 4: character-level language model, run report", "",
        f"Validation text: the held-out plays {', '.join(val_works)} (the split is by play, "
        "so no scene of them was seen in training).", "",
        "| model | validation bits/char | perplexity |", "|---|---:|---:|",
        f"| {main.label} ({len(main.history['loss'])} steps, {main.seconds:.0f} s) | "
        f"{main.val_bpc:.3f} | {main.perplexity:.2f} |",
        f"| best n-gram (order {order}, Witten-Bell) | {ngram_bpc:.3f} | {2 ** ngram_bpc:.2f} |",
        "", f"The recurrent model needs {abs(100 * gain):.1f}% "
        f"{'fewer' if gain >= 0 else 'more'} bits per character than the best n-gram.", "",
        "n-gram orders: " + ", ".join(f"{n}: {b:.3f}" for n, b in sorted(ngram.items())), "",
    ]
    if main.curve:
        lines += ["Validation bits per character during training (a 50,000-character slice): "
                  + ", ".join(f"step {s}: {b:.3f}" for s, b in main.curve), ""]
    if cells:
        lines += [f"## LSTM, GRU and vanilla RNN at the same small budget ({steps_compare} "
                  "steps)", "", "| cell | validation bits/char | seconds |", "|---|---:|---:|"]
        lines += [f"| {r.model_config.cell} | {r.val_bpc:.3f} | {r.seconds:.0f} |" for r in cells]
        lines.append("")
    if clipping:
        c = clipping["clipped"].history["grad_norm"]
        u = clipping["unclipped"].history["grad_norm"]
        lines += ["## Gradient clipping", "", "`grad_norms.png` plots the gradient norm before "
                  "clipping at every step of a vanilla RNN trained twice from the same seed with "
                  "plain SGD (learning rate 3), once clipped and once not.",
                  "", "| run | largest norm | validation bits/char |", "|---|---:|---:|",
                  f"| clipped | {max(c):.2f} | {clipping['clipped'].val_bpc:.3f} |",
                  f"| not clipped | {max(u):.2f} | {clipping['unclipped'].val_bpc:.3f} |", ""]
    lines += ["## Samples", ""]
    for temperature, text in samples.items():
        lines += [f"Temperature {temperature}:", "", "```", text, "```", ""]
    lines += ["Files: `bpc_curve.png`, `grad_norms.png`, `charlm.pt` (used by "
              "`run_rnn_generate`), `results.json`.", ""]
    return "\n".join(lines)
