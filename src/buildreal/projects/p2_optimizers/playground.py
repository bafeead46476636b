"""``run_optimizer_playground``: race the optimizers over a 2-D loss surface.

Prints, per optimizer, the surface, final loss and steps taken; writes the contour plot
with every path (PNG and SVG) and, for more than one optimizer, a Markdown report with the
comparison table and the written explanation.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from buildreal.projects.p2_optimizers import report
from buildreal.projects.p2_optimizers.reference import OPTIMIZERS, SURFACES, compare, plot_paths


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="run_optimizer_playground",
                                description=__doc__.splitlines()[0])
    p.add_argument("--surface", choices=(*SURFACES, "all"), default="rosenbrock")
    p.add_argument("--optimizer", choices=(*OPTIMIZERS, "all"), default="all")
    p.add_argument("--steps", type=int, default=5000)
    p.add_argument("--lr", type=float, default=None,
                   help="one learning rate for every optimizer (default: tuned per surface)")
    p.add_argument("--schedule", choices=("constant", "step", "cosine", "warmup"),
                   default="constant")
    p.add_argument("--clip", type=float, default=None, help="clip the gradient norm to this")
    p.add_argument("--noise", type=float, default=0.0,
                   help="std of Gaussian noise added to each gradient (mimics minibatches)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tol", type=float, default=1e-3)
    p.add_argument("--out", type=Path, default=Path("playground_out"),
                   help="folder for the plots and report")
    p.add_argument("--no-plot", action="store_true")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    surfaces = list(SURFACES) if args.surface == "all" else [args.surface]
    optimizers = list(OPTIMIZERS) if args.optimizer == "all" else [args.optimizer]
    sections = []
    for name in tqdm(surfaces, desc="surfaces", file=sys.stderr, leave=False,
                     disable=len(surfaces) == 1 or not sys.stderr.isatty()):
        runs = compare(name, optimizers, args.steps, args.seed, args.noise, args.schedule,
                       args.clip, args.tol, args.lr)
        for r in runs:
            print(f"surface: {name}")
            print(f"optimizer: {r.optimizer}")
            print(f"final_loss: {'diverged' if r.diverged else f'{r.final_loss:.3g}'}")
            print(f"steps: {r.steps}")
            print(f"steps_to_tol: {r.steps_to_tol if r.steps_to_tol is not None else 'never'}")
            print()
        image = None
        if not args.no_plot:
            stem = args.out / (name if len(optimizers) > 1 else f"{name}_{optimizers[0]}")
            png, svg = plot_paths(SURFACES[name], runs, stem)
            image = png.name
            print(f"plot: {png} and {svg}")
        sections.append(report.surface_section(SURFACES[name], runs, image))
    if len(optimizers) > 1:
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / "report.md"
        path.write_text(report.report(sections, args.steps, args.seed, args.noise),
                        encoding="utf-8")
        print(f"report: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
