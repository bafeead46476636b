"""Web throughput: each page or POST as a ratio to a bare Django view, in the same run.

Starts the real site the way ``buildreal serve`` does (granian, src/buildreal/web/serving.py)
on loopback with the sample pack from tests/fixtures in a throw-away data folder (SQLite,
or PostgreSQL with ``--database-url``), then drives it with a concurrent keep-alive load
generator: ``wrk`` when it is installed (Debian package ``wrk``; it costs the shared CPU
far less than a Python client), otherwise several Python client processes. The peer is a
view that returns a fixed short string through the same middleware stack, added only to
this benchmark's URLconf: the ratio says how much of the framework's floor each real page
costs, which stays meaningful on a shared two-core machine where absolute numbers are
noise. Cases and the goals of issue 11:

- lesson page GET: at least 0.5 of the bare view;
- quiz answer POST: at least 0.3;
- autosave of one test question: at least 300 saves/s;
- quiz answer POST by a learner with 1,500 stored answers: within 10% of one with none.

A second reference row, the bare view reading the signed-in learner (session and user),
is the floor of every page a learner sees.

    .venv/bin/python benchmarks/web.py [--seconds 5] [--clients 4] [--threads 8]
                                       [--client auto|wrk|python] [--database-url URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "fixtures" / "sample-pack"
BARE_PATH = "/bench/bare/"
# The floor of any page that knows its learner: the bare view plus reading the session
# and the user (not a goal; it shows how much of a page's cost identifying them is).
SIGNED_IN_PATH = "/bench/signed-in/"
LESSON_PATH = "/courses/sample/m1-l1/"
ANSWER_PATH = "/courses/sample/m1-l1-quiz/questions/q3/answer/"


# --- the server (runs in a child process) -----------------------------------------------

BENCH_MODULE = r"""
import sys, types
import django
django.setup()
from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path

def bare(request):
    return HttpResponse("ok", content_type="text/plain")

def signed_in(request):
    return HttpResponse("ok" if request.user.is_authenticated else "no",
                        content_type="text/plain")

urls = types.ModuleType("bench_urls")
urls.urlpatterns = [path("bench/bare/", bare), path("bench/signed-in/", signed_in),
                    path("", include("buildreal.web.urls"))]
sys.modules["bench_urls"] = urls
settings.ROOT_URLCONF = "bench_urls"
from buildreal.web.wsgi import application
"""

SERVER_CODE = r"""
import sys
from buildreal.web.serving import make_server
make_server("127.0.0.1", int(sys.argv[1]), threads=int(sys.argv[2]),
            target="bench_wsgi:application").serve()
"""

SETUP_CODE = r"""
import json, django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from buildreal.assessments import attempts
from buildreal.assessments.models import Attempt, QuizAnswer
from buildreal.catalog.content import get_catalog
call_command("migrate", interactive=False, verbosity=0)
# as `buildreal serve` does: the manifest storage cannot name static files without it
call_command("collectstatic", interactive=False, verbosity=0)
course = get_catalog().courses["sample"]
out = {}
for name, history in (("bench", 0), ("veteran", 1500)):
    user, _ = get_user_model().objects.get_or_create(username=name)
    QuizAnswer.objects.filter(user=user).delete()  # a database kept from an earlier run
    Attempt.objects.filter(user=user).delete()
    QuizAnswer.objects.bulk_create(
        QuizAnswer(user=user, course_id="sample", item_id="m1-l1-quiz",
                   question_id=("q1", "q2", "q3")[i % 3], content_hash="h",
                   given={"value": 0.5}, correct=False) for i in range(history))
    client = Client()
    client.force_login(user)
    out[name] = client.cookies["sessionid"].value
attempt = attempts.start(get_user_model().objects.get(username="bench"), course,
                         course.item("m1-test"))
out["attempt"] = attempt.pk
print(json.dumps(out))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not open port {port} within {timeout:.0f} s")


# --- the load generator -----------------------------------------------------------------

def _worker(port: int, method: str, path: str, body: bytes, headers: dict[str, str],
            seconds: float) -> tuple[int, int, float]:
    """One client process: back-to-back keep-alive requests for ``seconds``.
    Returns (ok responses, failures, summed latency in seconds)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    ok = failed = 0
    latency = 0.0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            failed += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latency += time.perf_counter() - started
        if response.status == 200:
            ok += 1
        else:
            failed += 1
    conn.close()
    return ok, failed, latency


def load(pool: ProcessPoolExecutor, clients: int, port: int, method: str, path: str,
         body: bytes, headers: dict[str, str], seconds: float) -> dict[str, float]:
    futures = [pool.submit(_worker, port, method, path, body, headers, seconds)
               for _ in range(clients)]
    results = [future.result() for future in futures]
    ok = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    latency = sum(r[2] for r in results)
    return {"rps": ok / seconds, "failed": failed,
            "mean_ms": 1000 * latency / ok if ok else float("nan")}


WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = "{body}"
{headers}
"""


def load_wrk(clients: int, port: int, method: str, path: str, body: bytes,
             headers: dict[str, str], seconds: float) -> dict[str, float]:
    """Same measurement with wrk: ``clients`` connections on two threads."""
    lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.format(method=method, body=body.decode(), headers=lines))
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency",
             "-s", script.name, f"http://127.0.0.1:{port}{path}"],
            capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       out)
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {"rps": rps,
            "failed": (int(bad.group(1)) if bad else 0)
            + (sum(int(g) for g in errors.groups()) if errors else 0),
            "mean_ms": float(latency.group(1)) * scale[latency.group(2)] if latency else 0.0}


