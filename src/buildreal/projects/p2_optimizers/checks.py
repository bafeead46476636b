"""Project 2's Definition of Done as probes (``probes``, run in the sandbox) and judges
(``judges``, run here): items in the course notes' words, checks under each."""

from __future__ import annotations

from buildreal.projects.checking import Check, Probe, ProjectChecks
from buildreal.projects.p2_optimizers import judges

DOD_PLOTS = "Visualizations for at least three optimizers"
DOD_COMPARISON = "Clear comparison of convergence behavior"
DOD_REPRO = "Reproducible runs with fixed seeds"
DOD_NOTES = "Written explanation of observed differences"
DEFINITION_OF_DONE = (DOD_PLOTS, DOD_COMPARISON, DOD_REPRO, DOD_NOTES)

CHECKS = ProjectChecks(
    package="playground",
    probes_module="buildreal.projects.p2_optimizers.probes",
    definition_of_done=DEFINITION_OF_DONE,
    probes=(Probe("plots", 60), Probe("trajectories", 60), Probe("schedules", 30),
            Probe("surfaces", 30), Probe("table", 60), Probe("reproducibility", 60)),
    checks=(
        Check(DOD_PLOTS, "plot_paths draws three optimizers as PNG and SVG", 2, "plots",
              judges.plots),
        Check(DOD_COMPARISON, "Each update rule matches torch.optim over 1,000 steps", 5,
              "trajectories", judges.update_rules),
        Check(DOD_COMPARISON, "Weight decay matches torch.optim for SGD, Adam and AdamW", 5,
              "trajectories", judges.weight_decay),
        Check(DOD_COMPARISON, "Step, cosine and warmup schedules and gradient-norm clipping "
              "match PyTorch", 5, "schedules", judges.schedules),
        Check(DOD_COMPARISON, "The five surfaces and their gradients are right", 1,
              "surfaces", judges.surfaces),
        Check(DOD_COMPARISON, "Final loss, steps to tolerance and divergence are measured "
              "right", 4, "table", judges.table),
        Check(DOD_REPRO, "Runs are reproducible: identical starts and fixed seeds", 3,
              "reproducibility", judges.reproducible),
        Check(DOD_NOTES, "NOTES.md compares the optimizers on named surfaces", 4, None,
              judges.notes),
    ),
)
