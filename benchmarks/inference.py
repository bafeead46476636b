"""Project 10 benchmark: the served Fashion-MNIST CNN, ONNX Runtime against PyTorch eager.

1. In process, one thread each: latency p50/p95/p99 and throughput (images/s) by batch
   size 1..256 for ONNX Runtime and PyTorch eager on the same preprocessed images.
2. Over HTTP on loopback: the service (`run_inference_service`, uvicorn, one worker) is
   started once per backend and a load generator sends binary batch requests on one
   kept-alive connection, one at a time; client-side latency percentiles and throughput.
3. Drift: requests to the first alert for each simulated shift, false alarms over 500
   unshifted windows (the model's own predictions).

Goals: ONNX Runtime >= 2x faster than eager at batch 1 (in process); p50 < 2 ms for the
binary endpoint at batch 1 (HTTP, client side); drift detected within 500 requests with
under 1% false alarms. Writes inference.md (the table) and inference.png to --out.

    nice -n 10 .venv/bin/python benchmarks/inference.py [--out runs/p10-inference/bench]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch

from buildreal.projects.data import load_fashion_mnist
from buildreal.projects.p10_inference import pipeline
from buildreal.projects.p10_inference.reference.serving import latency_summary

BATCHES = (1, 4, 16, 64, 256)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(port: int, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the service exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the service did not start")


def http_load(model_dir: Path, backend: str, images: np.ndarray,
              requests: int) -> list[dict[str, float]]:
    """Start the service with ``backend``; time binary batch requests per batch size."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "buildreal.projects.p10_inference.cli", "--out", str(model_dir),
         "--port", str(port), "--backend", backend],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "OMP_NUM_THREADS": "1"})
    rows = []
    try:
        _wait_ready(port, proc)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"content-type": "application/octet-stream"}
        for b in BATCHES:
            n = max(30, requests // max(1, b // 8))
            body = images[:b].tobytes()
            times, server = [], []
            for i in range(n + 20):  # the first 20 warm up
                start = time.perf_counter()
                conn.request("POST", "/predict/batch", body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                elapsed = (time.perf_counter() - start) * 1000.0
                if i >= 20:
                    times.append(elapsed)
                    server.append(float(resp.getheader("X-Latency-Ms", "nan")))
            s = latency_summary(times)
            rows.append({"runtime": f"http+{backend}", "batch_size": b, "p50_ms": s["p50"],
                         "p95_ms": s["p95"], "p99_ms": s["p99"],
                         "throughput_per_s": b / (s["mean"] / 1000.0), "requests": n,
                         "server_model_p50_ms": float(np.median(server))})
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return rows


def table(rows: list[dict[str, float]]) -> str:
    lines = ["| runtime | batch | p50 ms | p95 ms | p99 ms | images/s |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['runtime']} | {r['batch_size']} | {r['p50_ms']:.3f} | "
                     f"{r['p95_ms']:.3f} | {r['p99_ms']:.3f} | {r['throughput_per_s']:.0f} |")
    return "\n".join(lines)


def plot(rows: list[dict[str, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for runtime in dict.fromkeys(r["runtime"] for r in rows):
        mine = [r for r in rows if r["runtime"] == runtime]
        bs = [r["batch_size"] for r in mine]
        ax1.plot(bs, [r["p50_ms"] for r in mine], marker="o", label=runtime)
        ax2.plot(bs, [r["throughput_per_s"] for r in mine], marker="o", label=runtime)
    for ax, label in ((ax1, "p50 latency (ms)"), (ax2, "throughput (images/s)")):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("batch size")
        ax.set_ylabel(label)
        ax.grid(True, alpha=0.3)
    ax1.legend(fontsize=8)
    fig.suptitle("Fashion-MNIST CNN: ONNX Runtime vs PyTorch eager, in process and over HTTP")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model-dir", type=Path, default=Path("runs/p10-inference"))
    p.add_argument("--out", type=Path, default=Path("runs/p10-inference/bench"))
    p.add_argument("--repeats", type=int, default=400, help="in-process calls at batch 1")
    p.add_argument("--requests", type=int, default=1000, help="HTTP requests at batch 1")
    p.add_argument("--skip-http", action="store_true")
    p.add_argument("--skip-drift", action="store_true")
    args = p.parse_args()
    torch.set_num_threads(1)
    args.out.mkdir(parents=True, exist_ok=True)
    if not (args.model_dir / "model.onnx").exists() or not (args.model_dir / "model.pt").exists():
        pipeline.train_and_export(args.model_dir)
    model = pipeline.load_eager(args.model_dir)
    load = os.getloadavg()[0]
    rows = pipeline.time_runtimes(model, args.model_dir / "model.onnx", repeats=args.repeats)
    tx, _ = load_fashion_mnist("test")
    if not args.skip_http:
        for backend in ("onnxruntime", "torch"):
            rows += http_load(args.model_dir, backend, tx, args.requests)
    report = [f"load average at start: {load:.1f} on {os.cpu_count()} CPUs", "", table(rows), ""]
    by = {(r["runtime"], r["batch_size"]): r for r in rows}
    ratio = by[("torch-eager", 1)]["p50_ms"] / by[("onnxruntime", 1)]["p50_ms"]
    report.append(f"batch 1 in process: ONNX Runtime p50 {by[('onnxruntime', 1)]['p50_ms']:.3f} "
                  f"ms, eager {by[('torch-eager', 1)]['p50_ms']:.3f} ms: {ratio:.1f}x "
                  f"(goal >= 2x: {'met' if ratio >= 2 else 'NOT met'})")
    if ("http+onnxruntime", 1) in by:
        h = by[("http+onnxruntime", 1)]
        report.append(f"binary endpoint, batch 1, client side: p50 {h['p50_ms']:.3f} ms, p99 "
                      f"{h['p99_ms']:.3f} ms (goal p50 < 2 ms: "
                      f"{'met' if h['p50_ms'] < 2 else 'NOT met'}); model alone "
                      f"{h['server_model_p50_ms']:.3f} ms")
    if not args.skip_drift:
        drift = pipeline.simulate_drift(args.model_dir / "model.onnx", log=lambda *_: None)
        worst = max(drift[k]["requests_to_alert"] or 10**9
                    for k in ("brightness", "noise", "class_mix"))
        rate = drift["false_alarms"] / drift["unshifted_windows"]
        report.append(f"drift: first alert after {drift['brightness']['requests_to_alert']} "
                      f"(brightness), {drift['noise']['requests_to_alert']} (noise), "
                      f"{drift['class_mix']['requests_to_alert']} (class mix) requests; "
                      f"{drift['false_alarms']} false alarms in {drift['unshifted_windows']} "
                      f"windows of {drift['window']} ({rate:.1%}) (goal <= 500 requests and "
                      f"< 1%: {'met' if worst <= 500 and rate < 0.01 else 'NOT met'})")
    text = "\n".join(report)
    print(text)
    (args.out / "inference.md").write_text(text + "\n")
    (args.out / "inference.json").write_text(json.dumps({"rows": rows}, indent=2))
    plot(rows, args.out / "inference.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
