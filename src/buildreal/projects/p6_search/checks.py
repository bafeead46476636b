"""Project 6's Definition of Done as probes (``probes``, run in the sandbox) and judges
(``judges``, run here): items in the course notes' words, checks under each.

The learner's package ``encoder`` must export ``HashTokenizer`` (given in the starter),
``build_model(*, seed, buckets, dim, out_dim)`` (a module mapping token ids (B, T) to
unit vectors), ``info_nce``, ``TrainConfig``, ``train_encoder``, ``encode``,
``recall_at_k``, ``mean_reciprocal_rank``, ``build_index``, ``search`` and
``recall_vs_exact`` (the starter lists their signatures); the documentation item reads
``report.md`` from the project folder.
"""

from __future__ import annotations

from buildreal.projects.checking import Check, Probe, ProjectChecks
from buildreal.projects.p6_search import judges

PACKAGE = "encoder"
DOD_CLUSTER = "Embeddings cluster semantically"
DOD_METRICS = "Retrieval metrics improve over baseline"
DOD_INDEX = "Indexing and query are documented"
DOD_REPRO = "System is reproducible"
DOD = (DOD_CLUSTER, DOD_METRICS, DOD_INDEX, DOD_REPRO)

CHECKS = ProjectChecks(
    package=PACKAGE,
    probes_module="buildreal.projects.p6_search.probes",
    inputs=judges.make_inputs,
    definition_of_done=DOD,
    probes=(Probe("loss", 30), Probe("pooling", 30), Probe("metrics", 30),
            Probe("train", 120), Probe("index", 60), Probe("reproducible", 90)),
    checks=(
        Check(DOD_CLUSTER, "Embeddings are unit length where cosine is assumed", 3,
              "pooling", judges.normalised),
        Check(DOD_CLUSTER, "Mean pooling ignores padding", 1, "pooling",
              judges.padding_ignored),
        Check(DOD_CLUSTER, "Positives score above in-batch negatives after training", 2,
              "train", judges.positives_above_negatives),
        Check(DOD_CLUSTER, "Embeddings do not collapse", 4, "train", judges.no_collapse),
        Check(DOD_METRICS, "The loss matches a reference InfoNCE on fixed inputs", 2, "loss",
              judges.loss_matches),
        Check(DOD_METRICS, "The loss carries gradients", 2, "loss", judges.loss_gradient),
        Check(DOD_METRICS, "Retrieval metrics are right on a hand-checked case", 3,
              "metrics", judges.metrics_hand_case),
        Check(DOD_METRICS, "The training loss falls", 2, "train", judges.loss_falls),
        Check(DOD_METRICS, "Held-out MRR improves over the untrained baseline", 2, "train",
              judges.mrr_improves),
        Check(DOD_INDEX, "Exact search returns the true nearest neighbours", 3, "index",
              judges.index_exact),
        Check(DOD_INDEX, "Approximate index recall against exact search is measured", 3,
              "index", judges.index_recall),
        Check(DOD_INDEX, "report.md states MRR, recall@k and latency", 4, None,
              judges.report),
        Check(DOD_REPRO, "A fixed seed reproduces training", 3, "reproducible",
              judges.reproducible),
    ),
)
