"""Project 4's Definition of Done as probes (``probes``, run in the sandbox) and judges
(``judges``, run here): items in the course notes' words, checks under each.

The package must define ``CharLM`` (``forward(x, state) -> (logits, state)`` and
``init_state(batch_size)``), ``TrainConfig`` (``seq_len``, ``batch_size``, ``steps``,
``lr``, ``clip``, ``seed``), ``train_tbptt(model, data, config)`` returning a history with
``loss`` and ``grad_norm``, and ``sample(model, prime, length, *, temperature, top_k,
generator)``.
"""

from __future__ import annotations

from buildreal.projects.checking import Check, Probe, ProjectChecks
from buildreal.projects.p4_charlm import judges

PACKAGE = "charlm"
DOD_SAMPLES = "Model generates coherent text samples"
DOD_PERPLEXITY = "Perplexity improves during training"
DOD_CLIPPING = "Gradient clipping stabilizes training"
DOD_REPRO = "Results are reproducible"
DOD = (DOD_SAMPLES, DOD_PERPLEXITY, DOD_CLIPPING, DOD_REPRO)

CHECKS = ProjectChecks(
    package=PACKAGE,
    probes_module="buildreal.projects.p4_charlm.probes",
    inputs=judges.make_inputs,
    definition_of_done=DOD,
    probes=(Probe("sampling", 30), Probe("perplexity", 90), Probe("zeroing", 30),
            Probe("state", 30), Probe("clipping", 30), Probe("reproducible", 60)),
    checks=(
        Check(DOD_SAMPLES, "Sampling respects temperature and top-k", 4, "sampling",
              judges.sampling),
        Check(DOD_SAMPLES, "Samples of the trained model use their context, and temperature "
              "orders their entropy", 4, "perplexity", judges.coherence),
        Check(DOD_PERPLEXITY, "Perplexity decreases during training", 3, "perplexity",
              judges.perplexity),
        Check(DOD_PERPLEXITY, "Gradients are cleared before each backward pass", 3,
              "zeroing", judges.zeroing),
        Check(DOD_PERPLEXITY, "The hidden state is carried across truncated windows and "
              "detached between them", 1, "state", judges.state),
        Check(DOD_CLIPPING, "Gradient clipping bounds the gradient norm", 2, "clipping",
              judges.clipping),
        Check(DOD_REPRO, "Results are reproducible with a seed", 1, "reproducible",
              judges.reproducible),
    ),
)
