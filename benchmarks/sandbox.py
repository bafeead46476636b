"""The sandbox's cost per project check: the same probes, judged the same way, with the
child run plainly (``none``), under bubblewrap, and under the fallback (limits and a
reaper, no namespaces). Each project's reference is checked ``--reps`` times per mode,
modes interleaved so that load from others hits them alike; the medians are compared.
Goal: sandboxed / unsandboxed under 1.3x.

    nice -n 10 .venv/bin/python benchmarks/sandbox.py [--reps 2] [--projects p1-autodiff ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from buildreal.projects import registry
from buildreal.projects.isolation import sandbox_mode

REPO = Path(__file__).resolve().parents[1]
GOAL = 1.3


def learner_folder(project_id: str, root: Path) -> Path:
    """The project's reference laid out as a learner's folder, with its write-ups."""
    package_dir = REPO / "src/buildreal/projects" / project_id.replace("-", "_") / "reference"
    folder = root / project_id
    folder.mkdir()
    if project_id in ("p1-autodiff", "p2-optimizers"):
        name = "autodiff" if project_id == "p1-autodiff" else "playground"
        shutil.copytree(package_dir, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copyfile(REPO / "docs/projects" / f"{project_id}.md", folder / "NOTES.md")
    else:
        for child in package_dir.iterdir():
            if child.is_dir() and child.name != "__pycache__":
                shutil.copytree(child, folder / child.name,
                                ignore=shutil.ignore_patterns("__pycache__"))
        if project_id == "p3-cnn":
            for name in ("report.md", "results.json"):
                shutil.copyfile(REPO / "tests/projects/p3_learner" / name, folder / name)
    return folder


def one_check(project_id: str, folder: Path, mode: str) -> tuple[float, int]:
    spec = registry.get(project_id)
    assert spec.checks is not None
    start = time.perf_counter()
    results = list(spec.checks.run(folder, mode=mode))
    return time.perf_counter() - start, sum(r.passed for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--projects", nargs="*",
                        default=["p1-autodiff", "p2-optimizers", "p3-cnn", "p4-charlm"])
    args = parser.parse_args()
    modes = ["none", "fallback"] + (["bubblewrap"] if sandbox_mode() == "bubblewrap" else [])
    print(f"modes: {', '.join(modes)}; {args.reps} check(s) per project and mode; load "
          f"average {os.getloadavg()[0]:.1f}")
    print(f"\n{'project':15s} " + " ".join(f"{m + ' s':>13s}" for m in modes)
          + " " + " ".join(f"{m + '/none':>16s}" for m in modes[1:]))
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="buildreal-bench-") as tmp:
        for project_id in args.projects:
            folder = learner_folder(project_id, Path(tmp))
            times: dict[str, list[float]] = {m: [] for m in modes}
            passed: dict[str, int] = {}
            one_check(project_id, folder, "none")  # warm the file cache; not timed
            for _ in range(args.reps):
                for mode in modes:
                    seconds, passed[mode] = one_check(project_id, folder, mode)
                    times[mode].append(seconds)
            medians = {m: statistics.median(v) for m, v in times.items()}
            ratios = [medians[m] / medians["none"] for m in modes[1:]]
            worst = max([worst, *ratios])
            print(f"{project_id:15s} " + " ".join(f"{medians[m]:13.2f}" for m in modes) + " "
                  + " ".join(f"{r:15.2f}x" for r in ratios)
                  + ("" if len(set(passed.values())) == 1 else f"  (checks passed differ: "
                     f"{passed})"))
    print(f"\nlargest sandboxed/unsandboxed ratio: {worst:.2f}x (goal < {GOAL}x: "
          f"{'met' if worst < GOAL else 'NOT met'}); load average now "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
