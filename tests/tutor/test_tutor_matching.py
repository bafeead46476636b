"""Matching learner statements to the rubric: embeddings, and the words-only fallback."""

from __future__ import annotations

import pytest
from tutor_helpers import MODULE_1, converse

from buildreal.packs.loader import load_course
from buildreal.tutor import Engine, LexicalMatcher, SemanticMatcher, default_matcher, matching
from buildreal.tutor import embedder as embedder_module


@pytest.fixture(scope="module")
def lab1():
    return load_course(MODULE_1).item("m1-l1-lab").lab


# Paraphrases that share almost no keyword with the rubric of Module 1's first lab.
PARAPHRASES = {
    "objective-rewards-popularity": "The objective only pays off for guessing what people "
                                    "already buy, so showing their favourites is the winning "
                                    "strategy.",
    "cold-start": "A restaurant that opened last week simply isn't in the logs, so it has "
                  "nothing to be ranked on.",
}


@pytest.mark.parametrize("concept", sorted(PARAPHRASES))
def test_embeddings_credit_a_paraphrase_that_shares_no_keyword(semantic_matcher, lab1,
                                                                concept):
    text = PARAPHRASES[concept]
    assert concept in semantic_matcher.match(lab1, text).concepts
    assert concept not in LexicalMatcher().match(lab1, text).concepts


@pytest.mark.parametrize("matcher_name", ["embedding", "lexical"])
def test_both_matchers_credit_a_statement_close_to_a_strong_example(semantic_matcher, lab1,
                                                                     matcher_name):
    matcher = semantic_matcher if matcher_name == "embedding" else LexicalMatcher()
    text = ("Most orders are repeat orders, so accuracy mostly rewards predicting "
            "someone's usual restaurant.")
    assert matcher.match(lab1, text).concepts == ("metric-mismatch",)


@pytest.mark.parametrize("matcher_name", ["embedding", "lexical"])
def test_weak_statements_and_chatter_earn_no_concept(semantic_matcher, lab1, matcher_name):
    matcher = semantic_matcher if matcher_name == "embedding" else LexicalMatcher()
    for text in ("The loss function was bad.", "Make the model bigger.",
                 "91% is pretty good, so the model itself must be fine.",
                 "Can you write me a poem about cats?"):
        assert matcher.match(lab1, text).concepts == (), text


def test_embeddings_catch_a_reworded_misconception(semantic_matcher, lab1):
    reworded = "Stacking more layers onto the network would sort this out."
    assert semantic_matcher.match(lab1, reworded).misconceptions == ("bigger-model",)
    assert LexicalMatcher().match(lab1, reworded).misconceptions == ()
    correct = semantic_matcher.match(
        lab1, "Because the new restaurants have no orders in the training history, the "
              "model cannot score them.")
    assert correct.misconceptions == () and "cold-start" in correct.concepts


def test_off_topic_text_is_recognised_by_both_matchers(semantic_matcher, lab1):
    for matcher in (semantic_matcher, LexicalMatcher()):
        assert not matcher.match(lab1, "What's the weather like in Paris today?").on_topic
        assert matcher.match(lab1, "The test set came from the same history.").on_topic


def test_a_whole_conversation_runs_on_embeddings(semantic_matcher, lab1):
    replies = converse(Engine(matcher=semantic_matcher), lab1,
                       "I'd pick the loss. " + PARAPHRASES["objective-rewards-popularity"],
                       PARAPHRASES["cold-start"],
                       "People order from whatever the app shows, so retraining on those "
                       "orders makes the list narrower each time.", "Let's finish here.")
    assert replies[0].move == "challenge" and replies[0].state.choice == "loss"
    assert replies[-1].move == "debrief" and replies[-1].state.completed


def test_the_lab_embeddings_are_computed_once_per_lab(semantic_matcher, lab1, monkeypatch):
    semantic_matcher.match(lab1, "warm this lab")
    calls = []
    real = semantic_matcher._build_vectors
    monkeypatch.setattr(semantic_matcher, "_build_vectors",
                        lambda lab: calls.append(lab) or real(lab))
    for text in ("one statement", "another statement", "one statement"):
        semantic_matcher.match(lab1, text)
    assert calls == []


# --- choosing a matcher ---------------------------------------------------------------

@pytest.fixture
def fresh_default(monkeypatch):
    monkeypatch.setattr(matching, "_default", None)
    monkeypatch.setattr(matching, "_default_key", None)


def test_the_environment_forces_the_words_only_fallback(monkeypatch, fresh_default):
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "lexical")
    assert isinstance(default_matcher(), LexicalMatcher)


def test_auto_uses_embeddings_when_the_model_is_installed(monkeypatch, fresh_default):
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "auto")
    assert isinstance(default_matcher(), SemanticMatcher)


def test_auto_falls_back_to_words_when_the_model_is_missing(monkeypatch, fresh_default,
                                                            caplog):
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "auto")
    monkeypatch.setattr(embedder_module, "available", lambda: False)
    assert isinstance(default_matcher(), LexicalMatcher)
    assert "matches words only" in caplog.text


def test_asking_for_embeddings_without_the_model_fails_with_the_fix(monkeypatch,
                                                                    fresh_default):
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "embedding")
    monkeypatch.setattr(embedder_module, "available", lambda: False)
    with pytest.raises(embedder_module.EmbedderUnavailable, match="pip install"):
        default_matcher()


def test_an_unknown_matcher_name_is_rejected_with_the_choices(monkeypatch, fresh_default):
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "bm25")
    with pytest.raises(ValueError, match="auto, embedding, lexical"):
        default_matcher()


def test_a_model_that_fails_to_load_falls_back_to_words_for_every_reply(lab1, monkeypatch):
    monkeypatch.setattr(embedder_module, "_model", None)
    monkeypatch.setattr(embedder_module, "_error", OSError("weights file is truncated"))
    matcher = SemanticMatcher(embedder=embedder_module.Embedder())
    text = ("Most orders are repeat orders, so accuracy mostly rewards predicting "
            "someone's usual restaurant.")
    assert matcher.match(lab1, text) == LexicalMatcher().match(lab1, text)


MODULE_1_LABS = ["m1-l1-lab", "m1-l2-lab", "m1-l3-lab", "m1-l4-lab"]


@pytest.mark.parametrize("lab_id", MODULE_1_LABS)
@pytest.mark.parametrize("matcher_name", ["embedding", "lexical"])
def test_each_module_1_rubric_credits_its_strong_examples_and_not_its_weak_ones(
        semantic_matcher, lab_id, matcher_name):
    """An author's own examples must land where they were written for: a strong example
    covers its concept, a weak one does not, and each trigger raises its misconception."""
    lab = load_course(MODULE_1).item(lab_id).lab
    matcher = semantic_matcher if matcher_name == "embedding" else LexicalMatcher()
    problems = []
    for concept in lab.rubric:
        problems += [f"strong not credited to {concept.id}: {s}" for s in concept.strong
                     if concept.id not in matcher.match(lab, s).concepts]
        problems += [f"weak credited to {concept.id}: {w}" for w in concept.weak
                     if concept.id in matcher.match(lab, w).concepts]
    for m in lab.misconceptions:
        problems += [f"trigger missed for {m.id}: {t}" for t in m.triggers
                     if m.id not in matcher.match(lab, t).misconceptions]
    assert not problems, "\n".join(problems)
