"""Project 5's Definition of Done as probes (``probes``, run in the sandbox) and judges
(``judges``, run here): items in the course notes' words, checks under each.

The learner's package ``translator`` must define ``PAD, UNK, BOS, EOS`` (0 to 3),
``scaled_dot_product_attention``, ``padding_mask``, ``causal_mask``, ``ModelConfig``,
``build_model(config, *, seed)`` (a model with ``encode``, ``decode``, ``forward`` and
``cross_attention``), ``label_smoothed_loss``, ``lr_at``, ``TrainConfig``,
``train_translator``, ``greedy_decode``, ``beam_search``, ``train_tokenizer``, ``encode``
and ``decode`` (the starter lists their signatures); two checks read ``report.md``.
"""

from __future__ import annotations

from buildreal.projects.checking import Check, Probe, ProjectChecks
from buildreal.projects.p5_translator import judges

PACKAGE = "translator"
DOD_TRANSLATES = "Transformer translates short sentences reasonably"
DOD_ATTENTION = "Attention visualization works"
DOD_STABLE = "Training is stable across runs"
DOD_DOCUMENTED = "Results are documented with examples"
DOD = (DOD_TRANSLATES, DOD_ATTENTION, DOD_STABLE, DOD_DOCUMENTED)

CHECKS = ProjectChecks(
    package=PACKAGE,
    probes_module="buildreal.projects.p5_translator.probes",
    inputs=judges.make_inputs,
    definition_of_done=DOD,
    probes=(Probe("attention", 30), Probe("model", 30), Probe("tokenizer", 60),
            Probe("overfit", 90), Probe("seeds", 90), Probe("repro", 60)),
    checks=(
        Check(DOD_TRANSLATES, "Attention rows sum to 1 over the keys", 2, "attention",
              judges.attention_rows),
        Check(DOD_TRANSLATES, "Attention equals softmax(q k^T / sqrt(d_k)) v", 2, "attention",
              judges.attention_formula),
        Check(DOD_TRANSLATES, "Padding and causal masks mark the right entries", 3,
              "attention", judges.masks),
        Check(DOD_TRANSLATES, "The causal mask holds: later target tokens change no earlier "
              "output", 3, "model", judges.causal_holds),
        Check(DOD_TRANSLATES, "Padding is ignored: extra padding changes no output", 3,
              "model", judges.padding_ignored),
        Check(DOD_TRANSLATES, "Word order matters only with positional encoding", 2, "model",
              judges.order),
        Check(DOD_TRANSLATES, "The loss is label-smoothed cross-entropy over real tokens", 3,
              "attention", judges.loss),
        Check(DOD_TRANSLATES, "The subword tokenizer round-trips held-out sentences", 1,
              "tokenizer", judges.tokenizer),
        Check(DOD_TRANSLATES, "A tiny batch is memorised and decoded back", 1, "overfit",
              judges.overfit),
        Check(DOD_TRANSLATES, "Beam search agrees with greedy decoding at beam 1", 4,
              "overfit", judges.beam),
        Check(DOD_ATTENTION, "Cross-attention weights are kept per head, padding gets none",
              4, "model", judges.cross_attention),
        Check(DOD_ATTENTION, "report.md shows an attention plot", 4, None,
              judges.report_attention),
        Check(DOD_STABLE, "The learning rate warms up, then decays", 3, "attention",
              judges.schedule),
        Check(DOD_STABLE, "Two seeds both learn to reverse sequences", 3, "seeds",
              judges.stable),
        Check(DOD_STABLE, "A fixed seed reproduces training exactly", 3, "repro",
              judges.reproducible),
        Check(DOD_DOCUMENTED, "report.md states BLEU and chrF against a baseline, with "
              "examples", 4, None, judges.report_results),
    ),
)
