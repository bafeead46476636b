"""Project 7's Definition of Done as probes (``probes``, run in the sandbox) and judges
(``judges``, run here): items in the course notes' words, checks under each.

The learner's package must define ``build_autoencoder``, ``fit_scaler``,
``reconstruction_error``, ``feature_errors``, ``choose_threshold``, ``flag_anomalies``,
``top_false_positives``, ``TrainConfig``, ``fit_detector`` and ``run_experiment`` (the
starter lists their signatures); the report items read ``report.md`` and
``results.json`` from the project folder.
"""

from __future__ import annotations

from buildreal.projects.checking import Check, Probe, ProjectChecks
from buildreal.projects.p7_anomaly import judges

PACKAGE = "anomaly"
DOD_SEPARATES = "Reconstruction error separates normal vs anomalous cases"
DOD_THRESHOLD = "Threshold selection is justified"
DOD_FALSE_POSITIVES = "False positives analyzed"
DOD_DOCUMENTED = "Results are documented"
DOD = (DOD_SEPARATES, DOD_THRESHOLD, DOD_FALSE_POSITIVES, DOD_DOCUMENTED)

CHECKS = ProjectChecks(
    package=PACKAGE,
    probes_module="buildreal.projects.p7_anomaly.probes",
    inputs=judges.make_inputs,
    definition_of_done=DOD,
    probes=(Probe("training", 45), Probe("experiment", 60), Probe("false_positives", 30),
            Probe("reproducible", 45)),
    checks=(
        Check(DOD_SEPARATES, "The autoencoder trains only on normal data", 1, "training",
              judges.trains_on_normal_only),
        Check(DOD_SEPARATES, "Scaling uses training statistics only (no leakage)", 1,
              "experiment", judges.scaler_training_only),
        Check(DOD_SEPARATES, "Scores are computed in evaluation mode", 3, "experiment",
              judges.eval_mode),
        Check(DOD_SEPARATES, "Every split is scored with the training scaler", 1,
              "experiment", judges.scoring_consistent),
        Check(DOD_SEPARATES, "Reconstruction error separates the classes on a fixed subset",
              2, "experiment", judges.separation),
        Check(DOD_THRESHOLD, "The threshold is chosen on validation, not test", 2,
              "experiment", judges.threshold_on_validation),
        Check(DOD_THRESHOLD, "Rows above the threshold are flagged as anomalies", 2,
              "experiment", judges.flags_direction),
        Check(DOD_THRESHOLD, "The report states the threshold's target and split", 2, None,
              judges.threshold_justified),
        Check(DOD_FALSE_POSITIVES, "False positives are listed, highest score first", 4,
              "false_positives", judges.false_positives_listed),
        Check(DOD_FALSE_POSITIVES, "Per-feature errors show what drove each score", 4,
              "false_positives", judges.features_driving),
        Check(DOD_DOCUMENTED, "Results are reproducible with a fixed seed", 3, "reproducible",
              judges.reproducible),
        Check(DOD_DOCUMENTED, "The report gives precision, recall, AUROC, AUPRC and a "
              "baseline", 4, None, judges.results_documented),
    ),
)
