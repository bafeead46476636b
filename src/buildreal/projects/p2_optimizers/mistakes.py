"""The usual ways an update rule goes wrong, as runnable fingerprints.

When a learner's optimizer drifts from torch.optim, the check replays each known mistake
on the same gradients and start; a fingerprint that reproduces the learner's trajectory
names the bug ("Adam without bias correction") instead of leaving only a step number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

State = dict[str, Any]
Step = Callable[[np.ndarray, np.ndarray, State, dict[str, Any]], np.ndarray]
COMPARE_STEPS = 50


def _sgd_ascent(p: np.ndarray, g: np.ndarray, s: State, k: dict[str, Any]) -> np.ndarray:
    return p + k["lr"] * g


def _sgd_decay(sign: float) -> Step:
    def step(p: np.ndarray, g: np.ndarray, s: State, k: dict[str, Any]) -> np.ndarray:
        return p - k["lr"] * (g + sign * k.get("weight_decay", 0.0) * p)

    return step


def _velocity_rule(update: Callable[[Any, np.ndarray, float], np.ndarray],
                   first_is_gradient: bool) -> Step:
    """A momentum variant; the first velocity is either the first gradient (PyTorch's
    choice) or the update applied to a zero velocity, since learners write both."""

    def step(p: np.ndarray, g: np.ndarray, s: State, k: dict[str, Any]) -> np.ndarray:
        if "v" not in s and first_is_gradient:
            s["v"] = g.copy()
        else:
            s["v"] = update(s.get("v", 0.0), g, k["momentum"])
        return p - k["lr"] * s["v"]

    return step


def _both_starts(description: str,
                 update: Callable[[Any, np.ndarray, float], np.ndarray]) -> list[tuple[str, Step]]:
    return [(description, _velocity_rule(update, True)),
            (description, _velocity_rule(update, False))]


def _plain_momentum(p: np.ndarray, g: np.ndarray, s: State, k: dict[str, Any]) -> np.ndarray:
    s["v"] = g.copy() if "v" not in s else k["momentum"] * s["v"] + g
    return p - k["lr"] * s["v"]


def _rms_swapped(p: np.ndarray, g: np.ndarray, s: State, k: dict[str, Any]) -> np.ndarray:
    s["sq"] = (1 - k["alpha"]) * s.get("sq", 0.0) + k["alpha"] * g * g
    return p - k["lr"] * g / (np.sqrt(s["sq"]) + k["eps"])


def _rms_eps_inside(p: np.ndarray, g: np.ndarray, s: State, k: dict[str, Any]) -> np.ndarray:
    s["sq"] = k["alpha"] * s.get("sq", 0.0) + (1 - k["alpha"]) * g * g
    return p - k["lr"] * g / np.sqrt(s["sq"] + k["eps"])


def _rms_no_root(p: np.ndarray, g: np.ndarray, s: State, k: dict[str, Any]) -> np.ndarray:
    s["sq"] = k["alpha"] * s.get("sq", 0.0) + (1 - k["alpha"]) * g * g
    return p - k["lr"] * g / (s["sq"] + k["eps"])


def _rms_first_square(p: np.ndarray, g: np.ndarray, s: State, k: dict[str, Any]
                      ) -> np.ndarray:
    s["sq"] = g * g if "sq" not in s else k["alpha"] * s["sq"] + (1 - k["alpha"]) * g * g
    return p - k["lr"] * g / (np.sqrt(s["sq"]) + k["eps"])


def _adam(correct_m: bool, correct_v: bool, eps_inside: bool = False,
          l2: float = 0.0, decay: float = 0.0, decay_times_lr: bool = True,
          t_offset: int = 0, decay_after: bool = False) -> Step:
    def step(p: np.ndarray, g: np.ndarray, s: State, k: dict[str, Any]) -> np.ndarray:
        b1, b2 = k["betas"]
        if decay and not decay_after:
            p = p * (1 - k["lr"] * decay) if decay_times_lr else p * (1 - decay)
        g = g + l2 * p if l2 else g
        s["t"] = s.get("t", 0) + 1
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
        t = s["t"] + t_offset
        m = s["m"] / (1 - b1 ** t) if correct_m else s["m"]
        v = s["v"] / (1 - b2 ** t) if correct_v else s["v"]
        denom = np.sqrt(v + k["eps"]) if eps_inside else np.sqrt(v) + k["eps"]
        out = p - k["lr"] * m / denom
        return out * (1 - k["lr"] * decay) if decay and decay_after else out

    return step


def _WRONG_TERM(v: Any, g: np.ndarray, mu: float) -> np.ndarray:  # noqa: N802
    return v + mu * g


def _fingerprints(key: str, kwargs: dict[str, Any]) -> list[tuple[str, Step]]:
    wd = kwargs.get("weight_decay", 0.0)
    adamw = [
        ("weight decay added to the gradient (Adam with L2), not decoupled from the "
         "adaptive step", _adam(True, True, l2=wd)),
        ("decoupled decay not scaled by lr (p ← p·(1 − wd))",
         _adam(True, True, decay=wd, decay_times_lr=False)),
        ("AdamW without bias correction", _adam(False, False, decay=wd)),
        ("weight_decay ignored: the step is plain Adam", _adam(True, True)),
        ("weight decay with the wrong sign: it pushes the weights away from zero",
         _adam(True, True, decay=-wd)),
        ("decay applied after the Adam step, to the updated parameters; torch.optim.AdamW "
         "shrinks the parameters it was given, then steps", _adam(True, True, decay=wd,
                                                                  decay_after=True)),
        ("bias correction one step ahead (1 − βᵗ⁺¹): the step counter must be 1 at the "
         "first step", _adam(True, True, decay=wd, t_offset=1)),
    ]
    return {
        "sgd_wd": [
            ("weight decay with the wrong sign: it pushes the weights away from zero "
             "(p ← p − lr·(g − wd·p))", _sgd_decay(-1.0)),
            ("weight_decay ignored: the step is plain SGD", _sgd_decay(0.0)),
            ("weight decay not multiplied by lr", lambda p, g, s, k:
             p - k["lr"] * g - k["weight_decay"] * p),
        ],
        "adamw_wd": adamw,
        "sgd": [("gradient ascent: the step adds lr·grad instead of subtracting it",
                 _sgd_ascent)],
        "adam_wd": [
            ("weight_decay ignored: the step is plain Adam", _adam(True, True)),
            ("decoupled decay (AdamW's rule) where torch.optim.Adam adds wd·p to the "
             "gradient", _adam(True, True, decay=wd)),
            ("weight decay with the wrong sign: it pushes the weights away from zero",
             _adam(True, True, l2=-wd)),
            ("bias correction one step ahead (1 − βᵗ⁺¹): the step counter must be 1 at the "
             "first step", _adam(True, True, l2=wd, t_offset=1)),
        ],
        "momentum": [
            *_both_starts("momentum applied to the wrong term: v ← v + μ·g scales the "
                          "gradient, the old velocity must be scaled instead (v ← μ·v + g)",
                          _WRONG_TERM),
            *_both_starts("a velocity that never decays (v ← v + g, μ missing)",
                          lambda v, g, mu: v + g),
            *_both_starts("a dampened velocity v ← μ·v + (1−μ)·g; PyTorch adds the whole "
                          "gradient", lambda v, g, mu: mu * v + (1 - mu) * g),
            ("a velocity that is not kept between steps: every step is plain SGD",
             lambda p, g, s, k: p - k["lr"] * g),
        ],
        "nesterov": [
            ("plain heavy-ball momentum: the look-ahead step along g + μ·v is missing",
             _plain_momentum),
            ("a velocity that is not kept between steps: every step goes along (1 + μ)·g",
             lambda p, g, s, k: p - k["lr"] * (1 + k["momentum"]) * g),
            *_both_starts("momentum applied to the wrong term: v ← v + μ·g", _WRONG_TERM),
        ],
        "rmsprop": [
            ("α and 1−α swapped in the running average of g²", _rms_swapped),
            ("eps inside the square root: PyTorch divides by √s + eps", _rms_eps_inside),
            ("the square root is missing: PyTorch divides by √s + eps, not s + eps",
             _rms_no_root),
            ("the running average of g² starts at the first g², not at 0 as in PyTorch",
             _rms_first_square),
        ],
        "adam": [
            ("Adam without bias correction (m and v are not divided by 1 − βᵗ)",
             _adam(False, False)),
            ("Adam with the bias correction on m only", _adam(True, False)),
            ("Adam with the bias correction on v only", _adam(False, True)),
            ("Adam with eps inside the square root", _adam(True, True, eps_inside=True)),
            ("bias correction one step ahead (1 − βᵗ⁺¹): the step counter must be 1 at the "
             "first step", _adam(True, True, t_offset=1)),
        ],
        "adamw": adamw,
    }.get(key, [])


def diagnose(key: str, kwargs: dict[str, Any], trajectory: np.ndarray, p0: np.ndarray,
             noise: np.ndarray, curvature: np.ndarray) -> str | None:
    """The name of the known mistake that reproduces ``trajectory``, or None."""
    n = min(COMPARE_STEPS, len(trajectory) - 1, len(noise))
    if n < 1:
        return None
    for description, step in _fingerprints(key, kwargs):
        p, state, ok = p0.copy(), {}, True
        for t in range(n):
            p = step(p, curvature * p + noise[t], state, kwargs)
            if not np.allclose(p, trajectory[t + 1], rtol=1e-9, atol=1e-12):
                ok = False
                break
        if ok:
            return description
    return None
