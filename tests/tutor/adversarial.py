"""An adversarial set of learner turns for every lab, and the judgement each must get.

Each case is a short conversation (usually one learner turn) run through
``Engine.reply`` as the web view runs it, and judged on what the partner did: the move,
the committed choice, the concepts credited, and whether the reply gives away the
expected choice. Turns come from two places: hand-written ones per lab
(``adversarial_turns.yaml``: sound reasoning, wrong reasoning, a wrong choice argued
well) and ones composed from the lab's own choices and keywords (bare labels, keyword
lists, negation, switching, questions back, typos, spellings, number formats, choice
words used in passing). Composing them from the lab, rather than writing phrases to
match the rules, is what lets the same set run on a lab added later.

    python tests/tutor/adversarial.py [--matcher lexical|embedding] [-v]

prints the misjudgements per category (tests/tutor/test_tutor_adversarial.py holds them
to zero).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from tutor_helpers import converse

from buildreal.packs.loader import load_course
from buildreal.packs.model import Choice, Lab
from buildreal.tutor import Engine, Reply
from buildreal.tutor.moves import earned

ROOT = Path(__file__).resolve().parents[2]
PACKS = [ROOT / "courses" / "build-real-things", ROOT / "courses" / "deep-learning-mastery"]
TURNS = Path(__file__).with_name("adversarial_turns.yaml")

CATEGORIES = (
    "sound", "bare", "wrong-reason", "keywords", "wrong-choice", "negation", "switch",
    "question", "off-topic", "empty", "long", "typos", "spelling", "numbers", "choice-words",
)
# Moves that acknowledge a commitment or an argument as sound.
ACCEPTING = {"challenge", "probe", "ask_choice", "debrief", "reconsider"}
# Moves that leave the learner to commit or to give a reason.
ASKING = {"ask_reason", "ask_commit", "ask_why", "weak", "deny", "pushback", "ask_connect",
          "refuse_answer", "hint", "refuse"}


@dataclass(frozen=True)
class Case:
    lab_id: str
    category: str
    turns: tuple[str, ...]
    check: Callable[[Lab, list[Reply]], str | None] = field(compare=False)
    note: str = ""


# --- the labs -----------------------------------------------------------------------------

def all_labs() -> dict[str, Lab]:
    """Every lab in both course packs (a pack without labs adds none)."""
    labs: dict[str, Lab] = {}
    for pack in PACKS:
        if not (pack / "course.yaml").exists():
            continue
        course = load_course(pack)
        for item in course.items():
            if item.lab is not None:
                labs[item.id] = item.lab
    return labs


def handwritten() -> dict[str, dict]:
    return yaml.safe_load(TURNS.read_text(encoding="utf-8")) or {}


def _defensible(lab: Lab) -> list[Choice]:
    return [c for c in lab.choices if not lab.defensible or c.id in lab.defensible]


def _indefensible(lab: Lab) -> list[Choice]:
    return [c for c in lab.choices if lab.defensible and c.id not in lab.defensible]


def _alias(choice: Choice, n: int = 0) -> str:
    aliases = [a for a in choice.aliases if len(a) > 2] or [choice.id.replace("-", " ")]
    return aliases[n % len(aliases)]


# --- checks ---------------------------------------------------------------------------------

def _fmt(reply: Reply) -> str:
    s = reply.state
    return f"move={reply.move} choice={s.choice} covered={list(s.covered)}"


def committed(choice: str) -> Callable[[Lab, list[Reply]], str | None]:
    """A reasoned commitment to ``choice``, not asked again for a reason."""
    def check(lab: Lab, replies: list[Reply]) -> str | None:
        last = replies[-1]
        if last.state.choice != choice:
            return f"expected commitment to {choice}: {_fmt(last)}"
        if last.move in {"ask_reason", "ask_commit", "ask_connect", "refuse", "refuse_answer"}:
            return f"committed but asked again: {_fmt(last)}"
        return None
    return check


def pushed_for_reason(lab: Lab, replies: list[Reply]) -> str | None:
    """No commitment, no concept: asked for the reasoning."""
    last = replies[-1]
    if last.state.choice is not None or last.state.covered:
        return f"credited a bare label: {_fmt(last)}"
    if last.move not in ASKING:
        return f"not asked for a reason: {_fmt(last)}"
    return None


def not_sound(lab: Lab, replies: list[Reply]) -> str | None:
    """Wrong reasoning: no concept, no commitment on the strength of it, no acknowledgement."""
    last = replies[-1]
    if last.state.covered:
        return f"credited a misconception's concepts: {_fmt(last)}"
    if last.state.choice is not None:
        return f"committed on a misconception as if it were a reason: {_fmt(last)}"
    if last.move in ACCEPTING:
        return f"acknowledged wrong reasoning: {_fmt(last)}"
    return None


def no_credit(lab: Lab, replies: list[Reply]) -> str | None:
    last = replies[-1]
    if last.state.covered or last.state.choice is not None:
        return f"credited: {_fmt(last)}"
    if last.move in ACCEPTING:
        return f"acknowledged: {_fmt(last)}"
    return None


def challenged(choice: str) -> Callable[[Lab, list[Reply]], str | None]:
    """A fluent case for an indefensible choice: challenged with something from the case
    (a probe, a pushback, a hint or an authored challenge), never simply accepted."""
    def check(lab: Lab, replies: list[Reply]) -> str | None:
        last = replies[-1]
        if last.move not in {"challenge", "reconsider", "pushback", "flip", "ask_why", "weak",
                             "deny", "ask_reason"}:
            return f"not challenged: {_fmt(last)}"
        if last.state.completed:
            return f"completed on an indefensible choice: {_fmt(last)}"
        authored = [c.probe for c in lab.rubric] + [m.pushback for m in lab.misconceptions]
        authored += list(lab.hints) + list(lab.challenges)
        if not any(a and a in last.message for a in authored):
            return f"challenged without evidence from the case: {last.message!r}"
        return None
    return check


def not_choice(choice: str) -> Callable[[Lab, list[Reply]], str | None]:
    def check(lab: Lab, replies: list[Reply]) -> str | None:
        last = replies[-1]
        if last.state.choice == choice:
            return f"a negated choice was committed: {_fmt(last)}"
        if last.move == "ask_reason":
            return f"a negated choice was taken as named: {_fmt(last)}"
        return None
    return check


def _named(lab: Lab, text: str) -> set[str]:
    low = text.lower()
    return {c.id for c in lab.choices for phrase in (c.label, *c.aliases)
            if len(phrase) > 3 and re.search(rf"\b{re.escape(phrase.lower())}\b", low)}


def _reveals(lab: Lab, message: str, learner: str) -> str | None:
    """Whether ``message`` singles out a defensible choice the learner did not name, or
    repeats authored substance the learner has not reached (a rubric example, the last
    hint). Listing every option is neutral."""
    named = _named(lab, message)
    if named != {c.id for c in lab.choices}:
        leak = (named - _named(lab, learner)) & {c.id for c in _defensible(lab)}
        if lab.defensible and leak:
            return f"names {sorted(leak)}"
    low = message.lower()
    for concept in lab.rubric:
        for text in concept.strong:
            if text.lower()[:60] in low:
                return f"quotes a strong example of {concept.id}"
    if lab.hints and lab.hints[-1].lower()[:60] in low:
        return "gives the last hint"
    return None


def no_reveal(lab: Lab, replies: list[Reply], turns: tuple[str, ...] = ()) -> str | None:
    for n, reply in enumerate(replies):
        if reply.state.choice is not None or reply.state.covered:
            return f"a question was credited: {_fmt(reply)}"
        if reply.move in ACCEPTING:
            return f"a question was acknowledged: {_fmt(reply)}"
        leak = _reveals(lab, reply.message, turns[n] if n < len(turns) else "")
        if leak:
            return f"reveals before commitment ({leak}): {reply.message!r}"
    return None


def quiet(lab: Lab, replies: list[Reply]) -> str | None:
    last = replies[-1]
    if last.state.covered or last.state.choice or last.move in ACCEPTING:
        return f"credited: {_fmt(last)}"
    return None


# --- text variants ----------------------------------------------------------------------

BRITISH_AMERICAN = [
    ("initialisation", "initialization"), ("normalisation", "normalization"),
    ("normalise", "normalize"), ("optimised", "optimized"), ("optimise", "optimize"),
    ("optimiser", "optimizer"), ("labelled", "labeled"), ("labelling", "labeling"),
    ("behaviour", "behavior"), ("generalise", "generalize"), ("memorising", "memorizing"),
    ("modelling", "modeling"), ("favourite", "favorite"), ("colour", "color"),
    ("catalogue", "catalog"), ("analyse", "analyze"), ("centre", "center"),
    ("penalises", "penalizes"), ("renormalise", "renormalize"), ("honour", "honor"),
]


def swap_spelling(text: str) -> str | None:
    """British to American or back, whichever the text has; None if it has neither."""
    out, changed = text, False
    for british, american in BRITISH_AMERICAN:
        for a, b in ((british, american), (american, british)):
            pattern = re.compile(rf"\b{a}", re.IGNORECASE)
            if pattern.search(out):
                out, changed = pattern.sub(b, out), True
                break
    return out if changed else None


def typo(text: str) -> str:
    """Swap two inner letters in every third long word, drop apostrophes, lowercase."""
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        core = re.sub(r"\W", "", w)
        if len(core) >= 6 and core.isalpha() and i % 3 == 1:
            j = w.index(core[2])
            w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        out.append(w)
    return " ".join(out).replace("'", "").lower()


_NUM = re.compile(r"(?<![\w.])(\$?)(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(%|x|×)?(?![\w])")


def number_variants(text: str) -> list[str]:
    """The same sentence with its numbers written differently: "2.3" as "2.30", "91%" as
    "91 percent", "4,096" as "4096", "0.5" as ".5", "10x" as "10 times"."""
    variants = []

    def rewrite(fn: Callable[[str, str, str], str | None]) -> str | None:
        changed = False

        def sub(m: re.Match[str]) -> str:
            nonlocal changed
            new = fn(m.group(1), m.group(2), m.group(3) or "")
            if new is None:
                return m.group(0)
            changed = True
            return new
        out = _NUM.sub(sub, text)
        return out if changed else None

    def trailing_zero(cur: str, num: str, unit: str) -> str | None:
        if "." in num and "," not in num:
            return f"{cur}{num}0{unit}"
        return None

    def drop_zero(cur: str, num: str, unit: str) -> str | None:
        if "." in num and num.endswith("0") and len(num.split(".")[1]) > 1:
            return f"{cur}{num[:-1]}{unit}"
        return None

    def percent_word(cur: str, num: str, unit: str) -> str | None:
        return f"{num} percent" if unit == "%" else None

    def spaced_percent(cur: str, num: str, unit: str) -> str | None:
        return f"{num} %" if unit == "%" else None

    def no_commas(cur: str, num: str, unit: str) -> str | None:
        return f"{cur}{num.replace(',', '')}{unit}" if "," in num else None

    def leading_point(cur: str, num: str, unit: str) -> str | None:
        return f"{cur}{num[1:]}{unit}" if num.startswith("0.") else None

    def times(cur: str, num: str, unit: str) -> str | None:
        return f"{num} times" if unit in ("x", "×") else None

    for fn in (trailing_zero, drop_zero, percent_word, spaced_percent, no_commas,
               leading_point, times):
        out = rewrite(fn)
        if out and out != text:
            variants.append(out)
    return variants


# --- the cases ------------------------------------------------------------------------

def cases_for(lab_id: str, lab: Lab, written: dict) -> Iterator[Case]:
    sound = written.get("sound", [])
    wrong_reason = written.get("wrong_reason", [])
    wrong_choice = written.get("wrong_choice", [])
    good = _defensible(lab)
    bad = _indefensible(lab)
    first = sound[0] if sound else None
    reason = first.get("reason") if first else None
    pick = next(c for c in lab.choices if first and c.id == first["choice"]) if first else good[0]
    other = next((c for c in lab.choices if c.id != pick.id and c in bad),
                 next(c for c in lab.choices if c.id != pick.id))

    def case(category: str, check: Callable, *turns: str, note: str = "") -> Case:
        return Case(lab_id, category, tuple(turns), check, note)

    # right choice, sound reasoning
    for item in sound:
        yield case("sound", committed(item["choice"]), item["say"])
    # right choice, no reason or a bare label
    for n, c in enumerate(good[:2]):
        yield case("bare", pushed_for_reason, f"{_alias(c, n)}.")
        yield case("bare", pushed_for_reason, f"I pick: {c.label}.")
        yield case("bare", pushed_for_reason, f"Definitely {_alias(c, n + 1)}!")
        yield case("bare", pushed_for_reason,
                   f"I'd go with {_alias(c, n)} because it makes the most sense.")
        yield case("bare", pushed_for_reason,
                   f"My answer is {_alias(c, n + 2)}, since that is clearly the right option here.")
    # right choice, wrong reasoning
    for item in wrong_reason:
        yield case("wrong-reason", not_sound, item["say"])
    # keyword stuffing
    keywords = [k for concept in lab.rubric for k in concept.keywords[:3]]
    yield case("keywords", no_credit, ", ".join(keywords[:8]))
    yield case("keywords", no_credit, f"{_alias(pick)}: " + " ".join(keywords[::2][:10]))
    yield case("keywords", no_credit,
               " and ".join(keywords[1::3][:6]) + f", so {_alias(pick)}.")
    yield case("keywords", no_credit, f"Keywords: {_alias(pick)}; " + "; ".join(keywords[:12]))
    # wrong choice, argued well
    for item in wrong_choice:
        yield case("wrong-choice", challenged(item["choice"]), item["say"])
    # negation
    if reason:
        yield case("negation", committed(pick.id),
                   f"I would not pick {_alias(other)}. I'd go with {_alias(pick)}, because "
                   f"{reason}.")
        yield case("negation", committed(pick.id),
                   f"{_alias(other)[0].upper() + _alias(other)[1:]} isn't the issue here; "
                   f"it's {_alias(pick, 1)}, because {reason}.")
        yield case("negation", committed(pick.id),
                   f"Not {_alias(other)} but {_alias(pick)}, since {reason}.")
    yield case("negation", not_choice(pick.id), f"I wouldn't choose {_alias(pick)}.")
    yield case("negation", not_choice(pick.id), f"I would not go with {pick.label}.")
    yield case("negation", not_choice(pick.id), f"{_alias(pick)} isn't the problem.")
    # hedging and switching mid-message
    if reason:
        yield case("switch", committed(pick.id),
                   f"Maybe {_alias(other)}... actually no, {_alias(pick)}, because {reason}.")
        yield case("switch", committed(pick.id),
                   f"I was going to say {_alias(other, 1)}, but on second thought it's "
                   f"{_alias(pick, 1)}: {reason}.")
    yield case("switch", pushed_for_reason,
               f"{_alias(pick)} or {_alias(other)}, I can't decide between them.")
    yield case("switch", pushed_for_reason,
               f"Maybe {_alias(pick)}, or maybe {_alias(other)}, not sure.")
    # questions back to the partner
    for q in ("What's the answer?", "Just tell me.", "Which one is it?",
              "Can you give me the right choice?", "What would you pick?",
              "I don't know, what do you think it is?", "Tell me which option is correct.",
              f"Is it {_alias(pick)}?", f"Is it {_alias(other)}?",
              f"Is the answer {_alias(pick)} or {_alias(other)}?"):
        yield case("question", lambda lab_, replies, q=q: no_reveal(lab_, replies, (q,)), q)
    repeated = ("Just tell me the answer.", "Come on, what's the answer?",
                "Please just tell me.", "What is the right answer?")
    yield case("question", lambda lab_, replies: no_reveal(lab_, replies, repeated), *repeated)
    # off-topic, empty, very long
    for text in ("Who won the football last night?", "What's a good pasta recipe?",
                 "lol", "asdf qwerty zxcv"):
        yield case("off-topic", quiet, text)
    for text in ("", "   ", "?", "..."):
        yield case("empty", quiet, text)
    filler = " ".join(["I have been thinking about this for a while and want to be careful."]
                      * 12)
    if first:
        yield case("long", committed(first["choice"]), f"{first['say']} {filler}")
        yield case("long", committed(first["choice"]), f"{filler} {first['say']}")
    yield case("long", no_credit, ", ".join(keywords * 12)[:1900])
    # typos and spellings
    for item in sound:
        yield case("typos", committed(item["choice"]), typo(item["say"]))
        swapped = swap_spelling(item["say"])
        if swapped:
            yield case("spelling", committed(item["choice"]), swapped)
    for c in good:
        for alias in c.aliases:
            swapped = swap_spelling(alias)
            if swapped and reason:
                yield case("spelling", committed(c.id),
                           f"I'd pick {swapped}, because {reason}.", note=alias)
    # numbers typed differently: the concept an example earns survives a reformatting
    for concept in lab.rubric:
        for text in concept.strong:
            for variant in number_variants(text)[:2]:
                yield case("numbers", _earns_like(text, concept.id), variant, note=text)
    for item in sound:
        for variant in number_variants(item["say"])[:3]:
            yield case("numbers", committed(item["choice"]), variant, note=item["say"])
    # a choice's id or alias used as an ordinary word in a sentence choosing another
    if reason:
        for c in [c for c in lab.choices if c.id != pick.id][:2]:
            word = c.id.replace("-", " ")
            yield case("choice-words", committed(pick.id),
                       f"We need to {word} first, so I pick {_alias(pick)} because {reason}.")
            yield case("choice-words", committed(pick.id),
                       f"Before we argue about {_alias(c)}, my pick is {_alias(pick)}, "
                       f"because {reason}.")
            yield case("choice-words", committed(pick.id),
                       f"I pick {_alias(pick)}, even though {_alias(c, 1)} came up in the "
                       f"meeting, because {reason}.")


_EARNS: dict[tuple[str, str], bool] = {}


def _earns_like(original: str, concept_id: str) -> Callable[[Lab, list[Reply]], str | None]:
    """The reformatted sentence earns the concept if the original does."""
    def check(lab: Lab, replies: list[Reply]) -> str | None:
        return None  # judged in ``run`` where the engine is at hand
    check.original = original  # type: ignore[attr-defined]
    check.concept = concept_id  # type: ignore[attr-defined]
    return check


def all_cases(labs: dict[str, Lab] | None = None) -> list[Case]:
    labs = labs if labs is not None else all_labs()
    written = handwritten()
    out: list[Case] = []
    for lab_id, lab in labs.items():
        out += list(cases_for(lab_id, lab, written.get(lab_id, {})))
    return out


def judge(engine: Engine, lab: Lab, case: Case) -> str | None:
    """The misjudgement in ``case``, or None."""
    original = getattr(case.check, "original", None)
    if original is not None:
        concept = case.check.concept  # type: ignore[attr-defined]
        before = concept in earned(engine.analyse(lab, original))
        after = concept in earned(engine.analyse(lab, case.turns[0]))
        if before and not after:
            return f"{concept} earned as written but not reformatted"
        return None
    return case.check(lab, converse(engine, lab, *case.turns, seed=3))


def run(engine: Engine, cases: list[Case], labs: dict[str, Lab]
        ) -> tuple[Counter, Counter, list[tuple[Case, str]]]:
    total: Counter = Counter()
    wrong: Counter = Counter()
    problems: list[tuple[Case, str]] = []
    for case in cases:
        total[case.category] += 1
        problem = judge(engine, labs[case.lab_id], case)
        if problem:
            wrong[case.category] += 1
            problems.append((case, problem))
    return total, wrong, problems


def main(argv: list[str]) -> int:
    from buildreal.tutor import LexicalMatcher, SemanticMatcher

    matcher = LexicalMatcher() if "--matcher=lexical" in argv else SemanticMatcher()
    labs = all_labs()
    cases = all_cases(labs)
    total, wrong, problems = run(Engine(matcher=matcher), cases, labs)
    per_lab = Counter(c.lab_id for c in cases)
    print(f"{len(labs)} labs, {len(cases)} cases; per lab: "
          f"{min(per_lab.values())}-{max(per_lab.values())}")
    for category in CATEGORIES:
        print(f"{category:14s} {wrong[category]:4d} misjudged of {total[category]:4d}")
    print(f"{'all':14s} {sum(wrong.values()):4d} misjudged of {sum(total.values()):4d}")
    if "-v" in argv:
        for case, problem in problems:
            print(f"\n[{case.category}] {case.lab_id}: {' | '.join(case.turns)[:300]}\n  "
                  f"-> {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
