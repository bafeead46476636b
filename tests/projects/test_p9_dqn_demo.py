"""Project 9's demo, `run_dqn_train`, on a tiny preset: the notes' output lines and every
figure it promises, the frame strip rendered off-screen by CartPole's own renderer."""

from __future__ import annotations

import json

import matplotlib.image as mpimg
import pytest

from buildreal.projects.p9_dqn.cli import main

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def test_run_dqn_train_prints_episode_lines_and_writes_every_figure(tmp_path, capsys):
    assert main(["--seeds", "2", "--steps", "1100", "--print-every", "10",
                 "--eval-episodes", "2", "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    episode_lines = [ln for ln in lines if ln.startswith("episode: ")]
    assert episode_lines and all(" average_reward: " in ln for ln in episode_lines)
    first = episode_lines[0].split()
    assert first[1] == "10" and float(first[3]) > 0
    for name in ("learning_curve", "epsilon", "q_values", "frames"):
        image = mpimg.imread(tmp_path / f"{name}.png")
        assert image.shape[0] > 100 and image.shape[1] > 200
        assert image[..., :3].std() > 0.01  # something was drawn
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert [s["seed"] for s in summary["seeds"]] == [0, 1]
    assert summary["frame_strip_episode_length"] >= 1
