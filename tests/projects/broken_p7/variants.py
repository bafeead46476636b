"""Deliberately broken copies of the Project 7 reference, one realistic bug each.

Each variant is a small edit of a file in the reference ``anomaly`` package. The test
copies the package and a real run's report, applies the edit (failing loudly if the text
is no longer there) and runs the check named: it must fail, under the DoD item named,
with a reason containing ``says``.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildreal.projects.p7_anomaly.checks import (
    DOD_DOCUMENTED,
    DOD_FALSE_POSITIVES,
    DOD_SEPARATES,
    DOD_THRESHOLD,
)


@dataclass(frozen=True)
class Variant:
    name: str
    file: str  # inside the learner's anomaly/ package
    old: str
    new: str
    fails: str  # the check that must fail (a prefix of its label)
    says: str  # a fragment the failure reason must contain
    item: str  # the DoD item it is reported under


VARIANTS = (
    Variant(
        "trains on every training row, anomalies included",
        "train.py",
        "normal = np.asarray(x_train)[np.asarray(y_train) == 0]",
        "normal = np.asarray(x_train)",
        "The autoencoder trains only on normal data",
        "are labelled anomalies",
        DOD_SEPARATES,
    ),
    Variant(
        "scaler fit on the training rows including the anomalies",
        "train.py",
        "scaler = fit_scaler(normal)",
        "scaler = fit_scaler(x_train)",
        "Scaling uses training statistics only",
        "including the labelled anomalies",
        DOD_SEPARATES,
    ),
    Variant(
        "scaler fit on all the data before scoring (train, validation and test)",
        "train.py",
        "    val_scores = detector.score(x_val)\n",
        "    detector.scaler = fit_scaler(np.concatenate([x_train, x_val, x_test]))\n"
        "    val_scores = detector.score(x_val)\n",
        "Scaling uses training statistics only",
        "every split",
        DOD_SEPARATES,
    ),
    Variant(
        "error averaged over the batch axis instead of the features",
        "detect.py",
        "return ((model(x) - x) ** 2).mean(dim=1)",
        "return ((model(x) - x) ** 2).mean(dim=0)",
        "Reconstruction error separates the classes",
        "averaged over the batch",
        DOD_SEPARATES,
    ),
    Variant(
        "signed error: differences not squared, so they cancel",
        "detect.py",
        "return ((model(x) - x) ** 2).mean(dim=1)",
        "return (model(x) - x).mean(dim=1)",
        "Reconstruction error separates the classes",
        "square them",
        DOD_SEPARATES,
    ),
    Variant(
        "model left in training mode (dropout on) when scoring",
        "detect.py",
        "    model.eval()\n    return ((model(x) - x) ** 2).mean(dim=1)",
        "    model.train()\n    return ((model(x) - x) ** 2).mean(dim=1)",
        "Scores are computed in evaluation mode",
        "model.eval()",
        DOD_SEPARATES,
    ),
    Variant(
        "threshold tuned on the test labels",
        "train.py",
        "threshold = choose_threshold(val_scores, y_val, config.target_fpr)",
        "threshold = choose_threshold(test_scores, splits['y_test'], config.target_fpr)",
        "The threshold is chosen on validation",
        "tuned on the test split",
        DOD_THRESHOLD,
    ),
    Variant(
        "threshold direction flipped: low error flagged as anomalous",
        "detect.py",
        "return np.asarray(scores) > threshold",
        "return np.asarray(scores) < threshold",
        "Rows above the threshold are flagged",
        "below the threshold",
        DOD_THRESHOLD,
    ),
    Variant(
        "false positives listed from the true positives",
        "detect.py",
        "wrong = np.nonzero(flag_anomalies(scores, threshold) & (labels == 0))[0]",
        "wrong = np.nonzero(flag_anomalies(scores, threshold) & (labels == 1))[0]",
        "False positives are listed",
        "true positives",
        DOD_FALSE_POSITIVES,
    ),
    Variant(
        "false positives listed lowest score first",
        "detect.py",
        "wrong[np.argsort(-scores[wrong], kind=\"stable\")]",
        "wrong[np.argsort(scores[wrong], kind=\"stable\")]",
        "False positives are listed",
        "highest first",
        DOD_FALSE_POSITIVES,
    ),
    Variant(
        "per-feature errors not squared",
        "detect.py",
        "    return (model(x) - x) ** 2\n",
        "    return model(x) - x\n",
        "Per-feature errors",
        "square each feature",
        DOD_FALSE_POSITIVES,
    ),
    Variant(
        "shuffle drawn from NumPy's unseeded global generator",
        "train.py",
        "perm = torch.randperm(len(x), generator=gen)",
        "perm = torch.from_numpy(np.random.permutation(len(x)))",
        "Results are reproducible",
        "unseeded generator",
        DOD_DOCUMENTED,
    ),
    Variant(
        "threshold taken as a quantile of the test scores (no labels used)",
        "train.py",
        "threshold = choose_threshold(val_scores, y_val, config.target_fpr)",
        "threshold = float(np.quantile(test_scores, 1 - config.target_fpr))",
        "The threshold is chosen on validation",
        "tuned on the test split",
        DOD_THRESHOLD,
    ),
    Variant(
        "each split standardised with its own statistics when scored",
        "train.py",
        "xs = torch.from_numpy(self.scaler.transform(x))",
        "xs = torch.from_numpy(fit_scaler(x).transform(x))",
        "Every split is scored with the training scaler",
        "depend on the rows scored with it",
        DOD_SEPARATES,
    ),
    Variant(
        "Scaler.transform recomputes mean and std from the rows it is given",
        "scaling.py",
        "return ((np.asarray(x, dtype=np.float64) - self.mean) / self.std).astype(np.float32)",
        "x = np.asarray(x, dtype=np.float64)\n"
        "        return ((x - x.mean(0)) / np.where(x.std(0) > 0, x.std(0), 1.0)).astype("
        "np.float32)",
        "Every split is scored with the training scaler",
        "never refit",
        DOD_SEPARATES,
    ),
    Variant(
        "raw, unscaled rows scored by a model trained on standardised rows",
        "train.py",
        "xs = torch.from_numpy(self.scaler.transform(x))",
        "xs = torch.from_numpy(np.asarray(x, dtype=np.float32))",
        "Every split is scored with the training scaler",
        "standardised exactly once",
        DOD_SEPARATES,
    ),
    Variant(
        "scores negated, as in scikit-learn's score_samples (higher = more normal)",
        "train.py",
        "return reconstruction_error(self.model, xs).numpy().astype(np.float64)",
        "return -reconstruction_error(self.model, xs).numpy().astype(np.float64)",
        "Reconstruction error separates the classes",
        "negated",
        DOD_SEPARATES,
    ),
    Variant(
        "validation rows added to the training rows",
        "train.py",
        "detector = fit_detector(x_train, y_train, config)",
        "detector = fit_detector(np.concatenate([x_train, x_val]),\n"
        "                            np.concatenate([y_train, y_val]), config)",
        "Scaling uses training statistics only",
        "training and validation",
        DOD_SEPARATES,
    ),
    Variant(
        "every false positive returned, k ignored",
        "detect.py",
        "wrong[np.argsort(-scores[wrong], kind=\"stable\")][:k]]",
        "wrong[np.argsort(-scores[wrong], kind=\"stable\")]]",
        "False positives are listed",
        "at most k",
        DOD_FALSE_POSITIVES,
    ),
    Variant(
        "initial weights ignore the seed",
        "model.py",
        "    torch.manual_seed(seed)\n",
        "",
        "Results are reproducible",
        "unseeded generator",
        DOD_DOCUMENTED,
    ),
)
