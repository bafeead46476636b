"""Definition-of-Done checks for Project 3, run against the learner's ``cnn/`` package.

The learner's package must define ``build_model``, ``predict_proba``, ``augment``,
``TrainConfig`` and ``train_model`` (the starter lists their signatures). Every check
feeds real Fashion-MNIST images and judges what comes back; none trusts a number the
learner's code reports about itself when it can measure it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import torch
import torch.nn.functional as F

from buildreal.projects.base import CheckResult
from buildreal.projects.data import DataUnavailable, load_fashion_mnist
from buildreal.projects.p3_cnn.data import images_to_tensor
from buildreal.projects.sandbox import Failed, Judge, load_package, require

PACKAGE = "cnn"
DOD = (
    "The model can overfit a tiny batch (loss near zero on 10 examples)",
    "The output shape and the softmax are right",
    "Augmentation is applied only in training",
    "A fixed seed makes training reproducible",
    "Validation accuracy passes the threshold on a fixed subset",
)
OVERFIT_LOSS = 0.05
OVERFIT_STEPS = 150
VAL_THRESHOLD = 0.65
SUBSET_TRAIN, SUBSET_VAL, SUBSET_EPOCHS = 1500, 1000, 2


def _images() -> tuple[torch.Tensor, torch.Tensor]:
    try:
        images, labels = load_fashion_mnist("train")
    except DataUnavailable as exc:
        raise Failed(f"cannot judge without the data: {exc}") from exc
    return images_to_tensor(images), torch.from_numpy(labels)


def check_overfit(pkg: ModuleType, x: torch.Tensor, y: torch.Tensor) -> str:
    (build_model,) = require(pkg, "build_model")
    torch.manual_seed(0)
    model = build_model(10, seed=0)
    model.train()
    xb, yb = x[:10], y[:10]
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss = torch.tensor(float("inf"))
    for step in range(1, OVERFIT_STEPS + 1):
        out = model(xb)
        loss = F.cross_entropy(out, yb)
        if loss.item() < OVERFIT_LOSS:
            return f"cross-entropy {loss.item():.3f} on 10 images after {step} Adam steps"
        opt.zero_grad()
        loss.backward()
        opt.step()
    why = (f"after {OVERFIT_STEPS} Adam steps (lr 3e-3) on 10 training images the "
           f"cross-entropy is still {loss.item():.3f}, not below {OVERFIT_LOSS}")
    with torch.no_grad():
        out = model(xb)
    if out.min() >= 0 and torch.allclose(out.sum(1), torch.ones(len(out)), atol=1e-3):
        why += (": forward returns probabilities (softmax is applied inside the model), and "
                "cross_entropy applies log-softmax again. Return raw logits from forward.")
    elif not any(p.requires_grad and p.grad is not None for p in model.parameters()):
        why += ": no parameter receives a gradient (detached or frozen?)"
    else:
        why += (": the model cannot fit even 10 examples; look for a layer that destroys "
                "information (a wrong reshape, a too-small flatten, a missing nonlinearity)")
    raise Failed(why)


def check_outputs(pkg: ModuleType, x: torch.Tensor) -> str:
    build_model, predict_proba = require(pkg, "build_model", "predict_proba")
    model = build_model(10, seed=0)
    xb = x[:7]
    model.eval()
    with torch.no_grad():
        logits = model(xb)
    if tuple(logits.shape) != (7, 10):
        raise Failed(f"model(x) for x of shape {tuple(xb.shape)} returned shape "
                     f"{tuple(logits.shape)}; expected (7, 10): one logit per class per image")
    probs = predict_proba(model, xb)
    if not isinstance(probs, torch.Tensor) or tuple(probs.shape) != (7, 10):
        shape = tuple(probs.shape) if hasattr(probs, "shape") else type(probs).__name__
        raise Failed(f"predict_proba returned {shape}; expected a (7, 10) tensor")
    if probs.min() < 0:
        raise Failed(f"predict_proba returned a negative probability ({probs.min():.3f}); "
                     "did it return logits without a softmax?")
    rows = probs.sum(1)
    if not torch.allclose(rows, torch.ones(7), atol=1e-4):
        cols = probs.sum(0)
        if torch.allclose(cols[:10], torch.ones(10), atol=1e-4):
            raise Failed("predict_proba normalises over the batch: each column sums to 1, rows "
                         f"sum to {rows[0]:.3f}, {rows[1]:.3f}, ... Use softmax over the "
                         "class dimension (dim=1).")
        raise Failed(f"predict_proba rows sum to {rows.min():.3f}..{rows.max():.3f}, not 1")
    expected = torch.softmax(logits, dim=1)
    gap = (probs - expected).abs().max().item()
    if gap > 1e-4:
        raise Failed(f"predict_proba differs from softmax(model(x), dim=1) in evaluation mode "
                     f"by up to {gap:.3f}: is the model left in training mode, or are the "
                     "logits scaled?")
    return "logits (7, 10); probabilities are the softmax over classes, rows sum to 1"


def _signature(images: torch.Tensor) -> torch.Tensor:
    """Sorted pixel values per image: unchanged by flips, barely changed by small shifts."""
    return images.flatten(1).sort(dim=1).values  # (N, H*W)


def check_augment_train_only(pkg: ModuleType, x: torch.Tensor) -> str:
    augment, build_model, predict_proba = require(pkg, "augment", "build_model", "predict_proba")
    xb = x[:32].clone()
    evaluated = augment(xb.clone(), train=False, generator=torch.Generator().manual_seed(0))
    if tuple(evaluated.shape) != tuple(xb.shape) or not torch.equal(evaluated, xb):
        changed = ((evaluated - xb).flatten(1).abs().amax(1) > 0).sum().item() \
            if evaluated.shape == xb.shape else len(xb)
        raise Failed(f"augment(train=False) changed {changed} of 32 images: at evaluation the "
                     "model must see the real images")
    trained = augment(xb.clone(), train=True, generator=torch.Generator().manual_seed(0))
    if tuple(trained.shape) != tuple(xb.shape):
        raise Failed(f"augment(train=True) changed the shape from {tuple(xb.shape)} to "
                     f"{tuple(trained.shape)}")
    changed = ((trained - xb).flatten(1).abs().amax(1) > 1e-6).sum().item()
    if changed < 8:
        raise Failed(f"augment(train=True) changed only {changed} of 32 images: training "
                     "gets (almost) no augmentation")
    dist = torch.cdist(_signature(trained), _signature(xb))  # (32, 32)
    nearest = dist.argmin(1)
    moved = (nearest != torch.arange(32)).nonzero().flatten()
    if len(moved) > 3:
        i = moved[0].item()
        raise Failed(f"augment(train=True) moves images between batch positions (augmented "
                     f"image {i} looks like original image {nearest[i].item()}), so labels "
                     "no longer match: shift along the height and width dimensions, not the "
                     "batch dimension")
    model = build_model(10, seed=0)
    first, second = predict_proba(model, xb[:8]), predict_proba(model, xb[:8])
    if not torch.equal(first, second):
        raise Failed("predict_proba gives different probabilities for the same images twice: "
                     "augmentation or dropout is active at evaluation (model.eval()?)")
    return (f"train=True changed {changed} of 32 images and kept each in place; train=False "
            "and predict_proba leave images untouched")


def _subset(x: torch.Tensor, y: torch.Tensor, n_train: int, n_val: int):  # noqa: ANN202
    return x[:n_train], y[:n_train], x[-n_val:], y[-n_val:]


def _config(pkg: ModuleType, **overrides: object) -> object:
    (config_cls,) = require(pkg, "TrainConfig")
    config = config_cls()
    unknown = [k for k in overrides if not hasattr(config, k)]
    if unknown:
        raise Failed(f"TrainConfig has no field {', '.join(unknown)}")
    return dataclasses.replace(config, **overrides) if dataclasses.is_dataclass(config) \
        else config_cls(**overrides)


def check_val_accuracy(pkg: ModuleType, x: torch.Tensor, y: torch.Tensor) -> str:
    train_model, predict_proba = require(pkg, "train_model", "predict_proba")
    x_tr, y_tr, x_va, y_va = _subset(x, y, SUBSET_TRAIN, SUBSET_VAL)
    result = train_model(x_tr, y_tr, x_va, y_va, _config(pkg, epochs=SUBSET_EPOCHS, seed=0))
    model = getattr(result, "model", None)
    if model is None:
        raise Failed("train_model returned no .model")
    acc = (predict_proba(model, x_va).argmax(1) == y_va).float().mean().item()
    where = (f"{SUBSET_TRAIN} training and {SUBSET_VAL} validation images, "
             f"{SUBSET_EPOCHS} epochs, seed 0")
    if acc < VAL_THRESHOLD:
        raise Failed(f"validation accuracy {acc:.3f} on the fixed subset ({where}) is below "
                     f"{VAL_THRESHOLD:.2f}; near 0.10 means the labels no longer match the "
                     "images somewhere (augmentation? shuffling?)")
    return f"validation accuracy {acc:.3f} >= {VAL_THRESHOLD:.2f} ({where})"


def check_reproducible(pkg: ModuleType, x: torch.Tensor, y: torch.Tensor) -> str:
    (train_model,) = require(pkg, "train_model")
    x_tr, y_tr, x_va, y_va = _subset(x, y, 512, 256)
    runs = []
    for _ in range(2):
        torch.manual_seed(np.random.randint(1 << 30))  # a different global state each run
        runs.append(train_model(x_tr, y_tr, x_va, y_va, _config(pkg, epochs=1, seed=7)))
    first, second = (r.model.state_dict() for r in runs)
    for name, tensor in first.items():
        if not torch.equal(tensor, second[name]):
            delta = (tensor.float() - second[name].float()).abs().max().item()
            raise Failed(f"two runs with seed 7 end with different weights ({name} differs by "
                         f"up to {delta:.2g}): seed torch and every generator used for "
                         "initialisation, shuffling, augmentation and dropout from config.seed")
    h1, h2 = (getattr(r, "history", {}) for r in runs)
    if h1 != h2:
        raise Failed(f"two runs with seed 7 report different histories: {h1} vs {h2}")
    return "two runs with seed 7 give identical weights and histories"


def run_checks(learner_dir: Path) -> Iterator[CheckResult]:
    """Judge ``learner_dir/cnn``; yields one result per DoD item, in ``DOD`` order."""
    judge = Judge(learner_dir)
    loaded: dict[str, object] = {}

    def setup() -> tuple[ModuleType, torch.Tensor, torch.Tensor]:
        if "pkg" not in loaded:
            # one thread: tiny workloads, and a shared CPU punishes OpenMP spin-waits
            torch.set_num_threads(1)
            loaded["pkg"] = load_package(learner_dir, PACKAGE)
            loaded["data"] = _images()
        return loaded["pkg"], *loaded["data"]  # type: ignore[return-value]

    steps = (
        (1, lambda: check_overfit(*setup())),
        (3, lambda: check_outputs(setup()[0], setup()[1])),
        (2, lambda: check_augment_train_only(setup()[0], setup()[1])),
        (3, lambda: check_reproducible(*setup())),
        (4, lambda: check_val_accuracy(*setup())),
    )
    for dod, (hint, check) in zip(DOD, steps, strict=True):
        yield judge.run(dod, hint, check)
