"""What a sentence asserts: clauses, negation scope, reasons, and bare term lists.

A keyword matcher credits mentions; the partner must credit assertions. This module is
the rule set that tells them apart, in the NegEx tradition (negation cues, a forward
scope that ends at a clause boundary, pseudo-negations that only look like one) with
the clause boundaries that a dependency parse would give for the short, informal
sentences learners write. A spaCy pipeline with negspacy was the first choice, but no
trustworthy English model installs from the package registry here (only re-uploads by
third parties), so the rules are written out and tested instead
(tests/tutor/test_tutor_claims.py, and the labelled corpus in tests/tutor/corpus/).

    clauses(sentence)            -> list[Clause]  (text, tokens, doubted, negated spans)
    denied_terms(clause, terms)  -> which multi-word terms sit inside a negation's scope
    has_reason(sentence)         -> a mechanism, consequence or evidence is given
    is_term_list(text)           -> the message is a list of terms, not a statement
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from buildreal.tutor.text import STOPWORDS, normalize, stem, words

# Cues that negate what follows them, up to the end of the clause.
NEGATION_CUES = frozenset(
    "not no never isn't aren't wasn't weren't don't doesn't didn't won't wouldn't can't "
    "cannot couldn't shouldn't hasn't haven't hadn't nor without neither none nothing "
    "hardly barely nobody".split()
)
# Cues that state an absence as part of a mechanism ("it says nothing about new tickets",
# "trained without night photos") rather than deny what follows them.
ABSENCE = frozenset("nothing none nobody without".split())
# Cues that look like a negation but are not one ("not only", "no doubt").
PSEUDO = re.compile(
    r"\b(not only|not just|no doubt|not to mention|nothing but|no wonder|not least"
    r"|can'?t help but|not unlike|no longer)\b"
)
# Words that end a negation's scope: a new clause starts (NegEx "termination terms").
TERMINATORS = frozenset(
    "but however because since so although though whereas while which yet except "
    "instead therefore thus hence meaning means".split()
)
# Whole-clause doubt or denial: the learner says the idea does not hold.
DOUBT = re.compile(
    r"\bi (really |honestly |seriously )?(doubt|disagree|question whether)\b"
    r"|\bi (really )?(don'?t|do not|didn'?t|did not) (really )?(think|believe|buy|see|agree)\b"
    r"|\bi'?m not (convinced|sure that|persuaded)|\bi am not (convinced|sure that|persuaded)"
    r"|\b(unlikely|implausible|doubtful|far-fetched)\b|\bno way\b"
    r"|\bhard to (believe|see|imagine)\b|\bi (can'?t|cannot) (see|imagine)\b"
    r"|\bnothing to do with\b|\b(isn'?t|is not|aren'?t|are not|wasn'?t|was not) (really )?"
    r"(the|an|a|our|my|what'?s?) (real |main |actual |big |root )?"
    r"(issue|problem|cause|culprit|reason|explanation|concern|story|point|factor|failure)\b"
    r"|\b(isn'?t|is not|'s not|wasn'?t|was not) it\b(?! ?\?)"  # "architecture isn't it"
    r"|\b(isn'?t|is not|aren'?t|are not|wasn'?t|was not) (an issue|a problem|a factor|relevant"
    r"|happening|present|there|real|a thing|going on|what is going on|what'?s going on|to blame)\b"
    r"|\b(is|are|was|were) (irrelevant|a red herring|beside the point|not relevant|overblown"
    r"|not the point|ruled out|a myth|not happening|not broken|no problem|not to blame)\b"
    r"|\b(doesn'?t|does not|don'?t|do not|didn'?t|did not) (really )?(matter|apply|exist|happen"
    r"|explain (it|this|anything)|play a (role|part)|come into it)\b"
    r"|\b(wouldn'?t|won'?t|doesn'?t|does not|would not|will not|didn'?t|did not|can'?t)"
    r" (really |actually )?(help|work|fix|solve|change anything|make a difference)\b"
    r"|\brule[sd]? out\b|\bruling out\b|\bcan be ignored\b|\bwe can ignore\b"
    r"|\b(it'?s|it is|that'?s|that is|this is) not (about|because|due to|a case of)\b"
    r"|\bnot (because of|due to|caused by|a case of|about)\b"
    r"|\bno (need|point)\b|\b(we|you|i) (don'?t|do not) (really )?need\b"
    r"|\b(has|have|had) not\b.{0,30}\b(any|a) (role|effect|impact)\b"
)
# A mechanism, a consequence or evidence: what turns a claim into an argument.
REASON = re.compile(
    r"\b(because|since|so|therefore|thus|hence|consequently|means|meaning|which means"
    r"|that'?s why|that is why|this is why|which is why|as a result|leads? to|led to"
    r"|caus(e|es|ed|ing)|due to|results? in|drives?|explains?|turns? into|ends? up"
    r"|if|when|unless|otherwise|then|whereas|until|once|given that)\b"
    r"|\b(would|won'?t|wouldn'?t|can'?t|cannot|never|makes?|made|keeps?|stays?)\b"
    r"|\b(could|will) (never|only|not|just|keep|end|drop|fail|miss|lose|get|make|learn)\b"
    r"|\b(can|may|might) (drop|fail|hurt|break|degrade|mislead|miss|hide|leak|shift|change)"
    r"|\b(shows?|showed|showing|confirms?|proves?|falsif\w*|suggests?|indicates?"
    r"|measur\w*|split|compare|comparing|check|test(ed)? on|look at|per[- ]\w+|broken down)\b"
    r"|\bi'?d (want|ask|need|require|insist|add|use|keep|split|measure|check|compare|fine-tune"
    r"|train|fit|retrain|start|reserve|run|report|score|set|demand|take)\b"
    r"|\bi would (want|ask|need|require|insist|add|use|keep|split|measure|check|compare)\b"
    r"|:\s+[^.?!]{20,}"  # a colon that goes on to explain
    r"|\b(so that|in order to|to (decide|choose|judge|tell|know|see|catch|avoid|prevent|make sure"
    r"|check|confirm|find|spot|estimate))\b"
    r"|\b(lets?|allows?|enables?|prevents?|forces?|multipl(y|ies)|assumes?|track|monitor"
    r"|stand in for|feeds? into|depends on)\b|\bthat'?s (exactly|precisely)\b"
    r"|\b(from|to) \d|\d+(\.\d+)?%|\bvs\.?\b|\bwhile\b|\bwhich\b|\binstead\b|\bfor example\b"
)
# Words that make a string of terms into a statement: verbs, auxiliaries, pronouns.
GLUE = frozenset(
    """is are was were be been being am has have had do does did would will can could
    should may might must it its it's they them their this that these those there we i
    i'd i'm you he she who which what because so since if when then but and or to of for
    from by with on in at as than not no never don't doesn't didn't isn't aren't wasn't
    won't can't got gets get make makes made keep keeps learn learns learned learnt see
    sees saw show shows shown means mean put puts the a an about after before into over
    under between than just only all every each""".split()
)

# "X is fine" clears X only when X is short: "the loss is fine", not "... which is fine".
FINE = re.compile(r"^\W*(?:(?:but |and )?(?:i|we) (?:still |really )?(?:think|believe|reckon|guess"
                  r"|feel) (?:that )?)?"
                  r"(?!(which|that|this|it|and|so)\b)(\w+\W+){1,3}(is|are|was|were) "
                  r"(fine|ok|okay|not broken|working)\b")


def doubts(part: str) -> list[re.Match[str]]:
    """The doubt frames in one comma-separated stretch of a clause."""
    low = normalize(part)
    found = list(DOUBT.finditer(low))
    fine = FINE.search(low)
    if fine:
        found.append(fine)
    return found


_WORD = re.compile(r"\d+(?:\.\d+)+|[a-z0-9]+(?:'[a-z]+)?|[,;:()]")  # as text.words


@dataclass(frozen=True)
class Clause:
    text: str
    tokens: tuple[str, ...]  # lowercase words, contractions whole
    doubted: bool  # a whole-clause doubt or denial ("I doubt", "... isn't the issue")
    negated: tuple[tuple[int, int], ...]  # [start, end) token spans inside a negation


def _tokens(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def split_clauses(sentence: str) -> list[str]:
    """Cut a sentence where a new clause starts (a linker or a semicolon), keeping the
    linker with the clause it opens: "X is fine, because Y" -> ["X is fine,", "because Y"]."""
    low = normalize(sentence)
    cuts = [0]
    for m in re.finditer(
        r"[;:]|\s(?=(but|however|because|since|although|though|whereas|so|which means"
        r"|that'?s why|yet|while|and so|and that)\b)", low):
        if m.start() > cuts[-1] + 2:
            cuts.append(m.start() + (1 if low[m.start()] in ";:" else 0))
    cuts.append(len(sentence))
    parts = [sentence[a:b].strip(" ,;:") for a, b in zip(cuts, cuts[1:], strict=False)]
    return [p for p in parts if p]


def _negated_spans(tokens: Sequence[str], text: str) -> tuple[tuple[int, int], ...]:
    """Forward scope of each negation cue, ending at a terminator or punctuation."""
    pseudo_starts: set[int] = set()
    for m in PSEUDO.finditer(normalize(text)):
        before = len(_tokens(normalize(text)[: m.start()]))
        pseudo_starts.add(before)
    spans: list[tuple[int, int]] = []
    for i, tok in enumerate(tokens):
        if tok not in NEGATION_CUES or tok in ABSENCE or i in pseudo_starts:
            continue
        end = i + 1
        while end < len(tokens) and tokens[end] not in TERMINATORS and tokens[end] not in ",;:()":
            end += 1
        spans.append((i + 1, end))
    return tuple(spans)


_ANSWERED_QUESTION = re.compile(
    r"^\s*([^?.!]{1,60})\?\s+(no|nope|not really|not at all|hardly|i doubt it|i don'?t think so)"
    r"\b[,.!]?\s*", re.IGNORECASE)


def unfold(text: str) -> str:
    """Turn a question the learner answers with a denial into a plain denial:
    "Cold start? Not really, ..." -> "not really cold start, ..." (so its scope is seen)."""
    m = _ANSWERED_QUESTION.match(text)
    if not m:
        return text
    return f"{m.group(2)} {m.group(1).strip()}, {text[m.end():]}".strip(" ,")


def clauses(sentence: str) -> list[Clause]:
    out = []
    for part in split_clauses(sentence):
        toks = tuple(_tokens(part))
        out.append(Clause(part, toks, any(doubts(p) for p in part.split(",")),
                          _negated_spans(toks, part)))
    return out


def term_stems(term: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(term))


_NEGATION_STEMS = frozenset(stem(c) for c in NEGATION_CUES)


def denied_terms(clause: Clause, terms: Iterable[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The stemmed terms that occur inside a negation's scope in ``clause``.

    A term found right after its cue (within two words: "no feedback loop", "isn't
    really overfitting", "do not have a cold-start problem") is denied. A term that
    itself carries the negation ("no history", "never seen") is the claim, not a denial.
    """
    stems = [stem(t) for t in clause.tokens]
    found: set[tuple[str, ...]] = set()
    for term in terms:
        n = len(term)
        if not n or any(t in _NEGATION_STEMS for t in term):
            continue
        for start, end in clause.negated:
            window = [i for i in range(start, end) if clause.tokens[i] not in _SKIP][:2]
            if not window:
                continue
            first = window[0]
            for i in range(first, min(end, window[-1] + 1)):
                if tuple(stems[i:i + n]) == term:
                    found.add(term)
    return found


