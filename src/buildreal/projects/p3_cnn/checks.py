"""Project 3's Definition of Done as probes (``probes``, run in the sandbox) and judges
(``judges``, run here): items in the course notes' words, checks under each.

The learner's package must define ``build_model``, ``predict_proba``, ``augment``,
``TrainConfig`` and ``train_model`` (the starter lists their signatures); the report
items read ``report.md`` and ``results.json`` from the project folder.
"""

from __future__ import annotations

from buildreal.projects.checking import Check, Probe, ProjectChecks
from buildreal.projects.p3_cnn import judges

PACKAGE = "cnn"
DOD_ACCURACY = "CNN achieves reasonable validation accuracy"
DOD_CONFUSION = "Confusion matrix is generated and analyzed"
DOD_AUGMENTATION = "Augmentation improves generalization"
DOD_SEEDS = "Model is reproducible with fixed seeds"
DOD = (DOD_ACCURACY, DOD_CONFUSION, DOD_AUGMENTATION, DOD_SEEDS)

CHECKS = ProjectChecks(
    package=PACKAGE,
    probes_module="buildreal.projects.p3_cnn.probes",
    inputs=judges.make_inputs,
    definition_of_done=DOD,
    probes=(Probe("overfit", 60), Probe("outputs", 30), Probe("early_stopping", 60),
            Probe("val_accuracy", 90), Probe("augmentation", 30), Probe("reproducible", 60)),
    checks=(
        Check(DOD_ACCURACY, "The model can overfit a tiny batch (loss near zero on 10 "
              "examples)", 1, "overfit", judges.overfit),
        Check(DOD_ACCURACY, "The output shape and the softmax are right", 3, "outputs",
              judges.outputs),
        Check(DOD_ACCURACY, "Training returns the weights of the best validation epoch", 4,
              "early_stopping", judges.early_stopping),
        Check(DOD_ACCURACY, "The training loop trains in training mode, clears gradients "
              "and keeps validation data out", 4, "early_stopping", judges.training_loop),
        Check(DOD_ACCURACY, "Validation accuracy passes the threshold on a fixed subset", 4,
              "val_accuracy", judges.val_accuracy),
        Check(DOD_CONFUSION, "The report names the hardest class pairs of your confusion "
              "matrix", 4, None, judges.confusion),
        Check(DOD_AUGMENTATION, "Augmentation is applied only in training and keeps the "
              "labels", 2, "augmentation", judges.augment_train_only),
        Check(DOD_AUGMENTATION, "The with/without augmentation study exists and the report "
              "states its result", 2, None, judges.study),
        Check(DOD_SEEDS, "Augmentation draws its randomness from the seeded generator", 3,
              "augmentation", judges.augment_seeded),
        Check(DOD_SEEDS, "A fixed seed makes training reproducible", 3, "reproducible",
              judges.reproducible),
    ),
)
