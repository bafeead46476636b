"""Project 1's Definition of Done as probes (``probes``, run in the sandbox) and judges
(``judges``, run here). Items are the course notes' words; checks are what is verified
under each (docs/projects/checks.md)."""

from __future__ import annotations

from buildreal.projects.checking import Check, Probe, ProjectChecks
from buildreal.projects.p1_autodiff import judges

DOD_FINITE = "Gradients match finite differences on toy expressions"
DOD_MLP = "A small MLP reduces loss on a toy dataset"
DOD_BACKPROP = "Backprop works for all supported operations"
DOD_DOCS = "Documentation explains the graph and gradient flow"
DEFINITION_OF_DONE = (DOD_FINITE, DOD_MLP, DOD_BACKPROP, DOD_DOCS)

CHECKS = ProjectChecks(
    package="autodiff",
    probes_module="buildreal.projects.p1_autodiff.probes",
    definition_of_done=DEFINITION_OF_DONE,
    probes=(Probe("finite", 60), Probe("mlp", 90), Probe("ops", 60), Probe("broadcast", 30),
            Probe("accumulate", 30), Probe("stable", 30), Probe("dot", 30)),
    checks=(
        Check(DOD_FINITE, "numerical_gradient and the engine agree with finite differences",
              5, "finite", judges.finite),
        Check(DOD_MLP, "SGD trains a 2-16-16-2 MLP on two moons", 3, "mlp", judges.mlp),
        Check(DOD_BACKPROP, "Every operation's value and gradient match PyTorch", 2, "ops",
              judges.ops),
        Check(DOD_BACKPROP, "Broadcast inputs get gradients summed back to their own shape",
              4, "broadcast", judges.broadcast),
        Check(DOD_BACKPROP, "A node used twice gets the sum of both paths, in topological "
              "order", 3, "accumulate", judges.accumulate),
        Check(DOD_BACKPROP, "Softmax cross-entropy stays finite for large logits "
              "(log-sum-exp)", 4, "stable", judges.stable),
        Check(DOD_DOCS, "The graph printer writes Graphviz dot for a small expression", 1,
              "dot", judges.dot),
        Check(DOD_DOCS, "NOTES.md explains the graph and traces the gradients", 1, None,
              judges.docs),
    ),
)
