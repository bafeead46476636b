"""Final project benchmark: the bilingual catalogue service end to end.

1. Training: the backbone in one process against the same job under torchrun with two
   gloo processes (same seed, data and global batch): test accuracy of each, the gap
   against the stated tolerance, and the time ratio.
2. Serving on loopback: `buildreal project demo final --workers N` for N = 1, 2, 4,
   loaded by 4 client processes (keep-alive connections, one request at a time each)
   cycling through /predict, /similar and /search (English and Spanish queries) for a
   fixed time: client-side p50/p95 per endpoint and throughput, and the requests that
   /metrics counted against those the clients sent (Prometheus multiprocess mode must
   add the workers up exactly).
3. The incident: normal traffic, then the studio shift, through the service: seconds
   from the shift to the first drifted window, to the retraining request, and from the
   alert to the promoted model (candidate training included).

Text search uses Projects 5 and 6 at --text-preset (default tiny: the small translator
takes about 15 minutes a direction to train here; tiny models are smaller, so /search is
faster than it would be with them). Everything runs on this machine, clients included:
read throughput against the load average printed beside it.

    nice -n 10 .venv/bin/python benchmarks/final.py [--out runs/final-bench]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np

from buildreal.projects.data import load_fashion_mnist
from buildreal.projects.p11_final import pipeline, plan

ENDPOINTS = ("/predict", "/similar", "/search")
QUERIES = (("dark coat", "en"), ("wide trousers", "en"), ("abrigo oscuro", "es"),
           ("pantalones anchos", "es"), ("a light bag", "en"), ("zapatilla", "es"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, url: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", url)
    r = conn.getresponse()
    return r.status, r.read()


def _wait_for_workers(port: int, proc: subprocess.Popen, workers: int,
                      timeout: float = 600.0) -> None:
    """Until /healthz has answered from ``workers`` distinct processes."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(seen) < workers:
        if proc.poll() is not None:
            raise RuntimeError(f"the service exited with {proc.returncode}")
        try:
            status, body = _get(port, "/healthz")
            if status == 200:
                seen.add(json.loads(body)["pid"])
                continue
        except OSError:
            pass
        time.sleep(0.3)
    if len(seen) < workers:
        raise RuntimeError(f"only {len(seen)} of {workers} workers answered")


