"""Project 4's time-budgeted training: the learning-rate schedule (warmup, then a cosine
decay to a floor) and runs stopped by a wall-clock or CPU-time budget, whose schedule
follows the fraction of the budget spent."""

from __future__ import annotations

import math
import time

import pytest
import torch

from buildreal.projects.p4_charlm.corpus import Vocab
from buildreal.projects.p4_charlm.pipeline import budget_config
from buildreal.projects.p4_charlm.reference.charlm import CharLM, TrainConfig, lr_at, train_tbptt

TEXT = "the cat sat on the mat. the rat ate the hat. " * 20

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def _data() -> tuple[int, torch.Tensor]:
    vocab = Vocab.from_texts(TEXT)
    return len(vocab), torch.from_numpy(vocab.encode_array(TEXT))


def test_schedule_starts_at_the_peak_halves_midway_and_ends_at_the_floor():
    cfg = TrainConfig(lr=0.01, final_lr_ratio=0.1)
    assert lr_at(0.0, cfg) == pytest.approx(0.01)
    assert lr_at(0.5, cfg) == pytest.approx((0.01 + 0.001) / 2)
    assert lr_at(1.0, cfg) == pytest.approx(0.001)
    assert lr_at(1.7, cfg) == pytest.approx(0.001)  # a run past its budget stays at the floor


def test_warmup_climbs_from_the_floor_to_the_peak_then_the_cosine_decays():
    cfg = TrainConfig(lr=0.02, warmup=0.1, final_lr_ratio=0.05)
    assert lr_at(0.0, cfg) == pytest.approx(0.001)
    assert lr_at(0.05, cfg) == pytest.approx((0.001 + 0.02) / 2)
    assert lr_at(0.1, cfg) == pytest.approx(0.02)
    assert lr_at(0.55, cfg) == pytest.approx((0.001 + 0.02) / 2)  # halfway through the decay
    rates = [lr_at(p / 100, cfg) for p in range(10, 101)]
    assert all(a >= b for a, b in zip(rates, rates[1:], strict=False))
    assert lr_at(1.0, cfg) == pytest.approx(0.001)


def test_a_step_counted_run_follows_pytorchs_cosine_annealing():
    vocab_size, data = _data()
    torch.manual_seed(0)
    model = CharLM(vocab_size, hidden_size=16)
    history = train_tbptt(model, data, TrainConfig(seq_len=16, batch_size=4, steps=12))
    opt = torch.optim.Adam(torch.nn.Linear(1, 1).parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12, eta_min=1e-3)
    expected = []
    for _ in range(12):
        expected.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    assert history["lr"] == pytest.approx(expected)


def test_a_time_budget_ends_the_run_and_its_schedule_together():
    """A fake clock that advances one second per step: a 10-second budget is 10 steps,
    the rate decays by the elapsed fraction, and the step limit never comes into it."""
    vocab_size, data = _data()
    now = [0.0]
    cfg = TrainConfig(seq_len=16, batch_size=4, steps=10_000, lr=1e-2, max_seconds=10.0,
                      clock=lambda: now[0])

    def tick(step: int, row: dict[str, float]) -> None:
        now[0] += 1.0

    torch.manual_seed(0)
    history = train_tbptt(CharLM(vocab_size, hidden_size=16), data, cfg, on_step=tick)
    assert len(history["loss"]) == 10
    assert [round(lr, 10) for lr in history["lr"]] == [
        round(lr_at(s / 10, cfg), 10) for s in range(10)]
    assert history["lr"][5] == pytest.approx((1e-2 + 1e-3) / 2)


def test_cpu_budget_stops_training_once_the_process_has_spent_it():
    vocab_size, data = _data()
    tc = budget_config(TrainConfig(seq_len=16, batch_size=4), 0.3, cpu=True)
    assert tc.clock is time.process_time and tc.max_seconds == 0.3
    torch.manual_seed(0)
    before = time.process_time()
    history = train_tbptt(CharLM(vocab_size, hidden_size=16), data, tc)
    spent = time.process_time() - before
    assert spent >= 0.3  # it ran until the budget was gone ...
    assert 0 < len(history["loss"]) < tc.steps  # ... and the budget, not the steps, ended it
    assert history["lr"][-1] < history["lr"][0]
    assert math.isfinite(history["loss"][-1])


def test_wall_budget_is_the_default_clock():
    assert budget_config(TrainConfig(), 5.0).clock is time.perf_counter


def test_bfloat16_autocast_trains_while_the_weights_stay_float32():
    vocab_size, data = _data()
    torch.manual_seed(0)
    model = CharLM(vocab_size, hidden_size=32)
    history = train_tbptt(model, data, TrainConfig(seq_len=16, batch_size=4, steps=40,
                                                   bf16=True))
    assert all(p.dtype == torch.float32 for p in model.parameters())
    assert sum(history["loss"][-5:]) / 5 < 0.7 * history["loss"][0]
