"""Project 10's Definition of Done as probes (``probes``, run in the sandbox) and judges
(``judges``, run here): items in the course notes' words, checks under each.

The learner's ``serving`` package must define ``preprocess`` and ``PREPROCESS_VERSION``,
``build_model``/``train_model``, ``export_onnx``/``OnnxPredictor``, ``create_app``,
``latency_summary``, ``psi``, ``ks_2samp`` and ``DriftMonitor`` (the starter lists their
signatures); two items read ``benchmarks.json`` and ``RETRAINING.md`` next to it.
"""

from __future__ import annotations

from buildreal.projects.checking import Check, Probe, ProjectChecks
from buildreal.projects.p10_inference import judges

PACKAGE = "serving"
DOD_EXPORT = "Model exported and validated in ONNX"
DOD_BENCH = "Latency/throughput benchmarks recorded"
DOD_DRIFT = "Drift monitoring pipeline working"
DOD_RETRAIN = "Clear retraining criteria documented"
DOD = (DOD_EXPORT, DOD_BENCH, DOD_DRIFT, DOD_RETRAIN)

CHECKS = ProjectChecks(
    package=PACKAGE,
    probes_module="buildreal.projects.p10_inference.probes",
    inputs=judges.make_inputs,
    definition_of_done=DOD,
    probes=(Probe("export", 90), Probe("service", 60), Probe("bench", 20),
            Probe("drift_stats", 20), Probe("drift_quiet", 60), Probe("drift_shifts", 60)),
    checks=(
        Check(DOD_EXPORT, "ONNX Runtime matches PyTorch in evaluation mode on the known "
              "samples", 1, "export", judges.onnx_matches),
        Check(DOD_EXPORT, "Predicted classes and confidences on the known samples match the "
              "model", 1, "export", judges.predictions_match),
        Check(DOD_EXPORT, "A fixed seed reproduces the model on the known samples", 1,
              "export", judges.seeded),
        Check(DOD_EXPORT, "The preprocessing version and fingerprint are recorded in the "
              "ONNX file", 1, "export", judges.versioned),
        Check(DOD_EXPORT, "Serving feeds the model exactly what training fed it", 1,
              "service", judges.same_preprocessing),
        Check(DOD_EXPORT, "The service answers /predict, /predict/batch, /healthz and "
              "/metrics", 3, "service", judges.service),
        Check(DOD_BENCH, "Latency percentiles are computed from the sorted latencies", 2,
              "bench", judges.percentiles),
        Check(DOD_BENCH, "benchmarks.json records p50/p95/p99 and throughput for ONNX "
              "Runtime and PyTorch by batch size", 2, None, judges.benchmarks_file),
        Check(DOD_DRIFT, "PSI uses bins fixed from the reference", 3, "drift_stats",
              judges.psi_check),
        Check(DOD_DRIFT, "The KS test matches scipy.stats.ks_2samp", 3, "drift_stats",
              judges.ks_check),
        Check(DOD_DRIFT, "Alerts fire within 500 requests of a brightness, noise or "
              "class-mix shift", 4, "drift_shifts", judges.detects),
        Check(DOD_DRIFT, "Alerts stay quiet on unshifted data (at most 1% of 200 windows)",
              4, "drift_quiet", judges.quiet),
        Check(DOD_DRIFT, "Alerts stop once traffic is back to normal", 4, "drift_shifts",
              judges.recovers),
        Check(DOD_RETRAIN, "RETRAINING.md states the criteria with the monitor's numbers", 4,
              "drift_shifts", judges.criteria),
        Check(DOD_RETRAIN, "The retraining hook fires on sustained drift, never on "
              "unshifted data", 4, "drift_shifts", judges.hook),
    ),
)
