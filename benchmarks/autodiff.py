"""One training step of an MLP (forward, backward, SGD update): buildreal's autodiff
engine against PyTorch eager on the same data, and against a scalar engine in the style
of micrograd written here for the comparison.

    nice -n 10 .venv/bin/python benchmarks/autodiff.py [--repeats 7]

Prints time per step and the ratio to PyTorch (above 1.00 means buildreal is faster).
Single-threaded on purpose: at these sizes threads add overhead, and the machines this
runs on are shared.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before NumPy/torch load their BLAS
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from buildreal.projects.p1_autodiff.reference import MLP, SGD, Tensor  # noqa: E402

LR = 0.05


# --- a scalar engine, micrograd style: one Python object per number ------------------
class Value:
    __slots__ = ("data", "grad", "_prev", "_back")

    def __init__(self, data: float, prev: tuple[Value, ...] = ()) -> None:
        self.data, self.grad, self._prev, self._back = data, 0.0, prev, None

    def __add__(self, other: Value | float) -> Value:
        o = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + o.data, (self, o))

        def back() -> None:
            self.grad += out.grad
            o.grad += out.grad

        out._back = back
        return out

    def __mul__(self, other: Value | float) -> Value:
        o = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * o.data, (self, o))

        def back() -> None:
            self.grad += o.data * out.grad
            o.grad += self.data * out.grad

        out._back = back
        return out

    def __sub__(self, other: Value | float) -> Value:
        return self + (other * -1.0 if isinstance(other, Value) else -other)

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        out = Value(t, (self,))

        def back() -> None:
            self.grad += (1 - t * t) * out.grad

        out._back = back
        return out

    def backward(self) -> None:
        order, seen = [], set()

        def visit(v: Value) -> None:
            if id(v) not in seen:
                seen.add(id(v))
                for p in v._prev:
                    visit(p)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            if v._back:
                v._back()


class ScalarMLP:
    def __init__(self, sizes: list[int], rng: np.random.Generator) -> None:
        self.layers = []
        for a, b in zip(sizes[:-1], sizes[1:], strict=True):
            bound = 1 / math.sqrt(a)
            w = [[Value(float(rng.uniform(-bound, bound))) for _ in range(a)] for _ in range(b)]
            bias = [Value(float(rng.uniform(-bound, bound))) for _ in range(b)]
            self.layers.append((w, bias))

    def __call__(self, x: list[Value]) -> list[Value]:
        for i, (w, bias) in enumerate(self.layers):
            out = []
            for row, b in zip(w, bias, strict=True):
                acc = b
                for wi, xi in zip(row, x, strict=True):
                    acc = acc + wi * xi
                out.append(acc.tanh() if i < len(self.layers) - 1 else acc)
            x = out
        return x

    def parameters(self) -> list[Value]:
        return [p for w, b in self.layers for row in w for p in row] + \
            [p for _, b in self.layers for p in b]


# --- one step in each engine ---------------------------------------------------------
def buildreal_step(sizes: list[int], x: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    model = MLP(sizes, rng=np.random.default_rng(0))
    opt = SGD(model.parameters(), lr=LR)
    inputs, targets = Tensor(x, requires_grad=False), Tensor(y, requires_grad=False)

    def step() -> None:
        loss = ((model(inputs) - targets) ** 2).mean()  # (N, 1) -> scalar
        opt.zero_grad()
        loss.backward()
        opt.step()

    return step


def torch_step(sizes: list[int], x: np.ndarray, y: np.ndarray,
               dtype: torch.dtype) -> Callable[[], None]:
    torch.manual_seed(0)
    layers: list[torch.nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(torch.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh())
    model = torch.nn.Sequential(*layers).to(dtype)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    inputs = torch.as_tensor(x, dtype=dtype)
    targets = torch.as_tensor(y, dtype=dtype)

    def step() -> None:
        loss = ((model(inputs) - targets) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    return step


def scalar_step(sizes: list[int], x: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    model = ScalarMLP(sizes, np.random.default_rng(0))
    params = model.parameters()
    rows = [([Value(float(v)) for v in xi], float(yi[0])) for xi, yi in zip(x, y, strict=True)]

    def step() -> None:
        loss = Value(0.0)
        for xi, yi in rows:
            d = model(xi)[0] - yi
            loss = loss + d * d
        loss = loss * (1.0 / len(rows))
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= LR * p.grad

    return step


def seconds_per_step(steps: dict[str, Callable[[], None]], repeats: int,
                     budget_s: float = 0.3) -> dict[str, float]:
    """Median time per step of each engine. The engines take turns batch by batch, so a
    burst of load from other processes hits all of them alike."""
    per_batch: dict[str, int] = {}
    for name, step in steps.items():
        step()  # warm up (first-call allocations, lazy imports)
        start = time.perf_counter()
        step()
        per_batch[name] = max(1, int(budget_s / max(time.perf_counter() - start, 1e-6)))
    samples: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            n = per_batch[name]
            start = time.perf_counter()
            for _ in range(n):
                step()
            samples[name].append((time.perf_counter() - start) / n)
    return {name: statistics.median(times) for name, times in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    cases = [("tiny MLP 2-16-16-1", [2, 16, 16, 1], True),
             ("wide MLP 2-256-256-1", [2, 256, 256, 1], False)]
    print(f"one SGD step (forward, backward, update), batch 64, median of {args.repeats}; "
          f"torch {torch.__version__}, numpy {np.__version__}, 1 thread")
    for label, sizes, with_scalar in cases:
        x = rng.normal(size=(64, 2))  # (N, 2)
        y = np.sin(x[:, :1]) * np.cos(x[:, 1:])  # (N, 1)
        times = seconds_per_step({
            "ours": buildreal_step(sizes, x, y),
            "t64": torch_step(sizes, x, y, torch.float64),
            "t32": torch_step(sizes, x, y, torch.float32),
        }, args.repeats)
        ours, t64, t32 = times["ours"], times["t64"], times["t32"]
        print(f"\n{label}")
        print(f"  buildreal engine (float64)  {ours * 1e6:9.1f} µs/step")
        print(f"  PyTorch eager (float64)     {t64 * 1e6:9.1f} µs/step   "
              f"ratio torch/buildreal = {t64 / ours:.2f}")
        print(f"  PyTorch eager (float32)     {t32 * 1e6:9.1f} µs/step   "
              f"ratio torch/buildreal = {t32 / ours:.2f}")
        if with_scalar:
            scalar = seconds_per_step({"scalar": scalar_step(sizes, x, y)}, 3, 1.0)["scalar"]
            print(f"  scalar micrograd-style      {scalar * 1e6:9.1f} µs/step   "
                  f"ratio scalar/buildreal = {scalar / ours:.1f}")
        else:
            print("  scalar micrograd-style      skipped: about 4.3 million Value objects "
                  "per step")


if __name__ == "__main__":
    main()
