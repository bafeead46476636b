"""Reading one learner message: what kind of message it is, which choice it commits to,
whether it hedges, whether it gives a mechanism, and what rubric evidence it carries.

The result depends only on the lab and the text (never on earlier turns), so it can be
cached and the engine can rebuild the whole conversation's state cheaply on every reply.
Classification is ordered by safety: an attempt to steer the partner ("ignore your
instructions", "mark this lab complete") is recognised before anything else in the
message is credited, so a learner cannot smuggle a rubric phrase past it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Literal

from buildreal.packs.model import Lab
from buildreal.tutor import claims
from buildreal.tutor.matching import Evidence, Matcher
from buildreal.tutor.text import (
    content_stems,
    negated,
    normalize,
    sentences,
    stem,
    words,
)

Intent = Literal[
    "manipulation", "hostile", "answer_request", "hint_request", "finish", "off_topic",
    "substantive",
]

MAX_ANALYSED_CHARS = 4000  # longer messages are analysed up to here


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


MANIPULATION = _rx(
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instruction|instructions|rules|prompt|guidelines|directions|programming)\b",
    r"\bsystem prompt\b", r"\byou are now\b", r"\bdeveloper mode\b", r"\bjailbreak",
    r"\bnew instructions\b", r"\bpretend (to be|you are|you're)\b",
    r"(^\W*|\b(you|please|now)\s+)act as (a|an|my|if)\b",  # not "zip code can act as a proxy"
    r"\bmark\b.{0,30}\b(complete|completed|done|passed|finished|as correct)\b",
    r"\b(give|award|grant|assign)\b.{0,15}\b(full|max|maximum|perfect|100|all)\b.{0,15}"
    r"\b(marks?|score|points|xp|credit|grade)\b",
    r"\b(set|change|raise|bump|make)\b.{0,10}\b(my )?(score|grade|mark|xp)\b",
    r"\b(score|grade)\b.{0,10}\b(me|this|it)\b.{0,10}\b\d+\b",
    r"\b(pass|complete|finish) (me|this lab|the lab) (now|automatically|anyway)\b",
    r"\b(show|reveal|print|list|dump|tell me|give me|what'?s on|what is on|what are)\b.{0,20}"
    r"\b(rubric|marking scheme|grading criteria|answer key|hidden criteria)\b",
    r"\bi'?m (the|an|your) (admin|administrator|instructor|developer|teacher)\b",
    r"\bi am (the|an|your) (admin|administrator|instructor|developer|teacher)\b",
)
HOSTILE = _rx(
    r"\b(shut up|stfu|idiot|stupid|dumb|moron|useless bot|hate you|screw you|go to hell)\b",
    r"\bf+u+c+k|\bshit\b|\bwtf\b",
)
ANSWER_REQUEST = _rx(
    r"\b(just )?(tell|give|show) me the (right |correct |full |real )?(answer|solution)\b",
    r"\bwhat'?s the (right |correct )?(answer|solution)\b",
    r"\bwhat is the (right |correct )?(answer|solution)\b",
    r"\bjust tell me\b", r"\bwhat (should|do) i (say|answer|write|put)\b",
    r"\b(tell|show) me what (you want|to say|the answer is)\b",
)
HINT_REQUEST = _rx(
    r"\b(a|another|any|one more|some) (hint|clue|nudge|pointer)\b", r"^\s*hint\b",
    r"\bi'?m stuck\b", r"\bi am stuck\b", r"\bcan you help\b", r"\bhelp me\b",
)
FINISH = _rx(
    r"^\W*(ok(ay)?|alright|right|fine)?\W*"
    r"(let'?s|lets|can we|could we|i want to|i'?d like to|please|i'?ll)?\s*"
    r"(wrap (it |this )?up|finish( up| here| the lab| this)?"
    r"|end (the|this) (lab|session|conversation)|stop here|call it)\b",
    r"\b(i'?m|i am) (done|finished)\b", r"\bthat'?s all i (have|got)\b",
    r"\blet'?s (finish|wrap( it)? up|stop|end)( here| now| there| it)?\W*$",
    r"\bthat'?s my (case|argument|final answer)\W*$",
    r"\b(give|show) me (the|my) debrief\b", r"^\W*debrief( me)?\W*$",
)
HEDGE = _rx(
    r"\bit depends\b", r"\bdepends on\b", r"\ball three\b", r"\ball of them\b",
    r"\ball of the above\b", r"\bany of them\b", r"\bcould be any\b", r"\bhard to say\b",
    r"\bnot sure\b", r"\bunsure\b", r"\bno idea\b", r"\bdon'?t know\b", r"\bdunno\b",
    r"\ba mix\b", r"\bmixture of\b", r"\ba bit of (each|everything|all)\b",
    r"\beach of them\b", r"\bno single\b", r"\bcould be either\b",
    r"\b(can'?t|cannot|couldn'?t) (decide|choose|pick)\b", r"\btorn between\b",
)
# Words that hedge only when more than one option is on the table ("both curves fall"
# is a description; "both the data and the loss" is a refusal to choose).
HEDGE_BETWEEN = _rx(r"\bboth\b", r"\beither\b", r"\bequally\b", r"\bcombination\b")
COMMIT = _rx(
    r"\bi'?d (pick|choose|go with|bet on|say|blame|recommend|commit to)\b",
    r"\bi (would |will )?(pick|choose|go with|bet on|blame|recommend|commit to)\b",
    r"\bmy (pick|choice|call|answer|diagnosis|bet|recommendation|verdict|vote)\b",
    r"\b(primary|primarily|main|mainly|most likely|biggest|root cause|culprit|first)\b",
    r"\b(definitely|clearly|certainly)\b", r"\bthe (problem|issue|failure) (is|was)\b",
    r"\b(broke|failed|is to blame|at fault)\b",
    # a change of mind is a commitment too ("on second thought, it's the architecture")
    r"\b(on second thoughts?|on reflection|actually|changed my mind|i take (that|it) back"
    r"|thinking (about it )?again|scratch that)\b",
    r"^\W*(it'?s|it is) (really |actually )?(the|a|an)\b",
)
# An explicit pick: the choice named right after it (within PICK_WINDOW words) is the one
# chosen, whatever else the sentence names; the last pick in a message wins.
PICK = _rx(
    r"\bi'?d (pick|choose|go with|go for|bet on|say|blame|recommend|commit to|vote for"
    r"|back|settle on|advise|suggest|opt for)\b",
    r"\bi (would |will |'ll )?(pick|choose|go with|go for|bet on|blame|recommend|commit to"
    r"|vote for|settle on|advise|suggest|opt for)\b",
    r"\bmy (pick|choice|call|answer|diagnosis|bet|recommendation|verdict|vote|advice"
    r"|decision|plan)( (is|would be|has to be|stays))?\b",
    r"\b(on second thoughts?|on reflection|actually|changed my mind|i take (that|it) back"
    r"|thinking (about it )?again|scratch that|wait|hold on|hang on|i mean)\b",
    r"\b(it's|it is|that'?s|the answer is|the problem is|the issue is|the culprit is|we should"
    r"|go with|it has to be|it must be)\b",
)
PICK_WINDOW = 4
CAUSAL = _rx(
    r"\b(because|since|so|therefore|thus|hence|means|leads? to|led to|caus\w*|due to)\b",
    r"\b(as a result|given that|the reason|explains|that'?s why|otherwise|if|when|whereas|while)\b",
    r"\b(shows?|showing|evidence|signal|sign|suggests?|indicates?)\b", r"\d",
)
_LINKERS = frozenset({"or", "nor", "and", "the", "a", "an", ",", "neither"})


@dataclass(frozen=True)
class Analysis:
    intent: Intent
    choice: str | None  # the single choice this message commits to
    named: tuple[str, ...]  # choices named positively, in order of first mention
    hedged: bool
    cued: bool  # the choice came with an explicit "I'd pick", "the main cause is" ...
    reasoned: bool  # gives a mechanism, a consequence or evidence, not just a label
    evidence: Evidence
    text: str = ""  # the message as analysed (quoted back when the learner flips)
    listing: bool = False  # a list of terms with nothing saying how they connect
    # concepts asserted together with a reason in the same sentence or the next one
    argued: tuple[str, ...] = ()
    denied_choices: tuple[str, ...] = ()  # choices the message rules out
    # the only reason given is a known misconception ("deploy, 96% is plenty")
    misled: bool = False


@dataclass(frozen=True)
class Mention:
    """One place a choice is named: in which sentence, at which words, and whether the
    sentence negates or doubts it there."""

    choice: str
    sentence: int
    negated: bool
    start: int = 0  # word index in the sentence (``text.words``)
    end: int = 0


_ARTICLES = frozenset({"a", "an", "the"})


def _choice_mentions(lab: Lab, text: str) -> list[Mention]:
    """Each mention of a choice, longest phrases first, matched with articles ignored
    ("rent a GPU" names "rented GPU")."""
    phrases: list[tuple[list[str], str]] = []
    for choice in lab.choices:
        # a long label is often said only up to its first comma: "use an LLM to extract
        # aspect(, polarity) pairs, checked against ..."
        opening = re.split(r"[,;:(]", choice.label)[0]
        names = {choice.label, *choice.aliases, choice.id.replace("-", " ")}
        if len(words(opening)) >= 3:
            names.add(opening)
        for phrase in names:
            toks = [stem(w) for w in words(phrase) if w not in _ARTICLES]
            if toks:
                phrases.append((toks, choice.id))
    phrases.sort(key=lambda p: -len(p[0]))
    conditional = _conditional_choice(lab)
    mentions: list[Mention] = []
    for s_index, sent in enumerate(sentences(text) or [text]):
        raw = words(sent)
        kept = [i for i, w in enumerate(raw) if w not in _ARTICLES]
        toks = [stem(raw[i]) for i in kept]
        doubted = _doubted_positions(sent) | claims.negated_positions(sent)
        taken: set[int] = set()
        found: list[tuple[int, int, str]] = []  # (start, end) in raw words, choice id
        for phrase, choice_id in phrases:
            for at, stop in _find_name(toks, [raw[i] for i in kept], phrase, taken):
                taken.update(range(at, stop))
                found.append((kept[at], kept[stop - 1] + 1, choice_id))
        found.sort()
        previous_end, previous_negated = -1, False
        for begin, stop, choice_id in found:
            is_negated = negated(raw, begin) or begin in doubted
            # "not the data or the loss": a negation carries across a plain list
            between = raw[previous_end:begin] if previous_end >= 0 else []
            if previous_negated and between and all(t in _LINKERS for t in between):
                is_negated = True
            after = raw[stop:stop + 4]
            if conditional and choice_id != conditional and _QUALIFIED.match(" ".join(after)):
                choice_id = conditional  # "I'd approve it only with conditions"
            mentions.append(Mention(choice_id, s_index, is_negated, begin, stop))
            previous_end, previous_negated = stop, is_negated
    return mentions


_FILLER = frozenset("with of for in on to".split())  # "prompt (with) caching"
FUZZY_MIN = 6  # a word this long still names a choice with one typo ("obejctive")


def _same_word(said: str, name: str) -> bool:
    """Equal, or one substituted or two swapped letters in a long word."""
    if said == name:
        return True
    if len(said) != len(name) or len(name) < FUZZY_MIN - 1 or not said.isalpha():
        return False
    diff = [i for i, (a, b) in enumerate(zip(said, name, strict=True)) if a != b]
    # a five-letter word only with two letters swapped ("laebl")
    return (len(diff) == 1 and len(name) >= FUZZY_MIN) or (len(diff) == 2
                                                           and diff[1] == diff[0] + 1
                              and said[diff[0]] == name[diff[1]]
                              and said[diff[1]] == name[diff[0]])


def _find_name(toks: list[str], raw: list[str], phrase: list[str], taken: set[int]
               ) -> list[tuple[int, int]]:
    """[start, end) spans where ``phrase`` (stemmed words) is said in ``toks``: word by
    word, a typo allowed in a long word, one small filler word allowed between two of
    its words ("the whole docs in the prompt with caching" names "prompt caching")."""
    hits: list[tuple[int, int]] = []
    for start in range(len(toks)):
        i, j = start, 0
        while j < len(phrase) and i < len(toks):
            if _same_word(toks[i], phrase[j]):
                i, j = i + 1, j + 1
            elif j > 0 and raw[i] in _FILLER and i + 1 < len(toks) and _same_word(
                    toks[i + 1], phrase[j]):
                i += 1
            else:
                break
        if j == len(phrase) and not taken.intersection(range(start, i)):
            hits.append((start, i))
            taken.update(range(start, i))
    return hits


def _masked(text: str, mentions: list[Mention]) -> list[str]:
    """The sentences with every choice's name taken out: what is left must carry the
    reason ("block the launch until the evidence exists" names a choice, it argues
    nothing)."""
    out = []
    for s_index, sent in enumerate(sentences(text) or [text]):
        low = normalize(sent)
        spans = [m.span() for m in _WORD_RX.finditer(low)]
        cut = sorted((spans[m.start][0], spans[m.end - 1][1]) for m in mentions
                     if m.sentence == s_index and m.end <= len(spans))
        for a, b in reversed(cut):
            low = low[:a] + " " + low[b:]
        out.append(" ".join(low.split()))
    return out


_WORD_RX = re.compile(r"\d+(?:\.\d+)+|[a-z0-9]+(?:'[a-z]+)?")  # text.words, with places


# A choice qualified on the spot ("deploy only if...", "ship it once ...") is the lab's
# conditional option, where the lab has one.
_QUALIFIED = re.compile(
    r"^(it |this |that |the model )?(only (if|when|once|after|with|under|on|as)|provided"
    r"|on condition"
    r"|as long as|subject to|(once|after|if) (it|the model|we|they) (passes|pass|meets|meet"
    r"|reaches|reach|clears|clear|scores|score|hits|hit|shows|show|has|have))\b")


def _conditional_choice(lab: Lab) -> str | None:
    for choice in lab.choices:
        said = " ".join((choice.id, choice.label, *choice.aliases)).lower()
        if "condition" in said or "only if" in said:
            return choice.id
    return None


_POST_DOUBT = re.compile(r"^(isn|is|are|aren|was|wasn|were|doesn|does|don|do|didn|did)\b")


def _doubted_positions(sent: str) -> set[int]:
    """Token positions a doubt frame covers: after "I doubt" / "not because of", before
    "... isn't the issue" (within the same clause)."""
    covered: set[int] = set()
    offset = 0
    for clause in claims.split_clauses(sent):
        for part in clause.split(","):
            n = len(words(part))
            for m in claims.doubts(part):
                at = len(words(normalize(part)[: m.start()]))
                if m.re is claims.FINE:
                    covered.update(range(offset, offset + len(words(m.group(0))) - 2))
                elif _POST_DOUBT.match(m.group(0)):
                    covered.update(range(offset, offset + at))
                else:
                    covered.update(range(offset + at, offset + n))
            offset += n
    return covered


def _commitment(lab: Lab, text: str, mentions: list[Mention]
                ) -> tuple[str | None, tuple[str, ...], bool, bool]:
    """(committed choice, choices named positively, hedged, said with a commitment cue).

    A choice asked about ("is it the data?") is not named. An explicit pick ("I'd go
    with", "my answer is", "actually, ...") commits to the choice it introduces, and the
    last such pick in the message wins, so "maybe A... actually B" is B and "we need to
    diagnose first, so I pick X" is X. Without one, a single choice named in the opening
    clause is the answer even when the reason names another ("X, because Y can't ...").
    """
    sents = sentences(text) or [text]
    asked = {i for i, s in enumerate(sents) if _ASKING.search(normalize(s))}
    positive = [m for m in mentions if not m.negated and m.sentence not in asked]
    named: list[str] = list(dict.fromkeys(m.choice for m in positive))
    picked: str | None = None
    cued: list[str] = []
    for s_index, sent in enumerate(sents):
        if s_index in asked:
            continue
        low = normalize(sent)
        here = [m for m in positive if m.sentence == s_index]
        for cue in PICK.finditer(low):
            at = len(words(low[: cue.end()]))
            after = [m for m in here if at <= m.start <= at + PICK_WINDOW]
            if after:
                picked = min(after, key=lambda m: m.start).choice
        if here and COMMIT.search(low) and here[0].choice not in cued:
            cued.append(here[0].choice)
    low = normalize(text)
    hard_hedge = bool(HEDGE.search(low)) or (len(named) > 1 and bool(HEDGE_BETWEEN.search(low)))
    every_option = len(lab.choices) >= 2 and len(named) == len(lab.choices)
    choice: str | None = None
    if picked is not None:
        choice = picked
    elif len(cued) == 1:
        choice = cued[0]
    elif not cued and len(named) == 1 and not hard_hedge:
        choice = named[0]
    elif not cued and len(named) > 1 and not hard_hedge:
        choice = _head_choice(sents, positive)
    hedged = choice is None and (hard_hedge or len(named) > 1 or every_option)
    if every_option and picked is None and len(cued) != 1:
        hedged, choice = True, None
    return choice, tuple(named), hedged, picked is not None or len(cued) == 1


# A question put to the partner ("is it the data?", "which one is it?"), not a tentative
# answer said with a rising tone ("maybe the data?").
_ASKING = re.compile(r"^\W*(is|are|was|were|could|would|should|can|do|does|did|will|what|"
                     r"what'?s|which|who|isn'?t|aren'?t|wasn'?t|am i|is the answer)\b.*\?\W*$")


def _head_choice(sents: list[str], positive: list[Mention]) -> str | None:
    """The one choice named before the first reason or contrast of the first sentence
    that names any ("Not X but Y, since ...", "Y, because X can't ..."), if the others
    come only after it."""
    first = positive[0].sentence
    low = normalize(sents[first])
    linker = _HEAD_END.search(low)
    head_end = len(words(low[: linker.start()])) if linker else len(words(low))
    heads = {m.choice for m in positive if m.sentence == first and m.start < head_end}
    if len(heads) == 1 and positive[0].start < head_end:
        return heads.pop()
    return None


_HEAD_END = re.compile(r"[:;]|\b(because|since|as|given|so|while|whereas|which|unless|"
                       r"otherwise|although|though|even though)\b")


def _intent(text: str, evidence: Evidence, named: tuple[str, ...], hedged: bool) -> Intent:
    low = normalize(text)
    if MANIPULATION.search(low):
        return "manipulation"
    if HOSTILE.search(low):
        return "hostile"
    if ANSWER_REQUEST.search(low):
        return "answer_request"
    short = len(words(text)) <= 15
    if short and FINISH.search(low):
        return "finish"
    if short and HINT_REQUEST.search(low):
        return "hint_request"
    if not evidence.on_topic and not named and not hedged:
        return "off_topic"
    return "substantive"


def _labels_as_names(lab: Lab, text: str) -> str:
    """A choice's label pasted in full ("Do not rely on the claim yet; ask for ...") stands
    for the choice's name, so its own words (a ";", a "check", a "not") are not read as
    the learner's sentences, reasons or negations."""
    for choice in lab.choices:
        if len(choice.label) > 20:
            pattern = re.compile(re.escape(choice.label).replace(r"\ ", r"\s+"), re.IGNORECASE)
            text = pattern.sub(choice.id.replace("-", " "), text)
    return text


# "actually no, the data": a "no" that takes back what came before negates nothing after it
_INTERJECTION = re.compile(
    r"(^|[.!?;:,]\s*|\b(?:actually|wait|hmm+|oh|well|but|so)\s*,?\s*)(?:no|nope|nah)"
    r"(?:\s*,?\s*(?:wait|sorry|hold on|hang on|scratch that))?\s*[,!:.\u2013\u2014-]+\s*",
    re.IGNORECASE)


def analyse(lab: Lab, text: str, matcher: Matcher) -> Analysis:
    """Classify one learner message for ``lab`` (pure: same input, same output)."""
    original = text[:MAX_ANALYSED_CHARS]
    text = _INTERJECTION.sub(r"\1actually ", claims.unfold(_labels_as_names(lab, original)))
    mentions = _choice_mentions(lab, text)
    choice, named, hedged, cued = _commitment(lab, text, mentions)
    evidence = matcher.match(lab, text)
    if all(s.rstrip().endswith("?") for s in sentences(text) or [text]):
        # a question asserts nothing: no misconception to push back on
        evidence = dataclasses.replace(evidence, misconceptions=(), flawed=())
    intent = _intent(text, evidence, named, hedged)
    listing = claims.is_term_list(text)
    # The reason must be in the learner's own words, not in a choice's name, and not in a
    # sentence that voices a known misconception.
    masked = _masked(text, mentions)
    reasoned = not listing and _gives_reason(" ".join(masked))
    sound = " ".join(s for k, s in enumerate(masked) if k not in evidence.flawed)
    misled = reasoned and not _gives_reason(sound)
    argued = tuple(dict.fromkeys(
        c for c, k in evidence.sources
        if not listing and k not in evidence.flawed and _reason_near(masked, k)))
    denied_choices = tuple(dict.fromkeys(
        m.choice for m in mentions if m.negated and m.choice not in named))
    return Analysis(intent, choice, named, hedged, cued, reasoned, evidence, original, listing,
                    argued, denied_choices, misled)


def _gives_reason(text: str) -> bool:
    return claims.has_reason(text) and len(content_stems(text)) >= 4


_LEADS_ON = re.compile(
    r"^\W*(so|that'?s why|that is why|this is why|this means|which means|because|as a result"
    r"|therefore|hence|thus|it means|that means|meaning|then|since|if|unless|otherwise)\b")


def _reason_near(sents: list[str], k: int) -> bool:
    """Sentence ``k`` gives its reason itself, or the next sentence picks it up ("So...",
    "That's why..."), or it is itself the consequence of the sentence before."""
    if claims.has_reason(sents[k]):
        return True
    if k + 1 < len(sents) and (_LEADS_ON.search(normalize(sents[k + 1])) or (
            sents[k].rstrip().endswith("?") and claims.has_reason(sents[k + 1]))):
        return True  # "So ..." picks it up, or a question the next sentence answers
    if k > 0 and _LEADS_ON.search(normalize(sents[k])):
        return True
    # "..., so of course it's high. It tells us nothing about new tickets": a sentence
    # that goes on from a reasoned one ("it", "this", "that") shares its reason
    return k > 0 and bool(_GOES_ON.search(normalize(sents[k]))) and claims.has_reason(
        sents[k - 1])


_GOES_ON = re.compile(r"^\W*(it|this|that|these|those|which|they)\b")
