"""``buildreal project list|start|check|demo``: the learner's side of the projects.

Submitting a checked result to a buildreal server (``--submit`` with a token) is not part
of this release; ``check`` records the verdict locally only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from buildreal.projects import registry, starter, state
from buildreal.projects.base import CheckResult, ProjectSpec
from buildreal.projects.runner import run_checks_isolated


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "project", help="start, check and demo the Mastery projects",
        description="Build the projects on your machine and check them against their "
        "Definition of Done.",
    )
    sub = parser.add_subparsers(dest="project_command", metavar="ACTION")

    def _usage(args: argparse.Namespace) -> int:  # `buildreal project` with no action
        parser.print_help()
        return 2

    parser.set_defaults(func=_usage)

    p_list = sub.add_parser("list", help="the projects, their difficulty and your status")
    p_list.set_defaults(func=cmd_list)

    p_start = sub.add_parser("start", help="write a project's starter files into a folder")
    p_start.add_argument("id", help="project id or number, e.g. p1-autodiff or 1")
    p_start.add_argument("dir", nargs="?", type=Path, help="target folder (default: ./ID)")
    p_start.add_argument("--force", action="store_true",
                         help="overwrite starter files you have changed, without asking")
    p_start.set_defaults(func=cmd_start)

    p_check = sub.add_parser("check", help="check your code against the Definition of Done")
    p_check.add_argument("id", help="project id or number")
    p_check.add_argument("dir", nargs="?", type=Path,
                         help="your project folder (default: where you started it, else ./ID)")
    p_check.add_argument("--timeout", type=float, default=None,
                         help="seconds before the check gives up on your code")
    p_check.set_defaults(func=cmd_check)

    p_demo = sub.add_parser("demo", help="run the reference implementation")
    p_demo.add_argument("id", help="project id or number")
    p_demo.add_argument("args", nargs=argparse.REMAINDER, help="passed on to the demo")
    p_demo.set_defaults(func=cmd_demo)

    # `buildreal data fetch`: the projects' offline data sets (owned by projects/data/)
    from buildreal.projects.data.cli import register_data

    register_data(subparsers)


def _spec(project_id: str) -> ProjectSpec | None:
    try:
        return registry.get(project_id)
    except registry.UnknownProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def cmd_list(args: argparse.Namespace) -> int:
    specs = registry.all_projects()
    rows = [(s.id, s.title, s.difficulty, s.hours, state.status_of(s.id)) for s in specs]
    header = ("ID", "TITLE", "DIFFICULTY", "HOURS", "STATUS")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    for problem in registry.discovery_problems():
        print(f"warning: project package not loaded: {problem}", file=sys.stderr)
    if not specs:
        print("No projects are installed.", file=sys.stderr)
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    spec = _spec(args.id)
    if spec is None:
        return 2
    target: Path = args.dir or Path.cwd() / spec.id
    if target.exists() and not target.is_dir():
        print(f"error: {target} exists and is not a folder.", file=sys.stderr)
        return 2
    p = starter.plan(spec.starter_dir, target)
    overwrite = args.force
    if p.conflicts and not overwrite:
        listed = ", ".join(str(c) for c in p.conflicts)
        if sys.stdin.isatty():
            answer = input(f"{len(p.conflicts)} file(s) in {target} differ from the starter: "
                           f"{listed}.\nOverwrite them? [y/N] ")
            overwrite = answer.strip().lower() in ("y", "yes")
            if not overwrite:
                print("Kept your files; only missing starter files are written.")
        else:
            print(f"error: {target} already has changed starter files: {listed}. Nothing was "
                  "written. Re-run with --force to overwrite them, or choose another folder.",
                  file=sys.stderr)
            return 1
    written = starter.write(p, overwrite)
    state.record(spec.id, _started_status(spec.id), target)
    print(f"{spec.title}: wrote {len(written)} file(s) to {target}")
    for rel in written:
        print(f"  {rel}")
    print(f"\nNext: read {target / 'README.md'}, fill in the TODOs, then run\n"
          f"  buildreal project check {spec.id} {target}")
    return 0


def _started_status(project_id: str) -> state.Status:
    current = state.status_of(project_id)
    return current if current != "not started" else "started"


def cmd_check(args: argparse.Namespace) -> int:
    spec = _spec(args.id)
    if spec is None:
        return 2
    directory = args.dir or _remembered_dir(spec.id) or Path.cwd() / spec.id
    if not directory.is_dir():
        print(f"error: {directory} is not a folder. Run `buildreal project start {spec.id} "
              f"{directory}` first, or pass the folder holding your code.", file=sys.stderr)
        return 2
    print(f"Checking {spec.title} in {directory}\n")
    total = len(spec.definition_of_done) or None
    with tqdm(total=total, desc="checking", unit="item", file=sys.stderr, leave=False,
              disable=not sys.stderr.isatty()) as bar:
        def show(result: CheckResult) -> None:
            bar.update(1)
            tqdm.write(format_result(result, spec.id), file=sys.stdout)

        results = run_checks_isolated(spec, directory, args.timeout, on_result=show)
    passed = sum(r.passed for r in results)
    ok = passed == len(results)
    state.record(spec.id, "checked-pass" if ok else "checked-fail", directory)
    if ok:
        print(f"All {len(results)} items of the Definition of Done pass. Well built.")
    else:
        print(f"{passed} of {len(results)} items pass. Fix the first failure above and check "
              "again.")
    return 0 if ok else 1


def _remembered_dir(project_id: str) -> Path | None:
    entry = state.load().get(project_id) or {}
    remembered = entry.get("dir")
    return Path(remembered) if remembered and Path(remembered).is_dir() else None


def format_result(result: CheckResult, project_id: str) -> str:
    """One DoD verdict as the learner reads it."""
    lines = [f"{'PASS' if result.passed else 'FAIL'}  {result.dod}",
             f"      {result.reason}"]
    if not result.passed:
        for line in result.detail.splitlines():
            lines.append(f"      | {line}")
        lines.append(f"      next: hint layer {result.hint_layer} on the {project_id} "
                     "project page")
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    spec = _spec(args.id)
    if spec is None:
        return 2
    return int(spec.demo(list(args.args)) or 0)
