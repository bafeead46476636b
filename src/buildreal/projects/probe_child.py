"""The sandboxed side of a check: call the learner's code, write down what came back.

``python -m buildreal.projects.probe_child JOB.json`` runs the probes the job lists, in
order, and leaves for each a folder ``OUT/<probe>/`` with ``data.json`` (renamed into
place last, so its existence means the probe is complete) and the arrays as
``a<N>.npy``. Nothing here decides a verdict: see :mod:`buildreal.projects.checking`.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from buildreal.projects.sandbox import (
    CheckTimeout,
    Failed,
    import_failure,
    learner_frame,
    load_package,
    require,
    short,
    submodule,
    time_limit,
)


class ProbeContext:
    """What a probe gets: the learner's package (imported on first use), the inputs the
    parent chose, and a private scratch folder."""

    def __init__(self, learner_dir: Path, package: str, inputs: dict[str, Any],
                 scratch: Path) -> None:
        self.learner_dir = learner_dir
        self.package_name = package
        self.inputs = inputs
        self.scratch = scratch
        self._package: ModuleType | None = None
        self._import_error: BaseException | None = None

    @property
    def package(self) -> ModuleType:
        if self._import_error is not None:
            raise self._import_error
        if self._package is None:
            try:
                self._package = load_package(self.learner_dir, self.package_name)
            except Exception as exc:
                reason, detail = import_failure(exc, self.learner_dir, self.package_name)
                self._import_error = Failed(reason, detail)
                raise self._import_error from None
        return self._package

    def module(self, name: str) -> ModuleType:
        """A submodule of the learner's package (``ctx.module("engine")``)."""
        try:
            return submodule(self.package, name)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith(f".{name}"):
                raise Failed(f"{self.package_name}/{name}.py is missing") from None
            raise

    def require(self, *names: str, module: ModuleType | None = None) -> Any:
        """Attributes of the package (or ``module``); one name gives the object itself."""
        found = require(module or self.package, *names)
        return found[0] if len(names) == 1 else found

    def crash(self, exc: BaseException) -> str:
        """A learner exception as data: its name, message and line in their files."""
        frame = learner_frame(exc, self.learner_dir)
        return f"raised {type(exc).__name__}: {short(str(exc), 160)}" + (
            f" ({frame.splitlines()[0]})" if "\n" in frame else "")


class _Writer:
    """Turns a probe's return value into JSON plus ``.npy`` files in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def plain(self, value: Any) -> Any:
        if value is None or isinstance(value, (bool, int, str)):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else {"__float__": repr(value)}
        if isinstance(value, np.generic):
            return self.plain(value.item())
        if isinstance(value, dict):
            return {str(k): self.plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.plain(v) for v in value]
        array = _as_array(value)
        if array is None:
            raise TypeError(f"a probe returned {type(value).__name__}; only plain data "
                            "(numbers, strings, lists, dicts, arrays) may cross")
        name = f"a{self.count}.npy"
        self.count += 1
        np.save(self.folder / name, array.copy(order="C"), allow_pickle=False)
        return {"__array__": name}


def _as_array(value: Any) -> np.ndarray | None:
    if isinstance(value, np.ndarray):
        array = value
    elif type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        array = value.detach().cpu().numpy()
    else:
        return None
    if array.dtype == object:
        raise TypeError("object arrays cannot cross the sandbox boundary")
    return array


def write_outcome(folder: Path, payload: dict[str, Any]) -> None:
    """``data.json`` last and by rename: its existence says the probe is complete."""
    tmp = folder / "data.json.tmp"
    tmp.write_text(json.dumps(payload), encoding="utf-8")
    os.replace(tmp, folder / "data.json")


def run_probe(fn: Callable[[ProbeContext], Any], ctx: ProbeContext, folder: Path,
              timeout_s: float) -> None:
    """Run one probe and write its outcome; never raises for the learner's errors."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = _Writer(folder)
    try:
        with time_limit(timeout_s):
            value = fn(ctx)
        payload: dict[str, Any] = {"ok": writer.plain(value)}
    except Failed as verdict:
        payload = {"failed": str(verdict), "detail": verdict.detail}
    except CheckTimeout as exc:
        payload = {"failed": f"{exc}: an infinite loop, or far too slow?",
                   "detail": learner_frame(exc, ctx.learner_dir)}
    except BaseException as exc:  # noqa: BLE001 - SystemExit from learner code too
        if isinstance(exc, TypeError) and "may cross" in str(exc):
            raise  # the probe's own bug, not the learner's
        payload = {"failed": f"your code raised {type(exc).__name__}: {short(str(exc))}",
                   "detail": learner_frame(exc, ctx.learner_dir)}
    write_outcome(folder, payload)


def load_inputs(folder: Path) -> dict[str, Any]:
    """The parent's inputs: arrays read-only, other values from ``inputs.json``."""
    inputs: dict[str, Any] = {}
    meta = folder / "inputs.json"
    if meta.is_file():
        inputs.update(json.loads(meta.read_text(encoding="utf-8")))
    for path in sorted(folder.glob("*.npy")):
        array = np.load(path, allow_pickle=False)
        array.setflags(write=False)
        inputs[path.stem] = array
    return inputs


def run_job(job: dict[str, Any]) -> None:
    """Run every probe of ``job`` in this process (the sandboxed child, or a test)."""
    learner_dir = Path(job["learner_dir"])
    if str(learner_dir) not in sys.path:
        sys.path.insert(0, str(learner_dir))  # the learner's code imports as it would at home
    module = importlib.import_module(job["probes_module"])
    if "torch" in sys.modules:  # one thread: tiny workloads, and a CPU shared with others
        sys.modules["torch"].set_num_threads(1)
    scratch = Path(job.get("scratch") or "/tmp/scratch")
    scratch.mkdir(parents=True, exist_ok=True)
    ctx = ProbeContext(learner_dir, job["package"], load_inputs(Path(job["inputs"])), scratch)
    out = Path(job["out"])
    for probe in job["probes"]:
        run_probe(getattr(module, probe["name"]), ctx, out / probe["name"], probe["timeout_s"])


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    run_job(job)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