def csrf_for(port: int, sessionid: str) -> tuple[str, str]:
    """A CSRF cookie and a page token, read as a browser would."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/courses/sample/m1-l1-quiz/", headers={"Cookie": f"sessionid={sessionid}"})
    response = conn.getresponse()
    page = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page)
    if not cookie or not token:
        raise SystemExit(f"could not read a CSRF token from the quiz page (HTTP {response.status}, "
                         f"Set-Cookie: {response.getheader('Set-Cookie')!r})")
    return cookie.group(1), token.group(1)


GOALS = {"lesson page": 0.5, "quiz answer POST": 0.3}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per measurement")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=8, help="server threads")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator (auto: wrk if installed)")
    parser.add_argument("--database-url", default="",
                        help="run on this (throw-away) PostgreSQL database")
    args = parser.parse_args()
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    if args.client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk, or use --client python")

    work = Path(tempfile.mkdtemp(prefix="buildreal-bench-"))
    shutil.copytree(SAMPLE, work / "courses" / "sample-pack")
    (work / "bench_wsgi.py").write_text(BENCH_MODULE)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(DJANGO_SETTINGS_MODULE="buildreal.web.settings",
               BUILDREAL_DATA_DIR=str(work / "data"),
               BUILDREAL_COURSES_DIR=str(work / "courses"), BUILDREAL_TUTOR_MATCHER="lexical",
               PYTHONPATH=os.pathsep.join([str(work), env.get("PYTHONPATH", "")]))
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    setup = subprocess.run([sys.executable, "-c", SETUP_CODE], env=env, capture_output=True,
                           text=True, check=True)
    ids = json.loads(setup.stdout.strip().splitlines()[-1])
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER_CODE, str(port), str(args.threads)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)

        def headers_for(sessionid: str) -> tuple[dict[str, str], dict[str, str]]:
            csrf_cookie, token = csrf_for(port, sessionid)
            cookies = f"sessionid={sessionid}; csrftoken={csrf_cookie}"
            return {"Cookie": cookies}, {
                "Cookie": cookies, "X-CSRFToken": token, "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}/"}

        get_headers, post_headers = headers_for(ids["bench"])
        _, veteran_post = headers_for(ids["veteran"])
        save_path = f"/attempts/{ids['attempt']}/save/"
        cases = [
            ("bare Django view (peer)", "GET", BARE_PATH, b"", get_headers),
            ("bare view, learner read (floor)", "GET", SIGNED_IN_PATH, b"", get_headers),
            ("lesson page", "GET", LESSON_PATH, b"", get_headers),
            ("quiz answer POST", "POST", ANSWER_PATH, b"answer=0.29", post_headers),
            ("quiz POST, 1,500 answers stored", "POST", ANSWER_PATH, b"answer=0.29",
             veteran_post),
            ("autosave, one question", "POST", save_path, b"shown=q-q3&q-q3=44",
             post_headers),
        ]
        client = (f"wrk, {args.clients} connections" if use_wrk
                  else f"{args.clients} keep-alive Python client processes")
        database = "PostgreSQL" if args.database_url else "SQLite (WAL)"
        print(f"granian, {args.threads} threads; {client}; {args.seconds:.0f} s per case; "
              f"{database}")
        with ProcessPoolExecutor(max_workers=args.clients) as pool:
            def run(method: str, path: str, body: bytes, headers: dict[str, str],
                    seconds: float) -> dict[str, float]:
                if use_wrk:
                    return load_wrk(args.clients, port, method, path, body, headers, seconds)
                return load(pool, args.clients, port, method, path, body, headers, seconds)

            for _name, method, path, body, headers in cases:  # warm-up: caches, connections
                run(method, path, body, headers, 1.0)
            results = {name: run(method, path, body, headers, args.seconds)
                       for name, method, path, body, headers in cases}
        peer = results[cases[0][0]]["rps"]
        print(f"{'case':34} {'req/s':>9} {'mean ms':>9} {'failed':>7} {'ratio to bare':>14}")
        for name, result in results.items():
            print(f"{name:34} {result['rps']:9.1f} {result['mean_ms']:9.2f} "
                  f"{result['failed']:7d} {result['rps'] / peer:14.2f}")
        print("goals (issue 11):")
        for name, goal in GOALS.items():
            ratio = results[name]["rps"] / peer
            print(f"  {name}: {ratio:.2f} of the bare view (goal >= {goal}): "
                  f"{'met' if ratio >= goal else 'NOT met'}")
        saves = results["autosave, one question"]["rps"]
        print(f"  autosaves: {saves:.0f}/s (goal >= 300): {'met' if saves >= 300 else 'NOT met'}")
        growth = (results["quiz POST, 1,500 answers stored"]["rps"]
                  / results["quiz answer POST"]["rps"])
        print(f"  quiz POST with 1,500 stored answers vs none: {growth:.2f} (goal 0.90-1.10): "
              f"{'met' if 0.9 <= growth <= 1.1 else 'NOT met'}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
