"""The ``buildreal`` command.

Each area registers its own subcommands from its own module, so this file stays a
table of contents: ``check-pack`` and ``build-figures`` (packs), ``serve`` and ``manage``
(web), ``lab`` (tutor), ``project`` and ``data`` (projects). A module that is not
importable (an optional part not yet installed) is skipped with its reason kept for
``buildreal --help``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# module path -> each exposes ``register(subparsers) -> None``; every subparser sets
# ``func(args) -> int`` via ``set_defaults``.
COMMAND_MODULES = (
    "buildreal.packs.cli",
    "buildreal.web.cli",
    "buildreal.tutor.cli",
    "buildreal.projects.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="buildreal", description="buildreal: hands-on deep learning courses."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # that area is not part of this build yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
