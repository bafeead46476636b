"""Deliberately broken copies of the Project 10 reference, one realistic mistake each.

Each variant is one edit of a file in the learner's folder (``serving/...``, or the
``benchmarks.json`` / ``RETRAINING.md`` of a real run). The test copies the reference and
those files, applies the edit (failing loudly if the text is no longer there) and runs
the check named: it must fail, under the DoD item named, with a reason containing ``says``.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildreal.projects.p10_inference.checks import DOD_BENCH, DOD_DRIFT, DOD_EXPORT, DOD_RETRAIN


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
        "serving divides by 255 but skips the training normalisation",
        "serving/export.py",
        "probs = softmax(self.logits(preprocess(images)))",
        "probs = softmax(self.logits(\n"
        "            (np.asarray(images, dtype=np.float32).reshape(-1, 1, 28, 28) / 255.0)))",
        "Serving feeds the model exactly what training fed it",
        "does not normalise them the way training does",
        DOD_EXPORT,
    ),
    Variant(
        "serving swaps the image axes (height and width transposed)",
        "serving/export.py",
        "probs = softmax(self.logits(preprocess(images)))",
        "probs = softmax(self.logits(np.ascontiguousarray(preprocess(images).swapaxes(2, 3))))",
        "Serving feeds the model exactly what training fed it",
        "height and width swapped",
        DOD_EXPORT,
    ),
    Variant(
        "exported in the mode training left it in (TrainingMode.PRESERVE, no model.eval())",
        "serving/export.py",
        "    model.eval()  # batch norm must use running statistics, dropout must be off\n"
        "    sample = torch.from_numpy(preprocess(known_images[:1]))  # (1, 1, 28, 28)\n"
        "    with warnings.catch_warnings():\n"
        "        warnings.simplefilter(\"ignore\")  # the exporter's tracing notes\n"
        "        torch.onnx.export(model, (sample,), str(path), input_names=[\"input\"],\n"
        "                          output_names=[\"logits\"], opset_version=17, dynamo=False,\n",
        "    sample = torch.from_numpy(preprocess(known_images[:1]))  # (1, 1, 28, 28)\n"
        "    with warnings.catch_warnings():\n"
        "        warnings.simplefilter(\"ignore\")  # the exporter's tracing notes\n"
        "        torch.onnx.export(model, (sample,), str(path), input_names=[\"input\"],\n"
        "                          output_names=[\"logits\"], opset_version=17, dynamo=False,\n"
        "                          training=torch.onnx.TrainingMode.PRESERVE,\n",
        "ONNX Runtime matches PyTorch",
        "exported in training mode",
        DOD_EXPORT,
    ),
    Variant(
        "softmax applied twice to the confidence",
        "serving/export.py",
        "probs = softmax(self.logits(preprocess(images)))",
        "probs = softmax(softmax(self.logits(preprocess(images))))",
        "Predicted classes and confidences",
        "softmax is applied twice",
        DOD_EXPORT,
    ),
    Variant(
        "confidence taken from the raw logits",
        "serving/export.py",
        "return labels, probs[np.arange(len(probs)), labels]",
        "return labels, self.logits(preprocess(images)).max(axis=1)",
        "Predicted classes and confidences",
        "is a raw logit, not a probability",
        DOD_EXPORT,
    ),
    Variant(
        "initial weights not seeded",
        "serving/model.py",
        '    """conv-BN-ReLU, pool, conv-BN-ReLU, pool, dropout, linear: logits (N, 10)."""\n'
        "    torch.manual_seed(seed)\n",
        '    """conv-BN-ReLU, pool, conv-BN-ReLU, pool, dropout, linear: logits (N, 10)."""\n',
        "A fixed seed reproduces the model",
        "ignores the seed",
        DOD_EXPORT,
    ),
    Variant(
        "preprocessing version never written into the ONNX file",
        "serving/export.py",
        "    onnx.helper.set_model_props(graph, meta)\n",
        "",
        "The preprocessing version and fingerprint",
        "record the version in the model file",
        DOD_EXPORT,
    ),
    Variant(
        "p99 read by index from the unsorted latencies",
        "serving/bench.py",
        "    values = np.sort(np.asarray(latencies_ms, dtype=np.float64))\n"
        "    p50, p95, p99 = np.percentile(values, [50, 95, 99])\n",
        "    values = np.asarray(latencies_ms, dtype=np.float64)\n"
        "    p50, p95, p99 = (values[int(q * (len(values) - 1))] for q in (0.5, 0.95, 0.99))\n",
        "Latency percentiles are computed from the sorted latencies",
        "percentiles come from the sorted latencies",
        DOD_BENCH,
    ),
    Variant(
        "throughput recorded in batches per second, not images",
        "benchmarks.json",
        '"throughput_per_s": 2670.179460196919,',  # PyTorch at batch 256: images/s
        '"throughput_per_s": 10.430388516394215,',  # the same run in batches/s
        "benchmarks.json records",
        "counts batches per second, not images",
        DOD_BENCH,
    ),
    Variant(
        "PSI bins taken from the live window",
        "serving/drift.py",
        "edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))",
        "edges = np.unique(np.quantile(live, np.linspace(0, 1, bins + 1)[1:-1]))",
        "PSI uses bins fixed from the reference",
        "bin edges from the live window",
        DOD_DRIFT,
    ),
    Variant(
        "KS statistic one-sided",
        "serving/drift.py",
        "d = float(np.max(np.abs(cdf_a - cdf_b)))",
        "d = float(np.max(cdf_a - cdf_b))",
        "The KS test matches scipy",
        "is one-sided",
        DOD_DRIFT,
    ),
    Variant(
        "KS computed on unsorted samples",
        "serving/drift.py",
        "    a = np.sort(np.asarray(a, dtype=np.float64))\n"
        "    b = np.sort(np.asarray(b, dtype=np.float64))\n",
        "    a = np.asarray(a, dtype=np.float64)\n"
        "    b = np.asarray(b, dtype=np.float64)\n",
        "The KS test matches scipy",
        "evaluate both empirical CDFs on sorted samples",
        DOD_DRIFT,
    ),
    Variant(
        "alert when the p-value is large (comparison reversed): fires on every window",
        "serving/drift.py",
        "if value > c.psi_threshold or p < c.ks_alpha:",
        "if value > c.psi_threshold or p > c.ks_alpha:",
        "Alerts stay quiet on unshifted data",
        "of 200 windows of unshifted test images",
        DOD_DRIFT,
    ),
    Variant(
        "drift window never emptied (old requests leak into every window)",
        "serving/drift.py",
        "self._features, self._predictions, self._pending = [], [], 0  # a fresh window",
        "self._pending = 0",
        "Alerts stop once traffic is back to normal",
        "the window keeps old requests",
        DOD_DRIFT,
    ),
    Variant(
        "retraining criteria written without the monitor's numbers",
        "RETRAINING.md",
        "Retraining starts after **3** drifted windows in a row (600 requests).",
        "Retraining starts after several drifted windows in a row.",
        "RETRAINING.md states the criteria",
        "does not state the monitor's retrain_after",
        DOD_RETRAIN,
    ),
    Variant(
        "criteria met but the retraining hook is never called",
        "serving/drift.py",
        "            if self.on_retrain is not None:\n",
        "            if self.on_retrain is None:\n",
        "The retraining hook fires",
        "the hook is not started",
        DOD_RETRAIN,
    ),
    Variant(
        "the drift monitor fed the preprocessed images instead of the raw pixels",
        "serving/service.py",
        "            for report in monitor.observe(images, labels):",
        "            from .preprocess import preprocess\n\n"
        "            for report in monitor.observe(preprocess(images), labels):",
        "Serving feeds the model exactly what training fed it",
        "drift monitor",
        DOD_EXPORT,
    ),
    Variant(
        "a second copy of the preprocessing in the service, with another mean and std",
        "serving/service.py",
        "        labels, confidences = predictor.predict(images)\n",
        "        x = np.asarray(images, dtype=np.float32).reshape(-1, 1, 28, 28)\n"
        "        x = (x / 255.0 - 0.5) / 0.5\n"
        "        logits = predictor.logits(x.astype(np.float32))\n"
        "        labels = logits.argmax(1)\n"
        "        e = np.exp(logits - logits.max(1, keepdims=True))\n"
        "        confidences = (e / e.sum(1, keepdims=True)).max(1)\n",
        "Serving feeds the model exactly what training fed it",
        "same preprocess()",
        DOD_EXPORT,
    ),
    Variant(
        "a prediction cache keyed on the batch's shape, not its pixels",
        "serving/export.py",
        "        probs = softmax(self.logits(preprocess(images)))  # (N, 10)",
        "        cache = self.__dict__.setdefault(\"cache\", {})\n"
        "        key = np.asarray(images).shape\n"
        "        if key not in cache:\n"
        "            cache[key] = softmax(self.logits(preprocess(images)))\n"
        "        probs = cache[key]  # (N, 10)",
        "Serving feeds the model exactly what training fed it",
        "cache",
        DOD_EXPORT,
    ),
    Variant(
        "exported for batch size 1 only (no dynamic batch axis)",
        "serving/export.py",
        "opset_version=17, dynamo=False,\n"
        "                          dynamic_axes={\"input\": {0: \"batch\"}, "
        "\"logits\": {0: \"batch\"}})",
        "opset_version=17, dynamo=False)",
        "ONNX Runtime matches PyTorch",
        "dynamic batch dimension",
        DOD_EXPORT,
    ),
    Variant(
        "batch confidences written big-endian",
        "serving/service.py",
        'confidences.astype("<f4").tobytes()',
        'confidences.astype(">f4").tobytes()',
        "The service answers",
        "big-endian",
        DOD_EXPORT,
    ),
    Variant(
        "PSI without a floor on empty bins (infinite on a far shift)",
        "serving/drift.py",
        "ref_share, live_share = np.maximum(ref_share, EPS), np.maximum(live_share, EPS)",
        "ref_share, live_share = ref_share + 0.0, live_share + 0.0",
        "PSI uses bins fixed from the reference",
        "Floor each bin",
        DOD_DRIFT,
    ),
    Variant(
        "drifted windows counted in total, never reset by a clean window",
        "serving/drift.py",
        'self.drifted_in_a_row = self.drifted_in_a_row + 1 if report["drifted"] else 0',
        'self.drifted_in_a_row += 1 if report["drifted"] else 0',
        "The retraining hook fires",
        "isolated drifted windows",
        DOD_RETRAIN,
    ),
)
