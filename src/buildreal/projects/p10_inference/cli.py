"""``run_inference_service``: train and export the reference CNN once (if needed), then
serve it with FastAPI under uvicorn, with drift monitoring and a retraining hook.

    run_inference_service                       # serve on 127.0.0.1:8000
    run_inference_service --simulate-drift      # print alerts for simulated shifts, exit
    run_inference_service --benchmark           # write benchmarks.json, exit
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import torch

from buildreal.projects.data import DataUnavailable


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="run_inference_service",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("runs/p10-inference"),
                   help="model, validation and benchmark folder")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--limit", type=int, default=20000, help="training images (default 20000)")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--retrain", action="store_true", help="train and export even if a model "
                   "exists")
    p.add_argument("--simulate-drift", action="store_true",
                   help="run the brightness, noise and class-mix simulations and exit")
    p.add_argument("--benchmark", action="store_true",
                   help="time ONNX Runtime and PyTorch by batch size into benchmarks.json")
    p.add_argument("--backend", choices=("onnxruntime", "torch"), default="onnxruntime",
                   help="serve through ONNX Runtime (default) or PyTorch eager")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    torch.set_num_threads(args.threads)
    from buildreal.projects.p10_inference import pipeline
    from buildreal.projects.p10_inference.reference import serving as ref

    path = args.out / "model.onnx"
    try:
        if args.retrain or not path.exists():
            art = pipeline.train_and_export(args.out, limit=args.limit, epochs=args.epochs)
            model = art.model
        else:
            model = None
        if args.simulate_drift:
            result = pipeline.simulate_drift(path)
            (args.out / "drift.json").write_text(json.dumps(result, indent=2))
            return 0
        if args.benchmark:
            if model is None:
                model = pipeline.load_eager(args.out)
            rows = pipeline.time_runtimes(model, path)
            (args.out / "benchmarks.json").write_text(json.dumps(
                {"device": "cpu, 1 thread", "rows": rows}, indent=2))
            for r in rows:
                print(f"{r['runtime']:12s} batch {r['batch_size']:4d}  p50 {r['p50_ms']:.3f} ms"
                      f"  p99 {r['p99_ms']:.3f} ms  {r['throughput_per_s']:.0f} images/s")
            return 0
        from buildreal.projects.data import load_fashion_mnist

        x, _ = load_fashion_mnist("train")
        tx, _ = load_fashion_mnist("test")
        reference = x[-3000:]
        predictor = ref.OnnxPredictor(path)
        ref_pred, _ = predictor.predict(reference)
        hook = ref.RetrainHook(args.out / "retrain-queue")
        monitor = ref.DriftMonitor(reference, ref_pred, on_retrain=hook)
        served = pipeline.TorchPredictor(pipeline.load_eager(args.out), predictor.metadata) \
            if args.backend == "torch" else predictor
        app = ref.create_app(path, monitor=monitor, known_images=tx[:64], predictor=served)
    except DataUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    import uvicorn

    base = f"http://{args.host}:{args.port}"
    print(f"serving {path} ({args.backend}) on {base}\n"
          f"  curl -s {base}/healthz\n"
          f"  curl -s -X POST {base}/predict -H 'content-type: application/json' "
          f"-d '{{\"input\": [[0, 0, ...28 rows of 28 pixels...]]}}'\n"
          f"  curl -s {base}/metrics")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
