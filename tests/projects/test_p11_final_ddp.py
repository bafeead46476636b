"""The final project's training step as a two-process DistributedDataParallel job on
CPU (gloo), started the documented way, with torchrun: the replicas' weights end
identical (the gradients were averaged every step) and rank 0 records the result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import torch


def test_two_gloo_ranks_under_torchrun_end_with_identical_weights(tmp_path: Path) -> None:
    torchrun = Path(sys.executable).with_name("torchrun")
    done = subprocess.run(
        [str(torchrun), "--standalone", "--nproc_per_node=2", "-m",
         "buildreal.projects.p11_final.ddp", "--limit", "512", "--epochs", "1",
         "--batch-size", "64", "--eval-n", "1000", "--out", str(tmp_path),
         "--every-rank"],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    ranks = [torch.load(tmp_path / f"model-world2-rank{r}.pt", weights_only=True)
             for r in (0, 1)]
    assert ranks[0].keys() == ranks[1].keys()
    # Batch norm's running statistics are buffers, not gradients: DDP copies rank 0's to
    # the others before each forward, and each rank's last forward updates its own.
    weights = [k for k in ranks[0] if not k.endswith(("running_mean", "running_var",
                                                       "num_batches_tracked"))]
    assert len(weights) >= 10
    for name in weights:
        assert torch.equal(ranks[0][name], ranks[1][name]), name
    saved = torch.load(tmp_path / "model-world2.pt", weights_only=True)  # rank 0's file
    assert all(torch.equal(saved[k], v) for k, v in ranks[0].items())
    result = json.loads((tmp_path / "ddp-world2.json").read_text())
    assert result["world"] == 2
    assert 0.2 < result["test_accuracy"] <= 1.0  # it learned (chance is 0.1)
