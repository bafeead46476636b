"""``buildreal check-pack``, ``buildreal build-pack`` and ``buildreal build-figures``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from buildreal.packs.execute import BuildReport, build_outputs, executed_blocks
from buildreal.packs.figures import FigureError, build_figures
from buildreal.packs.loader import find_courses, validate_course, validate_courses
from buildreal.packs.model import Course, Problem


def register(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser(
        "check-pack", help="validate course packs and print every problem as file:line",
        description="Validate one course folder, or every course folder inside a folder. "
                    "Prints each problem as file:line: message and exits 1 if there is any.")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="a course folder (with course.yaml) or a folder of courses")
    check.add_argument("--no-run", action="store_true",
                       help="do not run the python exec and predict blocks whose output is "
                            "not built yet")
    check.add_argument("--jobs", type=int, default=2, metavar="N",
                       help="blocks to run at once (default: 2)")
    check.set_defaults(func=check_pack)

    build = subparsers.add_parser(
        "build-pack", help="build a pack's figures and the output of its executed code",
        description="Build the figures of the course(s) at PATH and run every python exec "
                    "and predict block whose output is not stored yet (in "
                    "$BUILDREAL_DATA_DIR/outputs). Exits 1 naming file:line of each block "
                    "that failed.")
    build.add_argument("path", type=Path, metavar="PATH",
                       help="a course folder or a folder of courses")
    build.add_argument("--jobs", type=int, default=2, metavar="N",
                       help="scripts and blocks to run at once (default: 2)")
    build.set_defaults(func=build_pack_command)

    figures = subparsers.add_parser(
        "build-figures", help="run a pack's figure scripts (figures/<name>.py)",
        description="Run each figures/<name>.py of the course(s) at PATH whose output is "
                    "missing or out of date.")
    figures.add_argument("path", type=Path, metavar="PATH",
                         help="a course folder or a folder of courses")
    figures.add_argument("--out", type=Path, default=None, metavar="DIR",
                         help="where to write the figures (default: "
                              "$BUILDREAL_DATA_DIR/figures/<course-id>, data dir ./data)")
    figures.add_argument("--force", action="store_true", help="rebuild even if up to date")
    figures.add_argument("--jobs", type=int, default=2, metavar="N",
                         help="scripts to run at once (default: 2)")
    figures.set_defaults(func=build_figures_command)


def _relative(path: Path) -> str:
    """A path relative to the working directory where it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def format_problem(problem: Problem) -> str:
    return f"{_relative(problem.path)}:{problem.line}: {problem.message}"


def _counts(courses: list[Course]) -> str:
    modules = sum(len(c.modules) for c in courses)
    items = sum(len(c.items()) for c in courses)
    questions = sum(len(i.assessment.questions) for c in courses for i in c.items()
                    if i.assessment is not None)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return ", ".join([plural(len(courses), "course"), plural(modules, "module"),
                      plural(items, "item"), plural(questions, "question")])


def check_pack(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    folders: list[Path] = []
    for path in args.paths:
        found = find_courses(path)
        if not found:
            problems.append(Problem(path / "course.yaml", 1,
                                    f"no course here: {path} has no course.yaml and no "
                                    f"subfolder with one"))
        folders.extend(folder for folder in found if folder not in folders)
    courses, course_problems = validate_courses(folders)
    problems.extend(course_problems)
    if not getattr(args, "no_run", False):
        for course in courses:
            report = build_outputs(executed_blocks(course), default_outputs_dir(),
                                   jobs=getattr(args, "jobs", 2))
            problems.extend(_failure_problems(report))
    for problem in problems:
        print(format_problem(problem))
    if problems:
        count = len(problems)
        print(f"check-pack: {count} problem{'s' if count != 1 else ''} found",
              file=sys.stderr)
        return 1
    print(f"OK: {_counts(courses)}")
    return 0


def default_figures_dir(course_id: str) -> Path:
    return Path(os.environ.get("BUILDREAL_DATA_DIR") or "data") / "figures" / course_id


def default_outputs_dir() -> Path:
    """Where executed blocks' outputs are kept (one folder for all courses: keyed by code)."""
    if os.environ.get("BUILDREAL_OUTPUTS_DIR"):
        return Path(os.environ["BUILDREAL_OUTPUTS_DIR"])
    return Path(os.environ.get("BUILDREAL_DATA_DIR") or "data") / "outputs"


def _failure_problems(report: BuildReport) -> list[Problem]:
    problems = []
    for failure in report.failures:
        tail = "\n".join("    " + line
                         for line in failure.output.text.strip().splitlines()[-12:])
        problems.append(Problem(failure.block.path, failure.block.line,
                                f"python block failed when run:\n{tail}"))
    return problems


def build_pack_command(args: argparse.Namespace) -> int:
    folders = find_courses(args.path)
    if not folders:
        print(f"{args.path}: no course.yaml here or in its subfolders", file=sys.stderr)
        return 1
    status = 0
    for folder in folders:
        course, problems = validate_course(folder)
        if course is None:
            for problem in problems:
                print(format_problem(problem), file=sys.stderr)
            status = 1
            continue
        try:
            build_figures(folder, default_figures_dir(course.id), jobs=args.jobs)
        except FigureError as exc:
            for failure in exc.failures:
                print(f"{_relative(failure.script)}: {failure.reason}", file=sys.stderr)
            status = 1
        report = build_outputs(executed_blocks(course), default_outputs_dir(), jobs=args.jobs)
        for problem in _failure_problems(report):
            print(format_problem(problem), file=sys.stderr)
        if report.failures:
            status = 1
        print(f"{course.id}: {report.ran} block(s) run, {report.cached} already built, "
              f"{len(report.failures)} failed")
    return status


def build_figures_command(args: argparse.Namespace) -> int:
    folders = find_courses(args.path)
    if not folders:
        print(f"{args.path}: no course.yaml here or in its subfolders", file=sys.stderr)
        return 1
    status = 0
    for folder in folders:
        course, _problems = validate_course(folder)
        course_id = course.id if course is not None and course.id else folder.name
        if args.out is None:
            out = default_figures_dir(course_id)
        else:
            out = args.out if len(folders) == 1 else args.out / course_id
        try:
            outputs = build_figures(folder, out, force=args.force, jobs=args.jobs)
        except FigureError as exc:
            for failure in exc.failures:
                print(f"{_relative(failure.script)}: {failure.reason}", file=sys.stderr)
            status = 1
            continue
        print(f"{course_id}: {len(outputs)} figure{'s' if len(outputs) != 1 else ''} "
              f"in {_relative(out)}")
    return status
