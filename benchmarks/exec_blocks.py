"""Executed lesson code: a warm forking runner against a fresh interpreter per block.

Runs every ``python exec`` and predict block of the bundled courses (or the packs given)
twice into empty output folders: once the plain way (``run_block``: a new ``python``
process per block, which imports torch again each time) and once through the warm
runners that ``build_outputs`` uses (``run_many``: one process per worker imports the
libraries once and forks a child per block). Both use the same number of workers. Prints
each wall time and the ratio cold / warm.

    nice -n 10 .venv/bin/python benchmarks/exec_blocks.py [--jobs 2] [PACK ...]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from buildreal.packs.execute import close_runners, executed_blocks, run_block, run_many
from buildreal.packs.loader import find_courses, load_course

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("packs", nargs="*", type=Path, default=[REPO / "courses"])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    codes = sorted({block.code for root in args.packs for folder in find_courses(root)
                    for block in executed_blocks(load_course(folder))})
    print(f"{len(codes)} distinct blocks, {args.jobs} workers, load average "
          f"{os.getloadavg()[0]:.1f}")

    with tempfile.TemporaryDirectory() as store:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            cold = list(pool.map(lambda code: run_block(code, Path(store) / "cold"), codes))
        cold_s = time.perf_counter() - start

        start = time.perf_counter()
        warm = run_many(codes, Path(store) / "warm", jobs=args.jobs)
        close_runners()
        warm_s = time.perf_counter() - start

    same = sum(a.ok == b.ok and a.text == b.text for a, b in zip(cold, warm, strict=True))
    print(f"fresh interpreter per block (run_block): {cold_s:6.1f} s")
    print(f"warm forking runner (run_many):          {warm_s:6.1f} s")
    print(f"identical output for {same} of {len(codes)} blocks")
    print(f"ratio fresh / warm: {cold_s / warm_s:.2f}x")


if __name__ == "__main__":
    main()
