"""The final project's Definition of Done as probes (``probes``, run in the sandbox) and
judges (``judges``, run here). The items are the notes' three steps and their success
criterion about documentation; the checks under each are the issue's list.

The learner's ``catalogue`` package must define ``TrainConfig``, ``train_model``,
``train_tracked``, ``export_onnx``, ``build_service``, ``DriftMonitor`` and ``retrain``
(the starter gives their signatures); one item reads ``RETRAINING.md`` next to it.
"""

from __future__ import annotations

from buildreal.projects.checking import Check, Probe, ProjectChecks
from buildreal.projects.p11_final import judges

PACKAGE = "catalogue"
DOD_TRAIN = "Train a CNN or transformer backbone"
DOD_SERVE = "Export to ONNX and deploy a simple inference service"
DOD_MONITOR = "Add monitoring, drift detection, and retraining hooks"
DOD_CRITERIA = "Documented retraining criteria"
DOD = (DOD_TRAIN, DOD_SERVE, DOD_MONITOR, DOD_CRITERIA)

CHECKS = ProjectChecks(
    package=PACKAGE,
    probes_module="buildreal.projects.p11_final.probes",
    inputs=judges.make_inputs,
    definition_of_done=DOD,
    probes=(Probe("train", 90), Probe("export", 60), Probe("service", 90),
            Probe("drift", 60), Probe("retrain", 90)),
    checks=(
        Check(DOD_TRAIN, "The backbone learns and embeds images as unit vectors", 1,
              "train", judges.learns),
        Check(DOD_TRAIN, "The same seed gives bit-identical training", 1, "train",
              judges.reproducible),
        Check(DOD_TRAIN, "MLflow records seed, data version, metrics and true artefact "
              "hashes", 1, "train", judges.tracked),
        Check(DOD_SERVE, "ONNX Runtime matches PyTorch in evaluation mode", 2, "export",
              judges.onnx_matches),
        Check(DOD_SERVE, "/predict, /similar and /search (English and Spanish) answer to "
              "the contract", 3, "service", judges.endpoints),
        Check(DOD_SERVE, "Bad input gets a 4xx with a message, never a 500", 3, "service",
              judges.bad_input),
        Check(DOD_SERVE, "/metrics counts every request by endpoint and status", 3,
              "service", judges.metrics),
        Check(DOD_MONITOR, "The drift alert fires on the studio shift and the hook is "
              "called", 4, "drift", judges.detects),
        Check(DOD_MONITOR, "The drift alert stays quiet on held-out normal traffic", 4,
              "drift", judges.quiet),
        Check(DOD_MONITOR, "The hook promotes a better candidate", 5, "retrain",
              judges.promotes_better),
        Check(DOD_MONITOR, "The hook refuses a worse candidate", 5, "retrain",
              judges.refuses_worse),
        Check(DOD_MONITOR, "Each decision is logged with its accuracies", 5, "retrain",
              judges.logged),
        Check(DOD_MONITOR, "The candidate is judged on a holdout it never trained on", 5,
              "retrain", judges.holdout_honest),
        Check(DOD_CRITERIA, "RETRAINING.md states the monitor's numbers and the promotion "
              "rule", 5, "drift", judges.criteria),
    ),
)
