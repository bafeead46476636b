"""``buildreal serve`` and ``buildreal manage ...``.

``serve`` is the one command an operator runs: it creates the data folder, applies
migrations, checks the course packs (refusing to start on a bad one, with the same
``file:line: message`` lines as ``check-pack``), builds figures, makes the first
instructor account (printing its password once), then serves with granian (see
``serving.py`` for why, and for its connection limits and timeouts).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="set up the data folder and serve the site (granian)",
        description="Migrate, check packs, build figures, then serve the courses.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes (default 1; about one per CPU core for a "
                            "big class, each holds its own copy of the lab partner's model)")
    serve.add_argument("--threads", type=int, default=8,
                       help="Python threads per worker running views (default 8)")
    serve.add_argument("--header-timeout", type=float, default=10.0, metavar="SECONDS",
                       help="disconnect a client that has not sent a whole request head "
                            "in this time, or has left a connection idle (default 10)")
    serve.set_defaults(func=serve_command)

    manage = subparsers.add_parser(
        "manage", help="run a Django management command (migrate, createsuperuser, ...)",
        add_help=False,
    )
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=manage_command)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buildreal.web.settings")
    import django

    django.setup()


def manage_command(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buildreal.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["buildreal manage", *args.args])
    return 0


def prepare(*, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Everything ``serve`` does before serving; 0 when the site is ready."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        _setup_django()
    except ImproperlyConfigured as exc:
        print(f"buildreal: configuration error: {exc}", file=err)
        return 2
    from django.conf import settings
    from django.core.management import call_command

    from buildreal.catalog import figures
    from buildreal.catalog.content import courses_dir, get_catalog, pack_problems
    from buildreal.exercises import outputs
    from buildreal.packs.figures import FigureError

    problems = pack_problems()
    if problems:
        for line in problems:
            print(line, file=err)
        print(f"buildreal: refusing to start: {len(problems)} problem(s) in the course packs "
              f"under {courses_dir()}.", file=err)
        return 1
    call_command("migrate", interactive=False, verbosity=0)
    if settings.STATIC_MANIFEST:
        # Hashed names plus .gz/.br copies under STATIC_ROOT, which WhiteNoise serves
        # with a one-year cache; unchanged files are not copied again.
        call_command("collectstatic", interactive=False, verbosity=0)
    for course in get_catalog().courses.values():
        try:
            figures.build(course)
        except FigureError as exc:
            print(f"buildreal: figures of {course.id} failed to build:\n{exc}", file=err)
            return 1
        # Lesson code whose output pages show: only blocks not built yet run. A failing
        # block leaves its page without output (check-pack and the tests report it).
        report = outputs.build(course)
        for failure in report.failures:
            print(f"buildreal: warning: {failure}", file=err)

    from buildreal.accounts.bootstrap import ensure_instructor

    created = ensure_instructor()
    if created:
        username, password = created
        print("An instructor account was created. It is shown this once and stored only "
              "as a hash, so note it now:", file=out)
        print(f"    username: {username}\n    password: {password}", file=out)
    print(f"Data folder: {settings.DATA_DIR}; courses: "
          f"{', '.join(sorted(get_catalog().courses)) or 'none'}.", file=out)
    return 0


def serve_command(args: argparse.Namespace) -> int:
    status = prepare()
    if status:
        return status
    from buildreal.web.serving import make_server

    print(f"Serving on http://{args.host}:{args.port}/ with {args.workers} worker(s) of "
          f"{args.threads} threads (Ctrl-C to stop)", flush=True)
    make_server(args.host, args.port, workers=args.workers, threads=args.threads,
                header_timeout_ms=max(1, round(args.header_timeout * 1000))).serve()
    return 0
