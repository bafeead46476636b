"""Slow and idle clients: other learners' page latency while one address holds 1,000
idle or trickling connections, as a ratio to the same server with no such client.

Starts the site the way ``buildreal serve`` does (granian, see src/buildreal/web/serving.py)
on loopback with the sample pack in a throw-away data folder. An attacker process opens
``--connections`` sockets from 127.0.0.1: half stay silent after connecting, half send a
request head one byte at a time (and reconnect whenever the server drops them). Meanwhile
``--learners`` client threads fetch the lesson page back to back. The goal (issue 11): the
learners' p95 stays under 1 s.

    .venv/bin/python benchmarks/slowclients.py [--connections 1000] [--seconds 10]
                                               [--server granian|waitress]

``--server waitress`` runs the server used before, for comparison (if it is installed).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "fixtures" / "sample-pack"
PAGE = "/courses/sample/m1-l1/"
GOAL_P95_S = 1.0

MIGRATE_CODE = "import django; django.setup(); from django.core.management import call_command; " \
    "call_command('migrate', verbosity=0)"
SERVER_CODE = r"""
import sys
kind, port = sys.argv[1], int(sys.argv[2])
if kind == "granian":
    from buildreal.web.serving import make_server
    make_server("127.0.0.1", port, threads=8).serve()
else:
    from waitress import serve
    from buildreal.web.wsgi import application
    serve(application, host="127.0.0.1", port=port, threads=8, _quiet=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer on port {port} within {timeout:.0f} s")


# --- the attacker (a child process) ------------------------------------------------------

async def _idle(port: int, stop: float) -> None:
    while time.monotonic() < stop:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        try:
            await asyncio.wait_for(reader.read(1), timeout=max(0.1, stop - time.monotonic()))
        except (TimeoutError, OSError):
            pass
        writer.close()


async def _trickle(port: int, stop: float) -> None:
    head = b"GET " + PAGE.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000
    while time.monotonic() < stop:
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        try:
            for byte in head:
                if time.monotonic() >= stop:
                    break
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.5)
        except OSError:
            pass  # dropped by the server: come back
        writer.close()


def attack(port: int, connections: int, seconds: float, ready: object) -> None:
    async def main() -> None:
        stop = time.monotonic() + seconds
        tasks = [asyncio.create_task((_idle if i % 2 else _trickle)(port, stop))
                 for i in range(connections)]
        await asyncio.sleep(2.0)
        ready.set()  # type: ignore[attr-defined]
        await asyncio.gather(*tasks)

    asyncio.run(main())


# --- the learners ------------------------------------------------------------------------

def learners(port: int, count: int, seconds: float) -> tuple[list[float], int]:
    """Back-to-back page loads from ``count`` threads; (latencies, failures)."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", PAGE)
                response = connection.getresponse()
                response.read()
                connection.close()
                ok = response.status == 200
            except OSError:
                ok = False
            with lock:
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    failures[0] += 1

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else float("inf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument("--learners", type=int, default=4, help="concurrent learners")
    parser.add_argument("--server", choices=("granian", "waitress"), default="granian")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="buildreal-slow-"))
    shutil.copytree(SAMPLE, work / "courses" / "sample-pack")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="buildreal.web.settings",
               BUILDREAL_DATA_DIR=str(work / "data"),
               BUILDREAL_COURSES_DIR=str(work / "courses"), BUILDREAL_TUTOR_MATCHER="lexical")
    subprocess.run([sys.executable, "-c", MIGRATE_CODE], env=env, check=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER_CODE, args.server, str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        learners(port, args.learners, 1.0)  # warm-up
        calm, calm_failed = learners(port, args.learners, args.seconds)
        ready = multiprocessing.Event()
        attacker = multiprocessing.Process(
            target=attack, args=(port, args.connections, args.seconds + 4, ready))
        attacker.start()
        ready.wait(30)
        loaded, loaded_failed = learners(port, args.learners, args.seconds)
        attacker.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    print(f"{args.server}, 8 threads; {args.learners} learners fetching {PAGE}; "
          f"{args.seconds:.0f} s per case; attacker: {args.connections} connections from "
          f"127.0.0.1 (half idle, half trickling a request head one byte per 0.5 s)")
    print(f"{'case':34} {'pages':>7} {'failed':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values, failed in (("no slow clients (peer)", calm, calm_failed),
                                 (f"{args.connections} slow connections", loaded,
                                  loaded_failed)):
        p50 = statistics.median(values) * 1000 if values else float("inf")
        print(f"{name:34} {len(values):7d} {failed:7d} {p50:8.1f} {p95(values) * 1000:8.1f}")
    ratio = p95(loaded) / p95(calm) if calm else float("inf")
    verdict = "met" if p95(loaded) < GOAL_P95_S and not loaded_failed else "NOT met"
    print(f"p95 under attack / p95 without: {ratio:.2f}; goal p95 < {GOAL_P95_S:.0f} s: "
          f"{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