# Words skipped when looking for what a negation applies to ("not a real cold start").
_SKIP = frozenset(
    "a an the any really actually truly much real big major serious obvious clear genuine "
    "true significant such have has had having be been being is are was were do does did "
    "get gets got suffer suffering suffers from see seeing evidence of sign signs one call "
    "calling say it it's this that there there's think consider".split()
)


def negated_positions(sentence: str) -> set[int]:
    """Positions (in ``text.words`` tokens) of the first words a negation applies to:
    up to two words after its cue, skipping filler ("not really a", "do not have a")."""
    out: set[int] = set()
    offset = 0
    for clause in clauses(sentence):
        plain = [i for i, t in enumerate(clause.tokens) if t not in ",;:()"]
        where = {raw: n for n, raw in enumerate(plain)}
        for start, end in clause.negated:
            window = [i for i in range(start, end) if clause.tokens[i] not in _SKIP][:2]
            out.update(offset + where[i] for i in window if i in where)
        offset += len(plain)
    return out


_NUMBER = re.compile(r"\d[\d,.]*")
LONG_STATEMENT = 16  # words: an elaborated statement carries its own mechanism


# A "because" that gives no reason: "because it makes the most sense", "since that is
# clearly the right option". Only these words in the clause: it carries no mechanism.
VACUOUS = frozenset(
    """sense sensible right best correct option options answer choice obvious obviously
    clear clearly good better likely probably reason reasons feel gut intuition make makes
    made seem seems logical plausible fit fits sound sounds believe know pick choose
    say said one here case lab thing way sure surely safe safest appropriate reasonable
    fine work works option true basically simply choice call vote bet because since as
    given cause coz cos""".split()
)
_REASON_LEAD = re.compile(r"^\W*(because|since|as|so|given|cause|coz|cos)\b")


