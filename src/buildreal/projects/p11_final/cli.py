"""``buildreal project demo final``: train whatever is missing, export and check it,
build the catalogue and its indexes, start the service and print its URLs.

    buildreal project demo final                       # serve on 127.0.0.1:8000
    buildreal project demo final --workers 4           # 4 uvicorn workers, one /metrics
    buildreal project demo final --replay-incident     # shift -> alert -> retrain -> promote
    buildreal project demo final --no-serve            # build everything, print, exit
    buildreal project demo final --run-job runs/final/retrain-queue/retrain-PID-1.json \
        --labels labels.npy                            # retrain, promote if better
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.data import DataUnavailable


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="buildreal project demo final",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("runs/final"), help="model folder")
    p.add_argument("--limit", type=int, default=20000, help="training images (default 20000)")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--retrain", action="store_true", help="train even if a model exists")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    p.add_argument("--no-text", action="store_true",
                   help="skip Projects 5 and 6 (then /search answers 503)")
    p.add_argument("--text-preset", default="small",
                   help="preset of Projects 5 and 6 ('tiny' trains in seconds, translates "
                   "badly; 'small' takes about 15 minutes once)")
    p.add_argument("--models-dir", type=Path, default=None,
                   help="where Projects 5 and 6 keep their models (default: theirs)")
    p.add_argument("--mlflow-store", type=Path, default=None,
                   help="MLflow file store (default: mlruns beside the data sets)")
    p.add_argument("--replay-incident", action="store_true",
                   help="replay a traffic shift through the service, retrain, promote, exit")
    p.add_argument("--no-serve", action="store_true", help="prepare everything, then exit")
    p.add_argument("--run-job", type=Path, default=None, metavar="JOB",
                   help="run a queued retraining job (retrain-queue/retrain-PID-N.json) with "
                   "--labels, promote if better, exit")
    p.add_argument("--labels", type=Path, default=None,
                   help="a .npy of one class index per image of the job, in order")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    from buildreal.projects.p11_final import pipeline

    try:
        if args.retrain or not (args.out / "model.onnx").exists():
            pipeline.train_and_track(args.out, limit=args.limit, epochs=args.epochs,
                                     seed=args.seed, store=args.mlflow_store)
        else:
            print(f"using the model in {args.out} (--retrain to train again)")
        if args.run_job is not None:
            if args.labels is None:
                print("error: --run-job needs --labels LABELS.npy", file=sys.stderr)
                return 2
            decision = pipeline.run_job(args.out, args.run_job, np.load(args.labels),
                                        epochs=args.epochs, store=args.mlflow_store)
            print(f"retraining: {decision.reason}")
            return 0
        if args.replay_incident:
            result = pipeline.replay_incident(args.out, epochs=args.epochs,
                                              store=args.mlflow_store)
            (args.out / "incident.json").write_text(json.dumps(result, indent=2))
            return 0 if result.get("decision") else 1
        text = None if args.no_text else pipeline.load_text_side(args.models_dir,
                                                                 args.text_preset)
        app = pipeline.serve_app(args.out, text)  # builds both indexes: fails here, not later
    except DataUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cat = app.state.catalogue
    print(f"catalogue: {len(cat)} items indexed by image"
          + (" and by text (EN/ES)" if cat.text is not None else "; text search off"))
    base = f"http://{args.host}:{args.port}"
    print(f"  {base}/healthz\n  {base}/metrics\n  {base}/docs\n"
          f"  curl -s '{base}/search?q=dark+coat&lang=en'\n"
          f"  curl -s '{base}/search?q=abrigo+oscuro&lang=es'\n"
          f"  curl -s -X POST {base}/predict -H 'content-type: application/json' "
          f"-d '{{\"image\": [[0, 0, ...28 rows of 28 pixels...]]}}'   (also /similar)")
    if args.no_serve:
        return 0
    return serve(args.out, args.host, args.port, args.workers, text is not None,
                 args.text_preset, args.models_dir)


def serve(out: Path, host: str, port: int, workers: int, text: bool, preset: str,
          models_dir: Path | None = None) -> int:
    """Run uvicorn on the factory in ``serve.py``; with several workers, Prometheus'
    multiprocess mode (a fresh folder each start, as its documentation requires)."""
    import uvicorn

    os.environ.update({"BUILDREAL_FINAL_OUT": str(out.resolve()),
                       "BUILDREAL_FINAL_TEXT": "1" if text else "0",
                       "BUILDREAL_FINAL_TEXT_PRESET": preset,
                       "BUILDREAL_FINAL_MODELS": str(models_dir.resolve()) if models_dir
                       else ""})
    folder = None
    if workers > 1:
        folder = tempfile.mkdtemp(prefix="final-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    try:
        # A worker builds its catalogue (and loads Projects 5 and 6) before it answers the
        # parent's health pings; uvicorn's default 5 s would kill and respawn it forever
        # on a busy machine.
        uvicorn.run("buildreal.projects.p11_final.serve:create", factory=True, host=host,
                    port=port, workers=workers, log_level="warning",
                    timeout_worker_healthcheck=300)
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
