"""The backbone's training step as a DistributedDataParallel job (gloo on CPU).

    torchrun --standalone --nproc_per_node=2 -m buildreal.projects.p11_final.ddp \\
        --limit 20000 --epochs 2 --out runs/final-ddp

Without torchrun (no ``WORLD_SIZE`` in the environment) it trains in one process, which
is the baseline the two-process run is compared with: same seed, same data, same global
batch. Rank 0 writes ``ddp.json`` (world size, test accuracy, seconds) and the weights.
On several machines, start the same command on each with ``--nnodes``, ``--node_rank``
and a shared ``--rdzv_endpoint`` instead of ``--standalone`` (see the write-up).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import torch
import torch.distributed as dist


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m buildreal.projects.p11_final.ddp")
    p.add_argument("--limit", type=int, default=20000)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=128, help="global batch")
    p.add_argument("--out", type=Path, default=Path("runs/final-ddp"))
    p.add_argument("--eval-n", type=int, default=10000, help="test images scored")
    p.add_argument("--every-rank", action="store_true",
                   help="every rank saves its weights (to show the replicas stayed equal)")
    args = p.parse_args(argv)
    torch.set_num_threads(1)  # one core per rank: ranks must not fight over threads
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if world > 1:
        dist.init_process_group("gloo")
    from buildreal.projects.data import load_fashion_mnist
    from buildreal.projects.p11_final.reference.catalogue import (
        TrainConfig,
        accuracy,
        train_model,
    )

    x, y = load_fashion_mnist("train")
    start = time.perf_counter()
    model = train_model(x[: args.limit], y[: args.limit],
                        TrainConfig(epochs=args.epochs, seed=args.seed,
                                    batch_size=args.batch_size), rank=rank, world=world)
    seconds = time.perf_counter() - start
    if args.every_rank:
        args.out.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), args.out / f"model-world{world}-rank{rank}.pt")
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    if rank == 0:
        tx, ty = load_fashion_mnist("test")
        acc = accuracy(model, tx[: args.eval_n], ty[: args.eval_n])
        args.out.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), args.out / f"model-world{world}.pt")
        result = {"world": world, "test_accuracy": acc, "test_images": min(args.eval_n,
                  len(tx)), "train_seconds": seconds,
                  "limit": args.limit, "epochs": args.epochs, "seed": args.seed}
        (args.out / f"ddp-world{world}.json").write_text(json.dumps(result, indent=2))
        print(f"world {world}: test accuracy {acc:.4f} after {seconds:.0f} s of training")
    return 0


if __name__ == "__main__":
    sys.exit(main())