def without_vacuous_reasons(text: str) -> str:
    """``text`` without its reason clauses that say nothing but "it's the right one"."""
    out = text
    for sent in re.split(r"(?<=[.!?;])\s+|\n+", text.strip()):
        for part in split_clauses(sent):
            low = normalize(part)
            empty = not {w for w in words(low) if w not in STOPWORDS and len(w) > 1
                         and w not in VACUOUS and stem(w) not in _VACUOUS_STEMS}
            if empty and _REASON_LEAD.search(low):
                out = out.replace(part, "", 1)
    return out


_VACUOUS_STEMS = frozenset(stem(w) for w in VACUOUS)


def has_reason(text: str) -> bool:
    """A mechanism, consequence or evidence is stated (not only a label): a linker or a
    verb of consequence, evidence such as two figures worked together, or a statement
    long enough to describe a mechanism. A reason that only says the choice is the right
    one ("because it makes the most sense") is none."""
    low = normalize(without_vacuous_reasons(text))
    if len(words(low)) < 5:  # "It will predict churn." names, it does not explain
        return False
    return (bool(REASON.search(low)) or len(_NUMBER.findall(low)) >= 2
            or (len(words(low)) >= LONG_STATEMENT and not is_term_list(low)
                and any(_verbish(t) for t in words(low))))


