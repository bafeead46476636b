"""The partner judges reasoning, not keywords, on every lab of both courses: adversarial
learner turns (tests/tutor/adversarial.py builds them from each lab and from the
hand-written adversarial_turns.yaml) run through ``Engine.reply`` as the web view runs
it, with the matcher the server uses."""

from __future__ import annotations

import pytest
from adversarial import all_cases, all_labs, handwritten, judge, number_variants, typo
from tutor_helpers import converse, night_photos_lab

from buildreal.tutor import Engine, LexicalMatcher
from buildreal.tutor.text import normalize, stem, words

LABS = all_labs()
SAMPLED = {"numbers", "choice-words", "negation", "bare", "question"}


@pytest.fixture(scope="module")
def problems(semantic_matcher) -> dict[str, list[str]]:
    """Every misjudgement of the whole set, by category (judged once for the module)."""
    engine = Engine(matcher=semantic_matcher)
    found: dict[str, list[str]] = {}
    cases = all_cases(LABS)
    seen: dict[tuple[str, str], int] = {}
    for case in cases:
        # the larger composed categories are sampled (every other case per lab) to keep
        # the suite quick; `python tests/tutor/adversarial.py` runs every case
        n = seen[(case.lab_id, case.category)] = seen.get((case.lab_id, case.category), -1) + 1
        if case.category in SAMPLED and n % 2:
            continue
        problem = judge(engine, LABS[case.lab_id], case)
        if problem:
            found.setdefault(case.category, []).append(
                f"[{case.category}] {case.lab_id}: {' | '.join(case.turns)[:160]}\n"
                f"   -> {problem}")
    return found


def misjudged(problems, *categories):
    return [p for c in categories for p in problems.get(c, [])]


def test_every_lab_has_hand_written_adversarial_turns():
    written = handwritten()
    assert len(LABS) >= 15
    for lab_id, lab in LABS.items():
        block = written.get(lab_id)
        assert block and len(block["sound"]) >= 2 and len(block["wrong_reason"]) >= 2, lab_id
        assert block["sound"][0].get("reason"), lab_id
        if lab.defensible:
            assert block["wrong_choice"], lab_id


def test_sound_reasoning_for_a_defensible_choice_is_credited_in_every_lab(problems):
    found = misjudged(problems, "sound", "long")
    assert not found, "\n".join(found)


def test_a_bare_label_or_an_empty_because_is_pushed_for_a_reason_in_every_lab(problems):
    found = misjudged(problems, "bare")
    assert not found, "\n".join(found)


def test_most_wrong_reasons_are_not_credited_as_sound(problems):
    found = misjudged(problems, "wrong-reason")
    # the rest are misconceptions worded far from the lab's triggers (see the report)
    assert len(found) <= 9, "\n".join(found)


def test_keyword_lists_and_noise_earn_nothing_in_every_lab(problems):
    noise = misjudged(problems, "off-topic", "empty")
    lists = misjudged(problems, "keywords")
    assert not noise, "\n".join(noise)
    assert len(lists) <= 2, "\n".join(lists)


def test_negation_and_switching_commit_to_the_choice_the_learner_ends_on(problems):
    found = misjudged(problems, "negation", "switch", "choice-words")
    # known miss: a sound reason read as the lab's "train from scratch" misconception
    assert len(found) <= 1, "\n".join(found)


def test_a_question_back_never_reveals_the_expected_choice(problems):
    found = misjudged(problems, "question")
    assert not found, "\n".join(found)


def test_a_fluent_case_for_an_indefensible_choice_is_challenged_with_the_case(problems):
    found = misjudged(problems, "wrong-choice")
    assert not found, "\n".join(found)


def test_sound_reasoning_survives_typos_spellings_and_number_formats(problems):
    found = misjudged(problems, "spelling", "numbers")
    typos = misjudged(problems, "typos")
    assert not found, "\n".join(found)
    assert len(typos) <= 1, "\n".join(typos)  # a typo in a four-letter word ("logn")


def test_british_and_american_spellings_and_number_formats_read_alike():
    for british, american in [("optimised", "optimized"), ("normalisation", "normalization"),
                              ("labelled", "labeled"), ("behaviour", "behavior"),
                              ("initialisation", "initialization"), ("centre", "center")]:
        assert stem(british) == stem(american)
    assert words("2.30 and 4,096 and 91 percent") == words("2.3 and 4096 and 91%")
    assert normalize(".5x") == normalize("0.50 x")
    assert number_variants("It costs $6.40 at 91%.") and typo("a longer sentence here")


LEX = Engine(matcher=LexicalMatcher())
REASON = ("the training photos were all taken in daylight, so night uploads come from a "
          "distribution the model never saw")


@pytest.mark.parametrize("text", [
    "I'd go with the data because it makes the most sense.",
    "My answer is the training data, since that is clearly the right option.",
    "Data, because I think so.",
])
def test_a_because_that_gives_no_reason_is_not_a_commitment(text):
    [reply] = converse(LEX, night_photos_lab(), text)
    assert reply.move == "ask_reason" and reply.state.choice is None


def test_not_x_but_y_and_actually_no_commit_to_y():
    lab = night_photos_lab()
    for text in (f"Not the architecture but the data, since {REASON}.",
                 f"Maybe the architecture... actually no, the data, because {REASON}.",
                 f"We need to look at the loss first, so I pick the data because {REASON}.",
                 f"The data, because {REASON}, which no architecture can fix.",
                 f"The loss. No wait, the data, because {REASON}.",
                 f"The architecture isn't it. The loss isn't it either. The data, because "
                 f"{REASON}.",
                 f"Don't blame the loss and don't blame the architecture: the data, since "
                 f"{REASON}."):
        [reply] = converse(LEX, lab, text)
        assert reply.state.choice == "data", (text, reply.move)


def test_a_choice_asked_about_is_neither_committed_nor_confirmed():
    lab = night_photos_lab()
    data, architecture = (converse(LEX, lab, f"Is it the {c}?")[0]
                          for c in ("data", "architecture"))
    assert data.state.choice is None and architecture.state.choice is None
    assert data.move == architecture.move == "ask_commit"  # the same answer either way


def test_a_first_commitment_argued_only_with_a_misconception_is_pushed_back():
    lab = night_photos_lab()
    [reply] = converse(LEX, lab, "The data, and the accuracy is high so the model is fine.")
    assert reply.move == "pushback" and reply.state.choice is None
    assert reply.state.covered == ()


def test_an_indefensible_choice_is_challenged_with_a_question_from_the_case():
    lab = night_photos_lab()
    [reply] = converse(LEX, lab, "I'd pick the architecture, because the network design "
                                 "has nothing that normalises brightness.")
    assert reply.move == "challenge" and reply.state.choice == "architecture"
    assert any(c.probe in reply.message for c in lab.rubric)


def test_a_switch_that_voices_a_misconception_is_met_with_the_learners_own_words():
    lab = night_photos_lab()
    first, switch = converse(LEX, lab, f"I blame the data: {REASON}.",
                             "Actually the architecture, just use a bigger model.")
    assert switch.move == "flip" and switch.state.choice == "data"
    assert "daylight" in switch.message  # the earlier reason, quoted back
    assert "bigger-model" in switch.state.misconceptions
