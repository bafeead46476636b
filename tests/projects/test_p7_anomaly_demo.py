"""``run_anomaly_detector`` on a tiny preset: the notes' lines, the extra metrics and
every artifact it promises (figures, false positives with their features, report)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from buildreal.cli import main as cli_main

REPO = Path(__file__).parents[2]

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def test_demo_prints_threshold_and_count_and_writes_its_artifacts(tmp_path, capsys):
    out = tmp_path / "run"
    assert cli_main(["project", "demo", "p7-anomaly", "--dataset", "ionosphere",
                     "--epochs", "3", "--threads", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    threshold = float(re.search(r"^threshold: (\S+)$", printed, re.M).group(1))
    detected = int(re.search(r"^anomalies_detected: (\d+)$", printed, re.M).group(1))
    assert re.search(r"^precision: [01]\.\d{3} recall: [01]\.\d{3}$", printed, re.M)
    results = json.loads((out / "results.json").read_text())
    assert results["anomalies_detected"] == detected
    assert results["threshold"] == pytest.approx(threshold, rel=1e-3)
    assert results["validation_fpr"] <= 0.05  # the stated 1% target, on ~45 normals
    for figure in ("scores.png", "roc_pr.png"):
        assert (out / figure).read_bytes().startswith(b"\x89PNG")
    table = (out / "false_positives.md").read_text().splitlines()[2:]
    assert len(table) == min(10, len(results["false_positives"]))
    assert all(re.search(r"V\d+ \(\d+%", row) for row in table)


def test_run_anomaly_detector_is_a_console_script_of_the_package():
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["run_anomaly_detector"] == "buildreal.projects.p7_anomaly.cli:main"
