"""``buildreal project list|start|check|demo|rerun``: the learner's side of the projects.

``check --submit`` sends the checked result to a buildreal site with the learner's
token (see sitesubmit.py); ``check --save-submission FILE`` writes the same payload to a
file, and ``rerun`` lets an instructor judge a saved submission again in the sandbox.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tqdm import tqdm

from buildreal.projects import registry, starter, state, submission
from buildreal.projects.base import CheckResult, ProjectSpec
from buildreal.projects.isolation import FALLBACK_NOTE, sandbox_mode
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
    p_check.add_argument("--save-submission", type=Path, metavar="FILE",
                         help="also write the submission payload (verdicts, toolkit "
                         "version, hashes of your files) to FILE as JSON")
    p_check.add_argument("--submit", action="store_true",
                         help="send the verdicts to the site (needs BUILDREAL_TOKEN from "
                         "your Toolkit token page; the site completes the project when "
                         "every item passes)")
    p_check.add_argument("--site", default=None, metavar="URL",
                         help="the buildreal site for --submit (default: $BUILDREAL_SITE, "
                         "else http://127.0.0.1:8000)")
    p_check.set_defaults(func=cmd_check)

    p_rerun = sub.add_parser("rerun", help="(instructors) judge a saved submission again "
                             "in the sandbox and compare")
    p_rerun.add_argument("submission", type=Path, help="the submission JSON file")
    p_rerun.add_argument("dir", type=Path, help="the folder holding the submitted code")
    p_rerun.set_defaults(func=cmd_rerun)

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
    print(f"Checking {spec.title} in {directory}")
    mode = _announce_sandbox(spec)
    started = time.monotonic()
    results = _judge(spec, directory, args.timeout)
    ok = _summary(spec, results)
    state.record(spec.id, "checked-pass" if ok else "checked-fail", directory)
    submit = getattr(args, "submit", False)
    if not (args.save_submission or submit):
        return 0 if ok else 1
    payload = submission.build_submission(spec, directory, results,
                                          time.monotonic() - started, mode)
    if args.save_submission:
        args.save_submission.write_text(json.dumps(payload, indent=2) + "\n",
                                        encoding="utf-8")
        print(f"Submission written to {args.save_submission}")
    if submit and not _send(args, payload):
        return 2
    return 0 if ok else 1


def _send(args: argparse.Namespace, payload: dict) -> bool:
    """``--submit``: post the payload to the site; False (with the reason) on failure."""
    from buildreal.projects import sitesubmit

    site = sitesubmit.site_from_env(args.site)
    try:
        reply = sitesubmit.send(site, sitesubmit.token_from_env(None), payload)
    except sitesubmit.SubmitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    print(f"\nSent to {site}. {reply.message}")
    if reply.url:
        print(f"  {reply.url}")
    return True


def _announce_sandbox(spec: ProjectSpec) -> str:
    if spec.checks is None:
        return "subprocess"
    mode = sandbox_mode()
    if mode == "bubblewrap":
        print("Your code runs in a sandbox: no network, only this folder and /tmp "
              "writable.\n")
    else:
        print(f"Note: {FALLBACK_NOTE}.\n")
    return mode


def _judge(spec: ProjectSpec, directory: Path, timeout: float | None) -> list[CheckResult]:
    total = (len(spec.checks.checks) if spec.checks else len(spec.definition_of_done)) or None
    current: list[str] = []
    with tqdm(total=total, desc="checking", unit="check", file=sys.stderr, leave=False,
              disable=not sys.stderr.isatty()) as bar:
        def show(result: CheckResult) -> None:
            bar.update(1)
            if result.check and (not current or current[-1] != result.dod):
                current.append(result.dod)
                tqdm.write(f"\n{result.dod}", file=sys.stdout)
            tqdm.write(format_result(result, spec.id), file=sys.stdout)

        return run_checks_isolated(spec, directory, timeout, on_result=show)


def _summary(spec: ProjectSpec, results: list[CheckResult]) -> bool:
    """Print the verdict per DoD item; True when every item passes."""
    items = list(dict.fromkeys(r.dod for r in results))
    passed_items = [d for d in items if all(r.passed for r in results if r.dod == d)]
    ok = len(passed_items) == len(items) and bool(items)
    checks = len(results)
    passed_checks = sum(r.passed for r in results)
    print()
    if ok:
        print(f"All {len(items)} items of the Definition of Done pass ({checks} checks). "
              "Well built.")
    else:
        print(f"{len(passed_items)} of {len(items)} items pass ({passed_checks} of {checks} "
              "checks). Fix the first failure above and check again.")
    return ok


def cmd_rerun(args: argparse.Namespace) -> int:
    try:
        saved = json.loads(args.submission.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: cannot read {args.submission}: {exc}", file=sys.stderr)
        return 2
    spec = _spec(str(saved.get("project", "")))
    if spec is None:
        return 2
    if not args.dir.is_dir():
        print(f"error: {args.dir} is not a folder", file=sys.stderr)
        return 2
    differences = [d for d in submission.compare_files(saved, args.dir)
                   if not (args.dir / d.split(":")[0]).resolve() == args.submission.resolve()]
    if differences:
        print("The folder does not hold the submitted files:")
        for line in differences:
            print(f"  {line}")
        return 1
    print(f"Re-running {spec.title} on the submitted files (toolkit "
          f"{submission.toolkit_version()}; submitted with {saved.get('toolkit_version')}).")
    mode = _announce_sandbox(spec)
    started = time.monotonic()
    results = _judge(spec, args.dir, None)
    _summary(spec, results)
    rerun = submission.build_submission(spec, args.dir, results,
                                        time.monotonic() - started, mode)
    changed = submission.compare_verdicts(saved, rerun)
    if changed:
        print("Verdicts that differ from the submission:")
        for line in changed:
            print(f"  {line}")
        return 1
    print("Every verdict matches the submission.")
    return 0


def _remembered_dir(project_id: str) -> Path | None:
    entry = state.load().get(project_id) or {}
    remembered = entry.get("dir")
    return Path(remembered) if remembered and Path(remembered).is_dir() else None


def format_result(result: CheckResult, project_id: str) -> str:
    """One verdict as the learner reads it: under its DoD item when it is one check of
    it, else the item itself."""
    pad = "  " if result.check else ""
    lines = [f"{pad}{'PASS' if result.passed else 'FAIL'}  {result.check or result.dod}",
             f"{pad}      {result.reason}"]
    if not result.passed:
        for line in result.detail.splitlines():
            lines.append(f"{pad}      | {line}")
        lines.append(f"{pad}      next: hint layer {result.hint_layer} on the {project_id} "
                     "project page")
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    spec = _spec(args.id)
    if spec is None:
        return 2
    return int(spec.demo(list(args.args)) or 0)
