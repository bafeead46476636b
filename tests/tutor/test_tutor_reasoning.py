"""The partner credits what the learner argues, not the words they use (issue 13), on the
night-photos lab with the words-only matcher, so every rule is exercised without the
embedding model."""

from __future__ import annotations

from tutor_helpers import converse, night_photos_lab

from buildreal.packs.model import Completion
from buildreal.tutor import Engine, LexicalMatcher

COMMIT = ("I blame the data: the training photos were all taken in daylight, so night "
          "uploads come from a distribution the model never saw.")
TEST_SET = ("The 97% came from a test set split off the same daylight collection, so it "
            "could never show the night failure.")
EVIDENCE = "I'd measure accuracy separately on night and day uploads; a big gap confirms it."
FIX = "Collect and label night photos and add brightness augmentation, so it learns the dark."


def test_a_denial_earns_nothing_and_is_asked_for_evidence(engine, lab):
    [reply] = converse(engine, lab, "There is no distribution shift between the photos.")
    assert reply.move == "deny" and reply.concept == "shift"
    assert reply.state.covered == ()
    assert lab.rubric[0].probe in reply.message  # it asks what would show it


def test_a_mention_without_a_reason_is_asked_why_and_the_answer_earns_it(engine, lab):
    first, second = converse(engine, lab, "The night uploads are a distribution shift.",
                             "Night uploads are dark and grainy while the training photos "
                             "were all daylight ones.")
    assert first.move == "ask_why" and first.state.covered == ()
    assert second.state.covered == ("shift",)  # the answer to its own question counts


def test_a_list_of_terms_is_asked_how_they_connect_and_never_completes(engine, lab):
    turns = ["data night daylight distribution shift", "test set, held out, 97%, split",
             "slice night accuracy measure compare", "augment brightness collect label",
             "Let's finish."]
    replies = converse(engine, lab, *turns)
    assert replies[0].move == "ask_connect" and "connect" in replies[0].message
    assert all(r.state.covered == () for r in replies)
    assert replies[-1].move == "debrief" and not replies[-1].state.completed
    assert replies[-1].state.debrief.score == 0


def test_a_turn_as_vague_as_a_weak_example_says_what_is_missing(engine, lab):
    [reply] = converse(engine, lab, "The photos are different, I think.")
    assert reply.move == "weak" and reply.concept == "shift"
    assert reply.state.covered == ()
    assert "mechanism" in reply.message or "why" in reply.message


def test_a_flip_to_an_indefensible_choice_is_challenged_with_the_learners_words(engine, lab):
    first, flip = converse(engine, lab, COMMIT, "Actually I'd go with the architecture.")
    assert flip.move == "flip"
    assert "training photos were all taken in daylight" in flip.message  # quoted back
    assert flip.state.choice == "data"  # an unreasoned switch does not replace the reason


def test_completion_uses_the_final_reasoned_commitment(engine, lab):
    replies = converse(engine, lab, COMMIT, TEST_SET, EVIDENCE,
                       "Actually I'd pick the architecture, because the network design "
                       "has nothing to normalise brightness.", "Let's finish.")
    assert replies[3].move == "flip" and replies[3].state.choice == "architecture"
    assert replies[3].state.choices == ("data", "architecture")
    assert replies[-1].move == "debrief" and not replies[-1].state.completed


def test_an_answered_challenge_is_acknowledged(engine, lab):
    replies = converse(engine, lab, COMMIT,
                       "No: a network can learn brightness invariance only if the data "
                       "contains dark photos, so the missing night photos are the cause.")
    assert replies[0].move == "challenge"
    assert "answers my" in replies[1].message


def test_the_partner_offers_to_stop_and_only_then_says_good_place_to_stop(engine, lab):
    replies = converse(engine, lab, COMMIT, TEST_SET, EVIDENCE, FIX)
    assert [r.move for r in replies] == ["challenge", "probe", "probe", "debrief"]
    assert '"finish"' in replies[2].message
    assert all("Good place to stop" not in r.message for r in replies[:3])
    last = replies[-1]
    assert last.state.completed and last.state.debrief.missed == ()
    assert last.state.debrief.score == 100


def test_a_learner_still_arguing_at_the_turn_limit_is_not_cut_off():
    lab = night_photos_lab(completion=Completion(min_concepts=4, require_commitment=True,
                                                 max_turns=3))
    engine = Engine(matcher=LexicalMatcher())
    replies = converse(engine, lab, "Hmm, not sure.", COMMIT, TEST_SET, EVIDENCE, FIX)
    assert not replies[2].state.done  # turn 3 made progress: keep going
    assert replies[-1].move == "debrief" and replies[-1].state.completed
    debrief = replies[-1].state.debrief
    assert {p.concept_id for p in debrief.got_right} == {"shift", "test-set", "evidence",
                                                          "fix"}


def test_out_of_turns_without_progress_is_not_called_a_good_place_to_stop():
    lab = night_photos_lab(completion=Completion(min_concepts=3, require_commitment=True,
                                                 max_turns=3))
    engine = Engine(matcher=LexicalMatcher())
    replies = converse(engine, lab, COMMIT, "Hmm.", "Not sure.")
    assert replies[-1].move == "debrief" and not replies[-1].state.completed
    assert "Good place to stop" not in replies[-1].message


def test_a_choice_qualified_on_the_spot_is_the_conditional_option():
    from buildreal.packs.model import Choice

    base = night_photos_lab()
    lab = night_photos_lab(choices=(
        Choice("ship", "Ship the detector", ("ship", "ship it", "deploy")),
        Choice("conditional", "Ship only under conditions", ("only if", "with conditions")),
        Choice("hold", "Hold it back", ("hold it back", "hold off")),
    ), defensible=("conditional", "hold"), rubric=base.rubric)
    engine = Engine(matcher=LexicalMatcher())
    only_if = engine.analyse(lab, "I'd ship it only with a night-photo test passing first, "
                                  "because the daylight test set could never show it.")
    plain = engine.analyse(lab, "I'd ship it, because the daylight test set is fine.")
    assert only_if.choice == "conditional"
    assert plain.choice == "ship"