# Glue that makes a statement rather than a list: verbs, auxiliaries, subjects, linkers.
VERBISH = frozenset(
    """is are was were be been being am has have had do does did would will can could
    should may might must it its it's they them this these those we i i'd i'm you he she
    who which because since if when then not never don't doesn't didn't isn't aren't
    wasn't won't can't got gets get make makes made keep keeps learn learns learned learnt
    see sees saw show shows shown means mean put puts there""".split()
)
_COORDINATORS = frozenset("and or nor & plus".split())
_SEGMENT = re.compile(r"\s*[,;/]\s*|\s+(?:and|or|&|plus)\s+|\s*:\s+")
LIST_SEGMENTS = 4  # this many short, verbless pieces and little else: a list
LIST_TAIL_WORDS = 4  # what a list may carry besides its terms ("so send it back")


def _verbish(token: str) -> bool:
    return token in VERBISH or token.endswith(("'s", "'d", "'ll", "'re", "'ve"))


def is_term_list(text: str) -> bool:
    """A message that strings terms together without saying how they connect: short
    verbless pieces joined by commas, semicolons or "and" with almost nothing else, or
    almost no verbs, pronouns or linkers among at least three words."""
    toks = [t for t in _tokens(text) if t not in ",;:()"]
    if len(toks) < 3:
        return False
    pieces = [p for p in _SEGMENT.split(normalize(text).strip(" .!?")) if p.strip()]
    if len(pieces) >= LIST_SEGMENTS:
        said = [p for p in pieces if len(p.split()) > 3
                or (len(p.split()) > 2 and any(_verbish(t) for t in _tokens(p)))]
        if sum(len(p.split()) for p in said) <= LIST_TAIL_WORDS:
            return True
    glue = sum(1 for t in toks if (t in GLUE or t in STOPWORDS or t.endswith("'s"))
               and t not in _COORDINATORS)
    if REASON.search(normalize(text)) and glue >= 2 and any(_verbish(t) for t in toks):
        return False
    return glue / len(toks) < 0.2
