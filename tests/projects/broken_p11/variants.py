"""Deliberately broken copies of the final project's reference, one realistic mistake each.

Each variant is one edit of a file in the learner's folder (``catalogue/...`` or
``RETRAINING.md``). The test copies the reference, applies the edit (failing loudly if
the text is no longer there) and runs the check named: it must fail, under the DoD item
named, with a reason containing ``says``.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildreal.projects.p11_final.checks import DOD_CRITERIA, DOD_MONITOR, DOD_SERVE, DOD_TRAIN


@dataclass(frozen=True)
class Variant:
    name: str
    file: str  # relative to the learner's folder
    old: str
    new: str
    fails: str  # the check that must fail (a prefix of its label)
    says: str  # a fragment the failure reason must contain
    item: str  # the DoD item it is reported under


VARIANTS = (
    Variant(
        "shuffling with NumPy's global generator, never seeded",
        "catalogue/backbone.py",
        "order = torch.randperm(len(x), generator=gen)",
        "order = torch.from_numpy(np.random.permutation(len(x)))",
        "The same seed gives bit-identical training",
        "does not come from the configured seed",
        DOD_TRAIN,
    ),
    Variant(
        "the ONNX file's hash is taken from model.pt (a copy-paste slip)",
        "catalogue/tracking.py",
        'artefacts={"model.onnx": out / "model.onnx", "model.pt": out / "model.pt"})',
        'artefacts={"model.onnx": out / "model.pt", "model.pt": out / "model.pt"})',
        "MLflow records",
        "is not the SHA-256 of the model.onnx it wrote",
        DOD_TRAIN,
    ),
    Variant(
        "the run records no data version",
        "catalogue/tracking.py",
        '"data_version": data_version(images, labels),',
        "",
        "MLflow records",
        "records no data_version",
        DOD_TRAIN,
    ),
    Variant(
        "exported in the mode training left it in (TrainingMode.PRESERVE, no model.eval())",
        "catalogue/export.py",
        "    model.eval()  # batch norm must use running statistics, dropout must be off\n"
        "    sample = torch.from_numpy(preprocess(known_images[:1]))  # (1, 1, 28, 28)\n"
        "    with warnings.catch_warnings():\n"
        "        warnings.simplefilter(\"ignore\")  # the exporter's tracing notes\n"
        "        torch.onnx.export(model, (sample,), str(path), input_names=[\"input\"],\n"
        "                          output_names=[\"logits\", \"embedding\"], opset_version=17,\n"
        "                          dynamo=False,",
        "    sample = torch.from_numpy(preprocess(known_images[:1]))  # (1, 1, 28, 28)\n"
        "    with warnings.catch_warnings():\n"
        "        warnings.simplefilter(\"ignore\")  # the exporter's tracing notes\n"
        "        torch.onnx.export(model, (sample,), str(path), input_names=[\"input\"],\n"
        "                          output_names=[\"logits\", \"embedding\"], opset_version=17,\n"
        "                          dynamo=False, training=torch.onnx.TrainingMode.PRESERVE,",
        "ONNX Runtime matches PyTorch",
        "exported in training mode",
        DOD_SERVE,
    ),
    Variant(
        "the image goes straight to NumPy, trusting the caller (ragged rows: a 500)",
        "catalogue/service.py",
        "    if raw and all(isinstance(row, list) for row in raw):\n",
        "    return np.asarray(raw, dtype=np.uint8).reshape(1, 28, 28)  # trust the caller\n"
        "    if raw and all(isinstance(row, list) for row in raw):\n",
        "Bad input gets a 4xx",
        "never a 5xx",
        DOD_SERVE,
    ),
    Variant(
        "a Spanish query is searched untranslated",
        "catalogue/index.py",
        'english = self.text.es_en.translate([query])[0] if lang == "es" else query',
        "english = query",
        "/predict, /similar and /search",
        "did not reach the es->en translator",
        DOD_SERVE,
    ),
    Variant(
        "Spanish answers come back in English",
        "catalogue/index.py",
        '        if lang == "es":\n            for hit, es in',
        '        if lang == "xx":\n            for hit, es in',
        "/predict, /similar and /search",
        "translated back into Spanish",
        DOD_SERVE,
    ),
    Variant(
        "the KS test at the textbook 5% level, four features a window",
        "catalogue/drift.py",
        "ks_alpha=1e-4,",
        "ks_alpha=0.05,",
        "The drift alert stays quiet",
        "windows of unshifted held-out traffic raised an alert",
        DOD_MONITOR,
    ),
    Variant(
        "a window of 5,000 requests (alerts come far too late)",
        "catalogue/drift.py",
        "CONFIG = DriftConfig(window=200,",
        "CONFIG = DriftConfig(window=5000,",
        "The drift alert fires",
        "give a window of 1 to 600 requests",
        DOD_MONITOR,
    ),
    Variant(
        "promotion compares accuracies the way one compares losses",
        "catalogue/retrain.py",
        "promote = new >= old + min_gain",
        "promote = new <= old - min_gain",
        "The hook refuses a worse candidate",
        "was promoted over a serving model",
        DOD_MONITOR,
    ),
    Variant(
        "only promotions are logged",
        "catalogue/retrain.py",
        "    path = Path(log_path)\n    path.parent.mkdir(parents=True, exist_ok=True)\n",
        "    path = Path(log_path)\n    if not promote:\n"
        "        return decision, candidate\n    path.parent.mkdir(parents=True, exist_ok=True)\n",
        "Each decision is logged",
        "worse-candidate decision was not written",
        DOD_MONITOR,
    ),
    Variant(
        "the window changed in the code, not in RETRAINING.md",
        "catalogue/drift.py",
        "CONFIG = DriftConfig(window=200,",
        "CONFIG = DriftConfig(window=250,",
        "RETRAINING.md states",
        "does not state the monitor's window = 250",
        DOD_CRITERIA,
    ),
    Variant(
        "the holdout added to the candidate's training data",
        "catalogue/retrain.py",
        "x = np.concatenate([recent_x, reference_x])  # (R + M, 28, 28)\n"
        "    y = np.concatenate([recent_y, reference_y])",
        "x = np.concatenate([recent_x, reference_x, holdout_x])  # (R + M + H, 28, 28)\n"
        "    y = np.concatenate([recent_y, reference_y, holdout_y])",
        "The candidate is judged on a holdout",
        "holdout images",
        DOD_MONITOR,
    ),
    Variant(
        "the candidate scored on the recent window it was trained on",
        "catalogue/retrain.py",
        "new = accuracy(candidate, holdout_x, holdout_y)",
        "new = accuracy(candidate, recent_x, recent_y)",
        "The candidate is judged on a holdout",
        "judge both models on the holdout",
        DOD_MONITOR,
    ),
    Variant(
        "the decision log opened for writing, so each decision erases the last",
        "catalogue/retrain.py",
        'with path.open("a", encoding="utf-8") as f:',
        'with path.open("w", encoding="utf-8") as f:',
        "Each decision is logged",
        "overwritten",
        DOD_MONITOR,
    ),
    Variant(
        "/similar always answers five items, whatever k asks",
        "catalogue/service.py",
        '"results": catalogue.similar(emb, min(body.k, len(catalogue)))}',
        '"results": catalogue.similar(emb, 5)}',
        "/predict, /similar and /search",
        "return the k items",
        DOD_SERVE,
    ),
    Variant(
        "only successful requests counted in /metrics",
        "catalogue/service.py",
        "        metrics.requests.labels(path, str(response.status_code)).inc()",
        "        if response.status_code < 400:\n"
        "            metrics.requests.labels(path, str(response.status_code)).inc()",
        "/metrics counts every request",
        "the 4xx answers count too",
        DOD_SERVE,
    ),
)
