"""The rule set that tells assertions from mentions: negation scope, doubts, reasons and
lists of terms (pure text, no lab needed)."""

from __future__ import annotations

import pytest

from buildreal.tutor import claims

COLD_START = claims.term_stems("cold start")
FEEDBACK = claims.term_stems("feedback loop")
OVERFITTING = claims.term_stems("overfitting")


def denied(sentence: str, *terms: tuple[str, ...]) -> set[tuple[str, ...]]:
    return set().union(*(claims.denied_terms(c, terms) for c in claims.clauses(sentence)))


@pytest.mark.parametrize("sentence, term", [
    ("The new restaurants do not have a cold-start problem.", COLD_START),
    ("There is no feedback loop.", FEEDBACK),
    ("The model isn't really overfitting.", OVERFITTING),
    ("I never saw any real cold start here.", COLD_START),
    ("I wouldn't call it a feedback loop.", FEEDBACK),
])
def test_a_term_right_after_a_negation_is_denied(sentence, term):
    assert denied(sentence, term) == {term}


@pytest.mark.parametrize("sentence, term", [
    ("It is a cold start: new places have no orders in the history.", COLD_START),
    ("Not only is there a feedback loop, it gets worse with each retrain.", FEEDBACK),
    ("The data has no history for them, because of the cold start.", COLD_START),
    ("It's not the loss, but overfitting after epoch 12.", OVERFITTING),
    ("The 97% says nothing about cold start cases.", COLD_START),  # an absence, not a denial
])
def test_a_negation_elsewhere_in_the_sentence_does_not_deny_the_term(sentence, term):
    assert denied(sentence, term) == set()


@pytest.mark.parametrize("sentence", [
    "I doubt the metric is misleading.",
    "I don't think the data is the problem.",
    "Overfitting isn't the issue.",
    "The feedback loop has nothing to do with it.",
    "Early stopping wouldn't help.",
    "The loss is fine.",
    "It's hard to believe there's a feedback loop.",
])
def test_doubts_and_dismissals_mark_the_clause(sentence):
    assert any(c.doubted for c in claims.clauses(sentence))


@pytest.mark.parametrize("sentence", [
    "The loss rewards repeats, which is fine for regulars but not for new places.",
    "No doubt the loss rewards the familiar.",
    "The validation loss rises after epoch 12.",
])
def test_assertions_are_not_read_as_doubts(sentence):
    assert not any(c.doubted for c in claims.clauses(sentence))


@pytest.mark.parametrize("text", [
    "cold start new restaurants no history embedding",
    "feedback loop, popularity bias, retraining, exposure",
    "overfitting validation loss epoch 12 early stopping",
])
def test_strings_of_terms_are_lists(text):
    assert claims.is_term_list(text)


@pytest.mark.parametrize("text", [
    "New restaurants have no orders, so the model cannot score them.",
    "Not sure, maybe both.",
    "The loss was badly designed.",
    "I doubt the feedback loop matters.",
])
def test_sentences_are_not_lists(text):
    assert not claims.is_term_list(text)


@pytest.mark.parametrize("text, reasoned", [
    ("It's a cold-start problem.", False),
    ("The metric was the wrong one.", False),
    ("New places have no orders, so the model has nothing to score them on.", True),
    ("I'd split accuracy into reorders and first orders to check it.", True),
    ("Because the validation loss climbs from 0.45 to 1.2.", True),
    ("No one should be denied on the score alone: a person reviews every decline.", True),
])
def test_a_reason_is_a_mechanism_consequence_or_evidence(text, reasoned):
    assert claims.has_reason(text) is reasoned


def test_a_question_answered_with_a_denial_becomes_a_denial():
    assert claims.unfold("Cold start? Not really, they have orders.").startswith(
        "Not really Cold start")
    assert claims.unfold("Is it cold start? Yes, because...") == (
        "Is it cold start? Yes, because...")
