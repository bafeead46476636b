"""The widgets compute what the project's own Python computes, on the same inputs.

The browser widgets' arithmetic lives in ES modules (gd-math.js, net-math.js) that node
imports here; the Python side is the reference code of the Mastery projects: P2's
surfaces and momentum optimizer, P1's MLP, cross-entropy and SGD. One node process
answers every case.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from buildreal.projects.p1_autodiff.reference.engine import Tensor, cross_entropy
from buildreal.projects.p1_autodiff.reference.nn import MLP, SGD
from buildreal.projects.p2_optimizers.reference.optimizers import Momentum
from buildreal.projects.p2_optimizers.reference.runs import run
from buildreal.projects.p2_optimizers.reference.surfaces import SURFACES

REPO = Path(__file__).resolve().parents[2]
WIDGETS = REPO / "src" / "buildreal" / "exercises" / "static" / "exercises" / "widgets"
RUNNER = Path(__file__).with_name("run_widget_math.mjs")

GD_CASES = [  # (surface, lr, momentum, steps): converging, oscillating and diverging runs
    ("ill_conditioned", 0.02, 0.0, 60),
    ("ill_conditioned", 0.02, 0.9, 80),
    ("ill_conditioned", 0.045, 0.0, 30),  # lr above 2/50: the y direction blows up
    ("rosenbrock", 1e-3, 0.0, 200),
    ("rosenbrock", 2e-4, 0.9, 200),
    ("himmelblau", 5e-3, 0.5, 100),
    ("saddle", 0.01, 0.9, 150),
]
NET_CASES = [  # (activation, width, lr, steps, data set)
    ("tanh", 8, 0.5, 40, "circle"),
    ("relu", 5, 0.3, 40, "xor"),
    ("sigmoid", 3, 1.0, 40, "moons"),
]


def _node(request: dict) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: scripts/setup.sh installs nodejs")
    result = subprocess.run([node, "--no-warnings", str(RUNNER)],
                            input=json.dumps({**request, "folder": str(WIDGETS)}),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@lru_cache(maxsize=1)
def _datasets() -> list[dict]:
    return _node({"data": [{"kind": kind, "n": 40, "seed": 1}
                           for _a, _w, _lr, _s, kind in NET_CASES]})["data"]


def test_js_surfaces_match_the_python_surfaces() -> None:
    points = [(-1.2, 1.0), (0.5, -0.3), (3.0, 2.0)]
    names = ["ill_conditioned", "rosenbrock", "himmelblau", "saddle"]
    cases = [(name, point) for name in names for point in points]

    answer = _node({"gd": [{"surface": name, "lr": 1e-3, "steps": 1, "start": list(point)}
                           for name, point in cases]})["gd"]

    for (name, point), js in zip(cases, answer, strict=True):
        surface = SURFACES[name]
        assert js["losses"][0] == pytest.approx(float(surface.value(np.array(point))),
                                                rel=1e-12)
        # one step of lr 1e-3 moves by -1e-3 times the Python gradient
        step = (np.array(point) - np.array(js["path"][1])) / 1e-3
        np.testing.assert_allclose(step, surface.gradient(np.array(point)), rtol=1e-9)


def test_js_gradient_descent_follows_the_python_path() -> None:
    answer = _node({"gd": [{"surface": s, "lr": lr, "momentum": mu, "steps": steps}
                           for s, lr, mu, steps in GD_CASES]})["gd"]

    for (surface, lr, mu, steps), js in zip(GD_CASES, answer, strict=True):
        ref = run(SURFACES[surface], Momentum(lr=lr, momentum=mu), steps)
        assert js["diverged"] == ref.diverged, surface
        np.testing.assert_allclose(np.array(js["path"]), ref.path, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(np.array(js["losses"]), ref.losses, rtol=1e-9,
                                   atol=1e-12)
    assert any(case["diverged"] for case in answer)  # the cases include a blow-up
    assert not answer[1]["diverged"] and answer[1]["losses"][-1] < 1e-2


def _python_training(activation: str, width: int, lr: float, steps: int, X: np.ndarray,
                     y: np.ndarray) -> tuple[list[dict], list[float], MLP]:
    """Train P1's reference MLP; its first weights (for JS), losses and trained model."""
    model = MLP([2, width, 2], rng=np.random.default_rng(3), activation=activation)
    weights = [{"W": layer.weight.data.tolist(), "b": layer.bias.data.tolist()}
               for layer in model.layers]
    optimizer = SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = cross_entropy(model(Tensor(X, requires_grad=False)), y)
        loss.backward()
        optimizer.step()
        losses.append(float(loss.data))
    return weights, losses, model


def test_js_network_trains_like_the_python_reference() -> None:
    cases, expected = [], []
    for (activation, width, lr, steps, _kind), data in zip(NET_CASES, _datasets(),
                                                           strict=True):
        X, y = np.array(data["X"]), np.array(data["y"])
        weights, losses, model = _python_training(activation, width, lr, steps, X, y)
        cases.append({"layers": weights, "activation": activation, "lr": lr,
                      "steps": steps, "X": data["X"], "y": data["y"]})
        expected.append((losses, model))

    answer = _node({"net": cases})["net"]

    for (losses, model), js in zip(expected, answer, strict=True):
        np.testing.assert_allclose(js["losses"], losses, rtol=1e-9)
        for layer, js_layer in zip(model.layers, js["layers"], strict=True):
            np.testing.assert_allclose(np.array(js_layer["W"]), layer.weight.data, rtol=1e-9,
                                       atol=1e-12)
            np.testing.assert_allclose(np.array(js_layer["b"]), layer.bias.data, rtol=1e-9,
                                       atol=1e-12)
        assert js["losses"][-1] < js["losses"][0]  # it learns, not just agrees


def test_js_data_sets_are_two_balanced_classes_in_the_unit_square() -> None:
    for data in _datasets():
        X, y = np.array(data["X"]), np.array(data["y"])
        assert X.shape == (40, 2) and np.abs(X).max() <= 1.0
        assert sorted(np.bincount(y)) == [20, 20]


def test_js_initial_weights_are_bounded_like_torch_linear() -> None:
    [net] = _node({"init": [{"sizes": [2, 16, 2], "activation": "relu", "seed": 0}]})["init"]

    first, second = net["layers"]
    assert np.array(first["W"]).shape == (2, 16) and np.array(second["W"]).shape == (16, 2)
    assert np.abs(np.array(first["W"])).max() <= 1 / np.sqrt(2)
    assert np.abs(np.array(second["W"])).max() <= 1 / np.sqrt(16)
    assert np.std(np.array(first["W"])) > 0.1  # drawn, not constant
