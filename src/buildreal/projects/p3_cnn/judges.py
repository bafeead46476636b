"""Project 3's judges: in the toolkit's process, they decide from what the learner's
``cnn`` package returned (see ``probes``) and from the learner's own report and numbers.
Every number that decides is recomputed here: losses from logits, accuracies from
predictions, the hardest class pairs from the learner's confusion matrix."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from buildreal.projects.checking import Evidence
from buildreal.projects.data import FASHION_CLASSES, DataUnavailable, load_fashion_mnist
from buildreal.projects.p3_cnn import plan
from buildreal.projects.sandbox import Failed


def make_inputs() -> dict[str, Any]:
    """The training images the probes use: the first 1,500 and the last 1,000."""
    from buildreal.projects.p3_cnn.data import images_to_tensor

    try:
        images, labels = load_fashion_mnist("train")
    except DataUnavailable as exc:
        raise Failed(f"cannot judge without the data: {exc}") from exc
    head = slice(0, plan.SUBSET_TRAIN)
    tail = slice(len(images) - plan.SUBSET_VAL, len(images))
    return {"x_head": images_to_tensor(images[head]).numpy(),
            "y_head": labels[head].astype(np.int64),
            "x_tail": images_to_tensor(images[tail]).numpy(),
            "y_tail": labels[tail].astype(np.int64)}


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def overfit(ev: Evidence) -> str:
    y = ev.inputs["y_head"][: plan.OVERFIT_N]
    logits = ev.array("logits", shape=(plan.OVERFIT_N, 10))
    loss = float(-_log_softmax(logits)[np.arange(plan.OVERFIT_N), y].mean())
    steps = ev.integer("steps")
    if loss < plan.OVERFIT_LOSS:
        return f"cross-entropy {loss:.3f} on 10 images after {steps} Adam steps"
    why = (f"after {plan.OVERFIT_STEPS} Adam steps (lr 3e-3) on 10 training images the "
           f"cross-entropy is still {loss:.3f}, not below {plan.OVERFIT_LOSS}")
    final = ev.array("final_outputs", shape=(plan.OVERFIT_N, 10))
    if final.min() >= 0 and np.allclose(final.sum(1), 1.0, atol=1e-3):
        why += (": forward returns probabilities (softmax is applied inside the model), and "
                "cross_entropy applies log-softmax again. Return raw logits from forward.")
    elif not ev.flag("has_grad"):
        why += ": no parameter receives a gradient (detached or frozen?)"
    else:
        why += (": the model cannot fit even 10 examples; look for a layer that destroys "
                "information (a wrong reshape, a too-small flatten, a missing nonlinearity)")
    raise Failed(why)


def outputs(ev: Evidence) -> str:
    logits = ev.array("logits")
    if logits.shape != (7, 10):
        raise Failed(f"model(x) for x of shape (7, 1, 28, 28) returned shape "
                     f"{logits.shape}; expected (7, 10): one logit per class per image")
    if ev.get("probs") is None:
        raise Failed(f"predict_proba returned {ev.text('probs_type')}; expected a (7, 10) "
                     "tensor")
    probs = ev.array("probs")
    if probs.shape != (7, 10):
        raise Failed(f"predict_proba returned {probs.shape}; expected a (7, 10) tensor")
    if probs.min() < 0:
        raise Failed(f"predict_proba returned a negative probability ({probs.min():.3f}); "
                     "did it return logits without a softmax?")
    rows = probs.sum(1)
    if not np.allclose(rows, 1.0, atol=1e-4):
        if np.allclose(probs.sum(0), 1.0, atol=1e-4):
            raise Failed("predict_proba normalises over the batch: each column sums to 1, rows "
                         f"sum to {rows[0]:.3f}, {rows[1]:.3f}, ... Use softmax over the "
                         "class dimension (dim=1).")
        raise Failed(f"predict_proba rows sum to {rows.min():.3f}..{rows.max():.3f}, not 1")
    expected = np.exp(_log_softmax(logits))
    gap = float(np.abs(probs - expected).max())
    if gap > 1e-4:
        raise Failed(f"predict_proba differs from softmax(model(x), dim=1) in evaluation mode "
                     f"by up to {gap:.3f}: is the model left in training mode, or are the "
                     "logits scaled?")
    return "logits (7, 10); probabilities are the softmax over classes, rows sum to 1"


def _signature(images: np.ndarray) -> np.ndarray:
    """Sorted pixel values per image: unchanged by flips, barely changed by small shifts."""
    return np.sort(images.reshape(len(images), -1), axis=1)  # (N, H*W)


def augment_train_only(ev: Evidence) -> str:
    xb = ev.inputs["x_head"][:32].astype(np.float32)
    evaluated = ev.array("evaluated", dtype=np.float32)
    if evaluated.shape != xb.shape or not np.array_equal(evaluated, xb):
        changed = int((np.abs(evaluated - xb).reshape(32, -1).max(1) > 0).sum()) \
            if evaluated.shape == xb.shape else 32
        raise Failed(f"augment(train=False) changed {changed} of 32 images: at evaluation the "
                     "model must see the real images")
    trained = ev.array("trained", dtype=np.float32)
    if trained.shape != xb.shape:
        raise Failed(f"augment(train=True) changed the shape from {xb.shape} to "
                     f"{trained.shape}")
    changed = int((np.abs(trained - xb).reshape(32, -1).max(1) > 1e-6).sum())
    if changed < 8:
        raise Failed(f"augment(train=True) changed only {changed} of 32 images: training "
                     "gets (almost) no augmentation")
    a, b = _signature(trained), _signature(xb)
    dist = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))  # (32, 32)
    nearest = dist.argmin(1)
    moved = np.nonzero(nearest != np.arange(32))[0]
    if len(moved) > 3:
        i = int(moved[0])
        raise Failed(f"augment(train=True) moves images between batch positions (augmented "
                     f"image {i} looks like original image {int(nearest[i])}), so labels "
                     "no longer match: shift along the height and width dimensions, not the "
                     "batch dimension")
    _flips(ev, xb)
    first, second = (np.asarray(p, dtype=np.float64) for p in ev.items("eval_twice"))
    if first.shape != second.shape or not np.array_equal(first, second):
        raise Failed("predict_proba gives different probabilities for the same images twice: "
                     "augmentation or dropout is active at evaluation (model.eval()?)")
    return (f"train=True changed {changed} of 32 images and kept each in place; flips are "
            "left-right; train=False and predict_proba leave images untouched")


def _flips(ev: Evidence, xb: np.ndarray) -> None:
    """With max_shift=0 and flip=True every image must come back as itself or mirrored
    left-right; a garment mirrored top to bottom is no longer the same kind of picture."""
    if ev.has("flip_error"):
        raise Failed(f"augment(x, train=True, max_shift=0, flip=True) {ev.text('flip_error')}")
    flipped = ev.array("flipped", dtype=np.float32)
    if flipped.shape != xb.shape:
        raise Failed(f"augment(flip=True) changed the shape from {xb.shape} to {flipped.shape}")
    kinds = {"same": xb, "left-right": xb[..., ::-1], "upside down": xb[..., ::-1, :],
             "rotated": xb[..., ::-1, ::-1]}
    counts = dict.fromkeys([*kinds, "other"], 0)
    for i in range(len(xb)):
        gaps = {k: float(np.abs(flipped[i] - v[i]).max()) for k, v in kinds.items()}
        best = min(gaps, key=gaps.__getitem__)
        counts[best if gaps[best] < 1e-6 else "other"] += 1
    wrong = counts["upside down"] + counts["rotated"]
    if wrong:
        raise Failed(f"your flips turn images upside down ({wrong} of 32 with flip=True): "
                     "only left-right flips keep these labels; flip "
                     "the width dimension (the last one), not the height")
    if counts["other"]:
        raise Failed(f"with max_shift=0 and flip=True, {counts['other']} of 32 images came "
                     "back neither unchanged nor mirrored left-right")
    if counts["left-right"] == 0:
        raise Failed("augment(flip=True) flipped none of 32 images; flip a random half")


def augment_seeded(ev: Evidence) -> str:
    a, b, c = (np.asarray(x, dtype=np.float32) for x in ev.items("seeded"))
    if a.shape != b.shape or not np.array_equal(a, b):
        raise Failed("augment ignores its generator: two calls with generators seeded 3 gave "
                     "different images, because it draws from torch's global random state. "
                     "Pass generator= to every torch.randint / torch.rand call")
    if a.shape == c.shape and np.array_equal(a, c):
        raise Failed("generators seeded 3 and 4 gave identical augmented images: the "
                     "generator's randomness is not used")
    return "the same generator seed gives the same augmented images, another seed others"


def early_stopping(ev: Evidence) -> str:
    y_va = (ev.inputs["y_tail"][-plan.ES_VAL:] + 1) % 10
    per_epoch = [np.asarray(p, dtype=np.float64) for p in ev.items("per_epoch")]
    if not per_epoch:
        raise Failed("train_model never called on_epoch(epoch, row), so the check cannot "
                     "see which epoch was best; call it after each epoch")
    returned = ev.array("returned", shape=(plan.ES_VAL, 10))
    accs = [float((p.argmax(1) == y_va).mean()) for p in per_epoch]
    match = [i for i, p in enumerate(per_epoch)
             if p.shape == returned.shape and np.allclose(p, returned, atol=1e-5)]
    best = max(accs)
    shown = ", ".join(f"{a:.3f}" for a in accs)
    if not match:
        raise Failed("the model train_model returned matches none of the epochs' weights "
                     f"(validation accuracy per epoch: {shown})")
    epoch = match[-1]
    if accs[epoch] < best:
        last = epoch == len(per_epoch) - 1
        what = "the last epoch's weights" if last else f"epoch {epoch + 1}'s weights"
        raise Failed(f"training returned {what}, not the best validation epoch's (validation "
                     f"accuracy per epoch: {shown}; keep a copy of the best state_dict and "
                     "load it before returning)")
    return (f"the returned weights are those of epoch {epoch + 1}, the best by validation "
            f"accuracy ({shown})")


LEAK_ACCURACY = 0.3  # on labels moved one class on: a model that never saw them is far below


def training_loop(ev: Evidence) -> str:
    """What the early-stopping run shows about the loop itself: every optimizer step in
    training mode on a gradient of its own, the validation images kept out of training,
    and the history's val_acc the returned model's accuracy on the real images."""
    steps = ev.items("steps")
    if steps:
        evaluating = [i for i, s in enumerate(steps) if not s.get("training", True)]
        if evaluating:
            raise Failed(f"{len(evaluating)} of {len(steps)} optimizer steps ran with the model "
                         f"in evaluation mode (from step {evaluating[0] + 1}): predict_proba "
                         "switches it to eval(), so call model.train() at the start of every "
                         "epoch, or batch norm and dropout train wrongly")
        for i, s in enumerate(steps):
            # Clipping may shrink the gradient (same direction, smaller norm); an earlier
            # step's gradient left in turns it and, mostly, makes it longer.
            made, seen = float(s["made"]), float(s["seen"])
            if made > 0.0 and float(s["gap"]) > 1e-3 * made and (
                    float(s.get("cos", 0.0)) < 0.999 or seen > made * 1.001):
                raise Failed(f"gradients are never cleared: at optimizer step {i + 1} the "
                             f"gradient used has norm {float(s['seen']):.3g}, but this step's "
                             f"backward() produced {made:.3g}. Call optimizer.zero_grad() "
                             "before each backward()")
    y_va = (ev.inputs["y_tail"][-plan.ES_VAL:] + 1) % 10
    per_epoch = [np.asarray(p, dtype=np.float64) for p in ev.items("per_epoch")]
    accs = [float((p.argmax(1) == y_va).mean()) for p in per_epoch
            if p.shape == (plan.ES_VAL, 10)]
    if accs and max(accs) > LEAK_ACCURACY:
        raise Failed(f"the model reaches {max(accs):.2f} accuracy on validation labels it can "
                     "only know by training on them (each moved one class on; a model trained "
                     "on the training images alone stays far below): keep x_val and y_val "
                     "out of training, they are for choosing the epoch only")
    reported = ev.get("history_val_acc")
    if isinstance(reported, list) and len(reported) == len(accs) and accs:
        got = np.asarray(reported, dtype=np.float64)
        want = np.asarray(accs)
        if not (np.allclose(got, want, atol=0.6 / plan.ES_VAL)
                or np.allclose(got, 100 * want, atol=60 / plan.ES_VAL)):
            shown = ", ".join(f"{a:.3f}" for a in want)
            frozen = (" It stays the same while the model changes: is a result cached, or "
                      "an old model scored?" if len(set(got.tolist())) == 1
                      and len(set(want.tolist())) > 1 else "")
            raise Failed(f"the history's val_acc ({', '.join(f'{v:.3f}' for v in got)}) is "
                         f"not the model's accuracy on the validation images ({shown}): score "
                         "validation in evaluation mode on the images as they are, without "
                         "augmentation." + frozen)
    if ev.has("augmented_without_flag") and ev.integer("augmented_without_flag") > 0:
        raise Failed(f"with TrainConfig(augment=False) training still changed images through "
                     f"augment ({ev.integer('augmented_without_flag')} calls): pass "
                     "train=config.augment for training batches (and never augment validation "
                     "images), so the without-augmentation run of your study really has none")
    return (f"{len(steps)} optimizer steps in training mode, each on its own gradient; "
            "validation data kept out of training and scored as it is")


def val_accuracy(ev: Evidence) -> str:
    predictions = ev.array("predictions", dtype=np.int64)
    y = ev.inputs["y_tail"]
    if predictions.shape != y.shape:
        raise Failed(f"predict_proba on {len(y)} validation images gave {predictions.shape} "
                     "predictions")
    acc = float((predictions == y).mean())
    where = (f"{plan.SUBSET_TRAIN} training and {plan.SUBSET_VAL} validation images, "
             f"{plan.SUBSET_EPOCHS} epochs, seed 0")
    if acc < plan.VAL_THRESHOLD:
        raise Failed(f"validation accuracy {acc:.3f} on the fixed subset ({where}) is below "
                     f"{plan.VAL_THRESHOLD:.2f}; near 0.10 means the labels no longer match "
                     "the images somewhere (augmentation? shuffling?)")
    return f"validation accuracy {acc:.3f} >= {plan.VAL_THRESHOLD:.2f} ({where})"


def reproducible(ev: Evidence) -> str:
    runs = ev.items("runs")
    if len(runs) < 2:
        raise Failed("expected two training runs with seed 7")
    first, second = runs[0], runs[1]
    w1, w2 = first["weights"], second["weights"]
    if set(w1) != set(w2):
        raise Failed("two runs with seed 7 return models with different parameters")
    for name in w1:
        a, b = np.asarray(w1[name]), np.asarray(w2[name])
        if a.shape != b.shape or not np.array_equal(a, b):
            delta = float(np.abs(a - b).max()) if a.shape == b.shape else float("inf")
            raise Failed(f"two runs with seed 7 end with different weights ({name} differs by "
                         f"up to {delta:.2g}): seed torch and every generator used for "
                         "initialisation, shuffling, augmentation and dropout from config.seed")
    if first["history"] != second["history"]:
        raise Failed("two runs with seed 7 report different histories")
    if len(runs) > 2:
        a, b = runs[0].get("initial"), runs[2].get("initial")
        if isinstance(a, dict) and isinstance(b, dict) and a and set(a) == set(b) and all(
                np.asarray(a[k]).shape == np.asarray(b[k]).shape
                and np.array_equal(np.asarray(a[k]), np.asarray(b[k])) for k in a):
            raise Failed("train_model builds the same initial weights with seed 7 and seed 8: "
                         "pass config.seed to build_model, so a seed fixes the whole run")
        other = runs[2]["weights"]
        if set(other) == set(w1) and all(
                np.asarray(other[k]).shape == np.asarray(w1[k]).shape
                and np.array_equal(np.asarray(other[k]), np.asarray(w1[k])) for k in w1):
            raise Failed("runs with seed 7 and seed 8 end with identical weights: config.seed "
                         "is not used (build the model, shuffle and augment from it)")
    return "two runs with seed 7 give identical weights and histories; seed 8 differs"


# --- the learner's report and numbers (read from files; no code runs) ----------------

_NAMES = {
    "T-shirt/top": r"\bt-?shirts?\b", "Trouser": r"\btrousers?\b", "Pullover": r"\bpullovers?\b",
    "Dress": r"\bdress(es)?\b", "Coat": r"\bcoats?\b", "Sandal": r"\bsandals?\b",
    "Shirt": r"(?<!t-)(?<!t)\bshirts?\b", "Sneaker": r"\bsneakers?\b", "Bag": r"\bbags?\b",
    "Ankle boot": r"\b(ankle[ -]?)?boots?\b",
}


def _report(ev: Evidence) -> tuple[str, dict[str, Any]]:
    for folder in ("", "runs/p3-cnn/"):
        report, numbers = ev.read_text(folder + "report.md"), ev.read_text(folder + "results.json")
        if report is not None and numbers is not None:
            try:
                data = json.loads(numbers)
            except ValueError as exc:
                raise Failed(f"{folder}results.json is not valid JSON ({exc})") from None
            if not isinstance(data, dict):
                raise Failed(f"{folder}results.json should hold one JSON object")
            return report, data
    raise Failed("report.md and results.json are missing: after training on the full data, "
                 "write the report and the numbers it is written from into your project "
                 "folder (run_cnn_train --out . shows the format)")


def _named_together(report: str, a: str, b: str) -> bool:
    for line in re.split(r"[\n.;]", report.lower()):
        if re.search(_NAMES[a], line) and re.search(_NAMES[b], line):
            return True
    return False


def confusion(ev: Evidence) -> str:
    report, data = _report(ev)
    try:
        cm = np.asarray(data["confusion_matrix"], dtype=np.int64)
    except (KeyError, TypeError, ValueError):
        raise Failed("results.json has no confusion_matrix: store the test-set counts as "
                     "10 lists of 10 integers (rows true class, columns predicted)") from None
    if cm.shape != (10, 10) or cm.min() < 0 or cm.sum() < 1000:
        raise Failed(f"the confusion_matrix in results.json has shape {cm.shape} and "
                     f"{int(cm.sum())} images; expected 10x10 counts over the test set")
    if isinstance(data.get("test_acc"), (int, float)):
        acc = cm.trace() / cm.sum()
        if abs(acc - float(data["test_acc"])) > 0.002:
            raise Failed(f"the confusion matrix gives accuracy {acc:.4f} but results.json says "
                         f"test_acc {float(data['test_acc']):.4f}: they come from different "
                         "predictions")
    pairs = sorted(((int(cm[i, j] + cm[j, i]), i, j) for i in range(10)
                    for j in range(i + 1, 10)), reverse=True)
    named = []
    for errors, i, j in pairs[:2]:
        ties = [(a, b) for e, a, b in pairs if e == errors]
        a, b = FASHION_CLASSES[i], FASHION_CLASSES[j]
        if not any(_named_together(report, FASHION_CLASSES[x], FASHION_CLASSES[y])
                   for x, y in ties):
            raise Failed(f"report.md does not name {a} / {b}, a hardest pair in your own "
                         f"confusion matrix ({errors} test images confused either way): name "
                         "the pairs your model mixes up most, and say why")
        named.append(f"{a} / {b} ({errors})")
    return f"report.md names the hardest pairs of your confusion matrix: {', '.join(named)}"


_NEGATIVE = re.compile(r"\b(not|no|never|didn't|doesn't|did not|does not|without any)\b"
                       r"[^.\n]{0,40}\b(improv\w*|help\w*|better|gain\w*)|\b(hurt|worse|lowered|"
                       r"reduced|decreased|cost)\b")
_POSITIVE = re.compile(r"\b(improv\w*|helped|helps|better|raised|increased|gain\w*)\b")


def _claim(report: str) -> tuple[bool | None, str]:
    for sentence in re.split(r"(?<=[.!])\s+|\n", report):
        text = sentence.strip().lower()
        if not text or text.startswith(("#", "|")) or text.endswith("?") or "augment" not in text:
            continue
        if _NEGATIVE.search(text):
            return False, sentence.strip()
        if _POSITIVE.search(text):
            return True, sentence.strip()
    return None, ""


def study(ev: Evidence) -> str:
    report, data = _report(ev)
    runs = data.get("augmentation_study")
    try:
        with_, without = runs["with"], runs["without"]
        va_with, va_without = float(with_["val_acc"]), float(without["val_acc"])
        float(with_["train_acc"]), float(without["train_acc"])
    except (KeyError, TypeError, ValueError):
        raise Failed("results.json has no augmentation_study with train_acc and val_acc for "
                     "\"with\" and \"without\": train the same model with and without "
                     "augmentation and record both") from None
    improved = va_with > va_without
    said, sentence = _claim(report)
    if said is None:
        raise Failed("report.md does not say whether augmentation improved validation "
                     "accuracy in your study; state the result in one sentence")
    pct = f"{100 * va_without:.1f}% without to {100 * va_with:.1f}% with augmentation"
    if said != improved:
        claim = "improved" if said else "did not improve"
        truth = "rising" if improved else "not rising"
        raise Failed(f"your report says augmentation {claim} validation accuracy (\"{sentence}\"),"
                     f" but your own study has it {truth}: {pct}")
    return f"the study exists and the report states its result correctly ({pct})"
