"""Deliberately broken copies of the Project 3 reference, one realistic bug each.

Each variant is a one-line edit of a reference file (or of the learner's report, one
folder up). The test copies the reference package and a real run's report, applies the
edit (failing loudly if the line is no longer there) and runs the check named: it must
fail, under the DoD item named, with a reason containing ``says``.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildreal.projects.p3_cnn.checks import (
    DOD_ACCURACY,
    DOD_AUGMENTATION,
    DOD_CONFUSION,
    DOD_SEEDS,
)


@dataclass(frozen=True)
class Variant:
    name: str
    file: str  # inside the learner's cnn/ package
    old: str
    new: str
    fails: str  # the check that must fail (a prefix of its label)
    says: str  # a fragment the failure reason must contain
    item: str  # the DoD item it is reported under


VARIANTS = (
    Variant(
        "softmax inside forward (probabilities fed to cross_entropy)",
        "model.py",
        "return self.head(self.features(x))",
        "return torch.softmax(self.head(self.features(x)), dim=1)",
        "The model can overfit a tiny batch",
        "forward returns probabilities",
        DOD_ACCURACY,
    ),
    Variant(
        "predict_proba normalises over the batch",
        "model.py",
        "torch.softmax(model(x[i : i + batch_size]), dim=1)",
        "torch.softmax(model(x[i : i + batch_size]), dim=0)",
        "The output shape and the softmax are right",
        "normalises over the batch",
        DOD_ACCURACY,
    ),
    Variant(
        "logits keep spatial dimensions (flatten forgotten after pooling)",
        "model.py",
        "nn.Linear(4 * w * spatial, num_classes))",
        "nn.Linear(4 * w * spatial, num_classes), nn.Unflatten(1, (num_classes, 1)))",
        "The output shape and the softmax are right",
        "expected (7, 10)",
        DOD_ACCURACY,
    ),
    Variant(
        "augmentation ignores the train flag",
        "augment.py",
        "    if not train:\n        return x\n",
        "",
        "Augmentation is applied only in training",
        "augment(train=False) changed",
        DOD_AUGMENTATION,
    ),
    Variant(
        "shift rolls along the batch dimension",
        "augment.py",
        "    return out.contiguous()",
        "    return torch.roll(out, shifts=1, dims=0).contiguous()",
        "Augmentation is applied only in training",
        "moves images between batch positions",
        DOD_AUGMENTATION,
    ),
    Variant(
        "predict_proba forgets model.eval() (dropout stays on)",
        "model.py",
        "    model.eval()  # batch norm uses running statistics; dropout is off",
        "",
        "Augmentation is applied only in training",
        "dropout is active at evaluation",
        DOD_AUGMENTATION,
    ),
    Variant(
        "initial weights not seeded",
        "model.py",
        "    torch.manual_seed(seed)\n    return SmallCNN(",
        "    return SmallCNN(",
        "A fixed seed makes training reproducible",
        "two runs with seed 7 end with different weights",
        DOD_SEEDS,
    ),
    Variant(
        "flips along the wrong axis (garments upside down)",
        "augment.py",
        "out = torch.where(flips[:, None, None, None], out.flip(3), out)",
        "out = torch.where(flips[:, None, None, None], out.flip(2), out)",
        "Augmentation is applied only in training",
        "your flips turn images upside down",
        DOD_AUGMENTATION,
    ),
    Variant(
        "early stopping tracks the best epoch but returns the last one's weights",
        "train.py",
        "    if best_state is not None:\n        model.load_state_dict(best_state)\n",
        "",
        "Training returns the weights of the best validation epoch",
        "training returned the last epoch's weights, not the best validation epoch's",
        DOD_ACCURACY,
    ),
    Variant(
        "augmentation randomness ignores the seeded generator",
        "augment.py",
        "offsets = torch.randint(0, 2 * p + 1, (n, len(spatial)), generator=generator)",
        "offsets = torch.randint(0, 2 * p + 1, (n, len(spatial)))",
        "Augmentation draws its randomness from the seeded generator",
        "augment ignores its generator",
        DOD_SEEDS,
    ),
    Variant(
        "report names pairs its own confusion matrix does not confuse most",
        "../report.md",
        "| Pullover / Coat | 62 | 14.3% |\n| Coat / Shirt | 55 | 13.2% |\n"
        "| T-shirt/top / Shirt | 52 | 13.1% |\n\nThe hardest pair is Pullover / Coat",
        "| Sneaker / Sandal | 40 | 9.0% |\n\nThe hardest pair is Sneaker / Sandal",
        "The report names the hardest class pairs",
        "does not name Pullover / Coat",
        DOD_CONFUSION,
    ),
    Variant(
        "report states the opposite of its augmentation study",
        "../report.md",
        "Augmentation improved validation accuracy",
        "Augmentation did not improve validation accuracy",
        "The with/without augmentation study exists",
        "your report says augmentation did not improve validation accuracy",
        DOD_AUGMENTATION,
    ),
    Variant(
        "train_model builds the model with a fixed seed, not config.seed",
        "train.py",
        "model = build_model(num_classes, seed=cfg.seed,",
        "model = build_model(num_classes, seed=0,",
        "A fixed seed makes training reproducible",
        "same initial weights with seed 7 and seed 8",
        DOD_SEEDS,
    ),
    Variant(
        "model.train() forgotten: after the first evaluation training runs in eval mode",
        "train.py",
        "        model.train()\n        order",
        "        order",
        "The training loop trains in training mode",
        "optimizer steps ran with the model in evaluation mode",
        DOD_ACCURACY,
    ),
    Variant(
        "validation images leak into the training set",
        "train.py",
        "    cfg = config or TrainConfig()\n",
        "    cfg = config or TrainConfig()\n"
        "    x_train, y_train = torch.cat([x_train, x_val]), torch.cat([y_train, y_val])\n",
        "The training loop trains in training mode",
        "keep x_val and y_val out of training",
        DOD_ACCURACY,
    ),
    Variant(
        "validation scored on augmented images",
        "train.py",
        "val_acc, val_loss = _accuracy(model, x_val, y_val)",
        "val_acc, val_loss = _accuracy(model, augment(x_val, train=True, generator=gen), y_val)",
        "The training loop trains in training mode",
        "is not the model's accuracy on the validation images",
        DOD_ACCURACY,
    ),
    Variant(
        "gradients never cleared between steps",
        "train.py",
        "            opt.zero_grad(set_to_none=True)\n",
        "",
        "The training loop trains in training mode",
        "gradients are never cleared",
        DOD_ACCURACY,
    ),
    Variant(
        "training augments even when TrainConfig.augment is False",
        "train.py",
        "            xb = augment(x_train[idx], train=cfg.augment,",
        "            xb = augment(x_train[idx], train=True,",
        "The training loop trains in training mode",
        "with TrainConfig(augment=False) training still changed images",
        DOD_ACCURACY,
    ),
    Variant(
        "augmentation study missing from the numbers",
        "../results.json",
        '"augmentation_study"',
        '"study_not_run"',
        "The with/without augmentation study exists",
        "no augmentation_study",
        DOD_AUGMENTATION,
    ),
)
