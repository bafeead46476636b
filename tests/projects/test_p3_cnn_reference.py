"""The Project 3 reference pieces a learner compares against: augmentation, the report's
numbers, and `run_cnn_train` end to end on a tiny preset."""

from __future__ import annotations

import json

import pytest
import torch

from buildreal.projects.p3_cnn import artifacts
from buildreal.projects.p3_cnn.cli import main as run_cnn_train
from buildreal.projects.p3_cnn.reference.cnn import augment, build_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def _dot_image(row: int, col: int) -> torch.Tensor:
    x = torch.zeros(1, 1, 28, 28)
    x[0, 0, row, col] = 1.0
    return x


def test_augmentation_moves_content_by_at_most_the_shift_and_keeps_it():
    x = _dot_image(14, 14).repeat(64, 1, 1, 1)
    out = augment(x, train=True, generator=torch.Generator().manual_seed(0), max_shift=2,
                  flip=False)
    assert out.shape == x.shape
    assert torch.equal(out.flatten(1).sum(1), torch.ones(64))  # the dot is never lost
    rows, cols = (out[:, 0] == 1).nonzero()[:, 1], (out[:, 0] == 1).nonzero()[:, 2]
    assert rows.sub(14).abs().max() <= 2 and cols.sub(14).abs().max() <= 2
    assert len(set(zip(rows.tolist(), cols.tolist(), strict=True))) > 10  # really random


def test_flips_mirror_left_right_only_when_asked():
    x = _dot_image(5, 3).repeat(200, 1, 1, 1)
    out = augment(x, train=True, generator=torch.Generator().manual_seed(1), max_shift=0)
    cols = (out[:, 0] == 1).nonzero()[:, 2]
    assert set(cols.tolist()) == {3, 24}  # 27 - 3: mirrored, never moved up or down
    kept = augment(x, train=True, generator=torch.Generator().manual_seed(1), max_shift=0,
                   flip=False)
    assert torch.equal(kept, x)


def test_signals_are_shifted_in_time_and_the_same_seed_repeats_the_draw():
    x = torch.randn(8, 1, 40)
    a = augment(x, train=True, generator=torch.Generator().manual_seed(3))
    b = augment(x, train=True, generator=torch.Generator().manual_seed(3))
    assert a.shape == (8, 1, 40) and torch.equal(a, b) and not torch.equal(a, x)
    assert augment(x, train=False) is x


def test_same_cnn_family_handles_signals_and_images():
    assert build_model(10, dims=1, input_size=40)(torch.randn(3, 1, 40)).shape == (3, 10)
    assert build_model(10)(torch.randn(3, 1, 28, 28)).shape == (3, 10)


def test_confusion_matrix_and_hardest_pairs_count_both_directions():
    y_true = torch.tensor([0, 0, 1, 1, 2, 2, 2])
    y_pred = torch.tensor([1, 0, 0, 1, 2, 1, 2])
    cm = artifacts.confusion_matrix(y_true, y_pred, 3)
    assert cm.tolist() == [[1, 1, 0], [1, 1, 0], [0, 1, 2]]
    pairs = artifacts.hardest_pairs(cm, ("a", "b", "c"), top=2)
    assert pairs[0][:3] == ("a", "b", 2) and pairs[1][:3] == ("b", "c", 1)


def test_most_confident_mistakes_are_wrong_and_ordered_by_confidence():
    probs = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    y = torch.tensor([1, 1, 1, 0])
    mistakes = artifacts.most_confident_mistakes(probs, y, n=10)
    assert [m[0] for m in mistakes] == [0, 3, 2]  # index 1 is right
    assert mistakes[0][3] == pytest.approx(0.9)


def test_run_cnn_train_prints_epoch_lines_and_writes_every_artifact(tmp_path, capsys):
    code = run_cnn_train(["--limit", "800", "--test-limit", "500", "--epochs", "2",
                          "--study-size", "300",
                          "--study-epochs", "1", "--mnist1d-epochs", "1", "--threads", "1",
                          "--out", str(tmp_path)])
    assert code == 0
    out = capsys.readouterr().out
    assert "epoch: 1 train_acc: " in out and "epoch: 2 train_acc: " in out
    assert "val_acc: " in out and "MNIST-1D test_acc:" in out
    for name in ("curves.png", "confusion_matrix.png", "confident_mistakes.png",
                 "augmentation_curves.png", "report.md"):
        assert (tmp_path / name).stat().st_size > 0
    report = (tmp_path / "report.md").read_text()
    assert "## Hardest class pairs" in report and "augmentation" in report
    assert "| CNN (paper) | 94.0% |" in report
    numbers = json.loads((tmp_path / "results.json").read_text())
    assert sum(map(sum, numbers["confusion_matrix"])) == 500  # one count per test image
    assert len(numbers["confident_mistakes"]) == 10


def _outcome(label: str, train_acc: list[float], val_acc: list[float], test_acc: float):
    from buildreal.projects.p3_cnn.pipeline import RunOutcome
    from buildreal.projects.p3_cnn.reference.cnn.train import TrainResult

    best = max(range(len(val_acc)), key=val_acc.__getitem__) + 1
    history = {"train_acc": train_acc, "val_acc": val_acc, "train_loss": [0.1] * len(val_acc),
               "val_loss": [0.2] * len(val_acc), "lr": [1e-3] * len(val_acc)}
    return RunOutcome(label, TrainResult(torch.nn.Identity(), history, best), torch.eye(2),
                      test_acc, 1.0)


@pytest.mark.parametrize(("with_val", "verdict"), [(0.884, "improved"),
                                                     (0.860, "did not improve")])
def test_report_states_whether_augmentation_helped_from_the_best_epochs(with_val, verdict):
    from buildreal.projects.p3_cnn.report import write_report

    study = {"with": _outcome("with", [0.90, 0.964], [0.85, with_val], 0.877),
             "without": _outcome("without", [0.99, 1.0], [0.873, 0.870], 0.867)}
    report = write_report(study["with"], [], [], ("a", "b"), study, 3000, None)
    assert f"Augmentation {verdict} validation accuracy (87.3% -> {100 * with_val:.1f}%)" \
        in report
    # the gap is read at each run's best validation epoch, not at its last epoch
    assert "| without | 99.0% | 87.3% | 11.7 points | 86.7% |" in report
    assert "on 3000 training images" in report

