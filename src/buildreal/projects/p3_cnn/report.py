"""The short written report of a ``run_cnn_train`` run (Markdown)."""

from __future__ import annotations

from buildreal.projects.p3_cnn.pipeline import MNIST1D_PAPER, RunOutcome, gap


def _a(noun: str) -> str:
    return ("an " if noun[0].lower() in "aeiou" else "a ") + noun


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def write_report(
    main: RunOutcome,
    pairs: list[tuple[str, str, int, float]],
    mistakes: list[tuple[int, int, int, float]],
    names: tuple[str, ...],
    study: dict[str, RunOutcome] | None,
    study_size: int,
    mnist1d: RunOutcome | None,
    augmentation: str = "random shifts",
) -> str:
    h = main.result.history
    lines = [
        "# Project 3: CNN image classifier, run report",
        "",
        f"Fashion-MNIST test accuracy: **{_pct(main.test_acc)}** on {len(main.test_probs)} "
        f"test images (best validation epoch {main.result.best_epoch} of {len(h['val_acc'])}"
        f"{', stopped early' if main.result.stopped_early else ''}; "
        f"{main.seconds:.0f} s of training).",
        "",
        "## Hardest class pairs",
        "",
        "Pairs the model confuses most often in either direction on the test set "
        "(see `confusion_matrix.png`):",
        "",
        "| classes | errors | share of their test images |",
        "|---|---:|---:|",
    ]
    lines += [f"| {a} / {b} | {n} | {_pct(share)} |" for a, b, n, share in pairs]
    if pairs:
        a, b = pairs[0][0], pairs[0][1]
        lines += ["", f"The hardest pair is {a} / {b}: at 28x28 grey levels they share a "
                  "silhouette, and only texture or small details tell them apart."]
    lines += ["", "Most confidently wrong test images (`confident_mistakes.png`):", ""]
    lines += [f"- #{i}: {_a(names[t])} taken for {_a(names[p])} with {_pct(c)} confidence"
              for i, t, p, c in mistakes]
    if study:
        lines += ["", "## Does augmentation improve generalization?", "",
                  f"Same model, seed and schedule on {study_size} training images, with and "
                  f"without {augmentation} (accuracies at the best validation epoch; "
                  "train accuracy is measured on un-augmented training images):", "",
                  "| augmentation | train acc | validation acc | gap | test acc |",
                  "|---|---:|---:|---:|---:|"]
        for name, outcome in study.items():
            tr, va, g = gap(outcome)
            lines.append(f"| {name} | {_pct(tr)} | {_pct(va)} | {100 * g:.1f} points | "
                         f"{_pct(outcome.test_acc)} |")
        (_, va_with, g_with), (_, va_without, g_without) = gap(study["with"]), gap(study["without"])
        verdict = "improved" if va_with > va_without else "did not improve"
        lines += ["", f"Augmentation {verdict} validation accuracy "
                  f"({_pct(va_without)} -> {_pct(va_with)}) and changed the train-validation "
                  f"gap from {100 * g_without:.1f} to {100 * g_with:.1f} points."]
    if mnist1d:
        lines += ["", "## The same family on MNIST-1D", "",
                  "Test accuracy on MNIST-1D (4,000 training / 1,000 test signals), next to "
                  "the figures in Greydanus (2020), *Scaling down deep learning*:", "",
                  "| model | test accuracy |", "|---|---:|",
                  f"| **this CNN (1-D)** | **{_pct(mnist1d.test_acc)}** |"]
        lines += [f"| {name} (paper) | {_pct(acc)} |" for name, acc in MNIST1D_PAPER.items()]
    lines += ["", "## Files", "",
              "- `curves.png`: loss and accuracy per epoch, training and validation",
              "- `confusion_matrix.png`: test-set confusion matrix",
              "- `confident_mistakes.png`: the ten most confidently wrong test images",
              "- `results.json`: every number above", ""]
    return "\n".join(lines)
