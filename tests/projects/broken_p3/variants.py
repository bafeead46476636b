"""Deliberately broken copies of the Project 3 reference, one realistic bug each.

Each variant is a one-line edit of a reference file. The test copies the reference
package, applies the edit (failing loudly if the line is no longer there) and runs the
Definition-of-Done checks: the named item must fail with a reason containing ``says``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    file: str  # inside the learner's cnn/ package
    old: str
    new: str
    fails: str  # the DoD item that must fail (a prefix of it)
    says: str  # a fragment the failure reason must contain


VARIANTS = (
    Variant(
        "softmax inside forward (probabilities fed to cross_entropy)",
        "model.py",
        "return self.head(self.features(x))",
        "return torch.softmax(self.head(self.features(x)), dim=1)",
        "The model can overfit a tiny batch",
        "forward returns probabilities",
    ),
    Variant(
        "predict_proba normalises over the batch",
        "model.py",
        "torch.softmax(model(x[i : i + batch_size]), dim=1)",
        "torch.softmax(model(x[i : i + batch_size]), dim=0)",
        "The output shape and the softmax are right",
        "normalises over the batch",
    ),
    Variant(
        "logits keep spatial dimensions (flatten forgotten after pooling)",
        "model.py",
        "nn.Linear(4 * w * spatial, num_classes))",
        "nn.Linear(4 * w * spatial, num_classes), nn.Unflatten(1, (num_classes, 1)))",
        "The output shape and the softmax are right",
        "expected (7, 10)",
    ),
    Variant(
        "augmentation ignores the train flag",
        "augment.py",
        "    if not train:\n        return x\n",
        "",
        "Augmentation is applied only in training",
        "augment(train=False) changed",
    ),
    Variant(
        "shift rolls along the batch dimension",
        "augment.py",
        "    return out.contiguous()",
        "    return torch.roll(out, shifts=1, dims=0).contiguous()",
        "Augmentation is applied only in training",
        "moves images between batch positions",
    ),
    Variant(
        "predict_proba forgets model.eval() (dropout stays on)",
        "model.py",
        "    model.eval()  # batch norm uses running statistics; dropout is off",
        "",
        "Augmentation is applied only in training",
        "dropout is active at evaluation",
    ),
    Variant(
        "initial weights not seeded",
        "model.py",
        "    torch.manual_seed(seed)\n    return SmallCNN(",
        "    return SmallCNN(",
        "A fixed seed makes training reproducible",
        "two runs with seed 7 end with different weights",
    ),
)
