"""The reference optimizer playground against torch.optim, PyTorch's schedulers and
autograd, plus the playground command a learner runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from buildreal.projects.p2_optimizers import report
from buildreal.projects.p2_optimizers.playground import main as playground_main
from buildreal.projects.p2_optimizers.reference import (
    OPTIMIZERS,
    SGD,
    SURFACES,
    Adam,
    clip_grad_norm,
    compare,
    cosine,
    linear_warmup,
    run,
    step_decay,
)

# name -> (our optimizer, the same thing in torch.optim), identical hyperparameters
TWINS: dict[str, tuple[Callable[[], Any], Callable[[list[Any]], Any]]] = {
    "sgd": (lambda: OPTIMIZERS["sgd"](lr=0.03, weight_decay=0.01),
            lambda p: torch.optim.SGD(p, lr=0.03, weight_decay=0.01)),
    "momentum": (lambda: OPTIMIZERS["momentum"](lr=0.01, momentum=0.8),
                 lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.8)),
    "nesterov": (lambda: OPTIMIZERS["nesterov"](lr=0.01, momentum=0.95),
                 lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.95, nesterov=True)),
    "rmsprop": (lambda: OPTIMIZERS["rmsprop"](lr=0.003, alpha=0.9, eps=1e-6),
                lambda p: torch.optim.RMSprop(p, lr=0.003, alpha=0.9, eps=1e-6)),
    "adam": (lambda: OPTIMIZERS["adam"](lr=0.02, betas=(0.8, 0.99), eps=1e-7,
                                        weight_decay=0.05),
             lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-7,
                                        weight_decay=0.05)),
    "adamw": (lambda: OPTIMIZERS["adamw"](lr=0.02, weight_decay=0.3),
              lambda p: torch.optim.AdamW(p, lr=0.02, weight_decay=0.3)),
}


def test_every_optimizer_has_a_torch_twin_in_these_tests() -> None:
    assert set(TWINS) == set(OPTIMIZERS)


@pytest.mark.parametrize("name", sorted(TWINS))
def test_update_rule_matches_torch_optim_for_1000_steps(name: str) -> None:
    ours_factory, theirs_factory = TWINS[name]
    rng = np.random.default_rng(11)
    noise = rng.normal(0.0, 0.2, (1000, 3))
    curvature = np.array([0.5, 3.0, 12.0])
    p = np.array([1.0, -2.0, 0.5])
    ours = ours_factory()
    t = torch.tensor(p.copy(), requires_grad=True)
    theirs = theirs_factory([t])
    for step in range(1000):
        p = ours.step(p, curvature * p + noise[step])
        with torch.no_grad():
            t.grad = torch.as_tensor(curvature * t.detach().numpy() + noise[step])
        theirs.step()
        np.testing.assert_allclose(p, t.detach().numpy(), atol=1e-6, rtol=0,
                                   err_msg=f"{name} at step {step}")


def test_schedules_match_pytorchs_schedulers() -> None:
    param = torch.zeros(1, requires_grad=True)
    cases = [
        (lambda t: step_decay(t, 0.2, 25, 0.3),
         lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=25, gamma=0.3)),
        (lambda t: cosine(t, 0.2, 80, 0.01),
         lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=80, eta_min=0.01)),
        (lambda t: linear_warmup(t, 0.2, 10),
         lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=9)),
    ]
    for ours, make in cases:
        opt = torch.optim.SGD([param], lr=0.2)
        sched = make(opt)
        for t in range(81):  # past T_max torch's cosine climbs again; ours holds min_lr
            assert ours(t) == pytest.approx(sched.get_last_lr()[0], rel=1e-9, abs=1e-12)
            opt.step()
            sched.step()


@pytest.mark.parametrize("grad", [[30.0, -40.0], [0.3, 0.4], [1e-9, 0.0]])
def test_clipping_matches_torch_clip_grad_norm(grad: list[float]) -> None:
    t = torch.tensor(grad, dtype=torch.float64, requires_grad=True)
    t.grad = torch.tensor(grad, dtype=torch.float64)
    torch.nn.utils.clip_grad_norm_([t], 5.0)
    np.testing.assert_allclose(clip_grad_norm(np.array(grad), 5.0), t.grad.numpy(),
                               rtol=1e-12)


def _torch_surface(name: str, x: Any, y: Any) -> Any:
    """The surfaces written again, for autograd to differentiate."""
    if name == "rosenbrock":
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2
    if name == "himmelblau":
        return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2
    if name == "beale":
        return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2
                + (2.625 - x + x * y**3) ** 2)
    if name == "saddle":
        return x**2 + y**4 / 4 - y**2 / 2
    return (x**2 + 50 * y**2) / 2


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_surface_gradients_match_autograd_and_minima_are_lowest(name: str) -> None:
    surface = SURFACES[name]
    for p in np.random.default_rng(1).uniform(-3, 3, (8, 2)):
        t = torch.tensor(p, requires_grad=True)
        value = surface.value(t.detach().numpy())
        expr = _torch_surface(name, t[0], t[1])
        expr.backward()
        assert value == pytest.approx(expr.item(), rel=1e-12)
        np.testing.assert_allclose(surface.gradient(p), t.grad.numpy(), rtol=1e-10, atol=1e-10)
        assert value >= surface.minimum - 1e-12
    for m in surface.minimizers:
        assert surface.value(np.array(m)) == pytest.approx(surface.minimum, abs=1e-9)


def test_the_same_seed_gives_the_same_path_and_another_seed_another() -> None:
    s = SURFACES["beale"]
    a = run(s, Adam(lr=0.01), 300, seed=1, noise=0.3)
    b = run(s, Adam(lr=0.01), 300, seed=1, noise=0.3)
    c = run(s, Adam(lr=0.01), 300, seed=2, noise=0.3)
    assert np.array_equal(a.path, b.path)
    assert not np.array_equal(a.path, c.path)
    runs = compare("saddle", list(OPTIMIZERS), 50)
    assert {tuple(r.path[0]) for r in runs} == {SURFACES["saddle"].start}


def test_a_rate_too_large_for_the_curvature_is_reported_as_divergence() -> None:
    r = run(SURFACES["rosenbrock"], SGD(lr=0.05), 500)
    assert r.diverged and r.steps < 50 and np.all(np.isfinite(r.path))
    tame = run(SURFACES["rosenbrock"], SGD(lr=0.05), 500, clip=1.0)
    assert not tame.diverged


def test_steps_to_tolerance_is_the_first_step_within_tolerance() -> None:
    r = run(SURFACES["ill_conditioned"], SGD(lr=0.035), 400)
    assert r.steps_to_tol is not None
    assert r.losses[r.steps_to_tol] < 1e-3 <= r.losses[r.steps_to_tol - 1]


def test_the_written_comparison_cites_the_measured_numbers() -> None:
    runs = compare("saddle", ["sgd", "momentum", "adam"], 2000)
    text = " ".join(report.explain(SURFACES["saddle"], runs))
    by_name = {r.optimizer: r for r in runs}
    assert f"Momentum ({by_name['momentum'].steps_to_tol} steps" in text
    assert f"SGD ({by_name['sgd'].steps_to_tol} steps" in text


def test_the_playground_prints_the_summary_and_writes_png_and_svg(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert playground_main(["--surface", "rosenbrock", "--optimizer", "sgd", "--steps", "300",
                            "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["surface: rosenbrock", "optimizer: sgd"]
    assert lines[2].startswith("final_loss: ") and float(lines[2].split()[1]) > 0
    assert lines[3] == "steps: 300"
    assert (tmp_path / "rosenbrock_sgd.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (tmp_path / "rosenbrock_sgd.svg").read_text(encoding="utf-8")


def test_racing_every_optimizer_writes_a_report_with_a_row_for_each(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert playground_main(["--surface", "ill_conditioned", "--steps", "200", "--out",
                            str(tmp_path)]) == 0
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    for name in OPTIMIZERS:
        assert f"| {name} |" in text
    assert "![Paths on ill_conditioned](ill_conditioned.png)" in text
    assert (tmp_path / "ill_conditioned.svg").is_file()