def _client(port: int, seconds: float, offset: int, images: np.ndarray,
            queue: Any) -> None:
    """One client: requests one after another on a kept-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    lat: dict[str, list[float]] = {e: [] for e in ENDPOINTS}
    errors = 0
    i = offset
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        endpoint = ENDPOINTS[i % 3]
        if endpoint == "/search":
            q, lang = QUERIES[i % len(QUERIES)]
            method, url, body = "GET", "/search?" + urlencode({"q": q, "lang": lang}), None
        else:
            method, url = "POST", endpoint
            body = json.dumps({"image": images[i % len(images)].tolist(), "k": 5})
        start = time.perf_counter()
        conn.request(method, url, body=body, headers={"content-type": "application/json"})
        r = conn.getresponse()
        r.read()
        lat[endpoint].append((time.perf_counter() - start) * 1000.0)
        errors += r.status != 200
        i += 1
    queue.put({"lat": lat, "errors": errors})


def _counted(metrics: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for m in re.finditer(r'^catalogue_requests_total\{endpoint="([^"]+)",status="(\d+)"\} '
                         r"(\S+)$", metrics, re.M):
        out[m.group(1)] = out.get(m.group(1), 0.0) + float(m.group(3))
    return out


def serve_load(model_dir: Path, workers: int, seconds: float, clients: int,
               text_preset: str, models_dir: Path | None) -> dict[str, Any]:
    port = _free_port()
    cmd = [sys.executable, "-m", "buildreal.projects.p11_final.cli", "--out", str(model_dir),
           "--port", str(port), "--workers", str(workers), "--text-preset", text_preset]
    if models_dir:
        cmd += ["--models-dir", str(models_dir)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    tx, _ = load_fashion_mnist("test")
    images = tx[plan.TRAFFIC][:500]
    try:
        _wait_for_workers(port, proc, workers)
        ctx = mp.get_context("fork")
        q = ctx.Queue()
        warm = [ctx.Process(target=_client, args=(port, 3.0, k, images, q))
                for k in range(clients)]
        for p in warm:
            p.start()
        warm_counts = [q.get() for _ in warm]
        for p in warm:
            p.join()
        procs = [ctx.Process(target=_client, args=(port, seconds, 7 * k, images, q))
                 for k in range(clients)]
        load = os.getloadavg()[0]
        for p in procs:
            p.start()
        results = [q.get() for _ in procs]
        for p in procs:
            p.join()
        status, body = _get(port, "/metrics")
        counted = _counted(body.decode())
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    sent = {e: sum(len(r["lat"][e]) for r in results + warm_counts) for e in ENDPOINTS}
    row: dict[str, Any] = {"workers": workers, "clients": clients, "seconds": seconds,
                           "load_before": load, "errors": sum(r["errors"] for r in results),
                           "throughput_per_s": sum(len(v) for r in results
                                                   for v in r["lat"].values()) / seconds,
                           "sent": sent, "counted": {e: counted.get(e, 0.0)
                                                     for e in ENDPOINTS}}
    for e in ENDPOINTS:
        lat = np.concatenate([r["lat"][e] for r in results])
        row[e] = {"p50_ms": float(np.percentile(lat, 50)),
                  "p95_ms": float(np.percentile(lat, 95)), "n": int(len(lat))}
    return row


def ddp(out: Path, limit: int, epochs: int) -> dict[str, Any]:
    """One process, then torchrun with two; each rank on one thread."""
    args = ["--limit", str(limit), "--epochs", str(epochs), "--out", str(out)]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    times = {}
    for world, cmd in ((1, [sys.executable, "-m", "buildreal.projects.p11_final.ddp"]),
                       (2, [str(Path(sys.executable).with_name("torchrun")), "--standalone",
                            "--nproc_per_node=2", "-m",
                            "buildreal.projects.p11_final.ddp"])):
        start = time.perf_counter()
        subprocess.run(cmd + args, check=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times[world] = time.perf_counter() - start
    one, two = (json.loads((out / f"ddp-world{w}.json").read_text()) for w in (1, 2))
    return {"one": one, "two": two, "gap": abs(one["test_accuracy"] - two["test_accuracy"]),
            "tolerance": plan.DDP_TOLERANCE, "wall_s": times}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("runs/final-bench"))
    p.add_argument("--limit", type=int, default=20000)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seconds", type=float, default=20.0, help="load per worker count")
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--workers", default="1,2,4")
    p.add_argument("--text-preset", default="tiny")
    p.add_argument("--models-dir", type=Path, default=None)
    p.add_argument("--skip", default="", help="comma list of: ddp, serve, incident")
    args = p.parse_args()
    import torch

    torch.set_num_threads(1)  # as the demo and ddp.py: the same seed, the same numbers
    skip = set(filter(None, args.skip.split(",")))
    args.out.mkdir(parents=True, exist_ok=True)
    model_dir = args.out / "model"
    report: dict[str, Any] = {"cpus": os.cpu_count(), "load_at_start": os.getloadavg()}
    if not (model_dir / "model.onnx").exists():
        pipeline.train_and_track(model_dir, limit=args.limit, epochs=args.epochs,
                                 store=args.out / "mlruns")
    print(f"load average at start {report['load_at_start'][0]:.1f} on {report['cpus']} CPUs")
    if "ddp" not in skip:
        d = ddp(args.out / "ddp", args.limit, args.epochs)
        report["ddp"] = d
        print(f"DDP: 1 process {d['one']['test_accuracy']:.4f} ({d['wall_s'][1]:.0f} s), "
              f"2 processes {d['two']['test_accuracy']:.4f} ({d['wall_s'][2]:.0f} s): gap "
              f"{d['gap']:.4f} (tolerance {d['tolerance']}); time ratio 2/1 "
              f"{d['wall_s'][2] / d['wall_s'][1]:.2f}")
    if "serve" not in skip:
        rows = []
        for w in (int(v) for v in args.workers.split(",")):
            row = serve_load(model_dir, w, args.seconds, args.clients, args.text_preset,
                             args.models_dir)
            rows.append(row)
            ratio = row["throughput_per_s"] / rows[0]["throughput_per_s"]
            print(f"{w} worker(s): {row['throughput_per_s']:.0f} req/s ({ratio:.2f}x of "
                  f"{rows[0]['workers']}), load {row['load_before']:.1f}, errors "
                  f"{row['errors']}; " + "; ".join(
                      f"{e} p50 {row[e]['p50_ms']:.1f} p95 {row[e]['p95_ms']:.1f} ms"
                      for e in ENDPOINTS))
            print(f"  /metrics counted {row['counted']} of {row['sent']} sent")
        report["serving"] = rows
    if "incident" not in skip:
        inc = args.out / "incident"
        shutil.rmtree(inc, ignore_errors=True)
        shutil.copytree(model_dir, inc)
        report["incident"] = pipeline.replay_incident(inc, epochs=args.epochs,
                                                      store=args.out / "mlruns")
    (args.out / "final.json").write_text(json.dumps(report, indent=2))
    print(f"wrote {args.out / 'final.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
