"""Helpers shared by the content tests of both courses."""

from __future__ import annotations

import math

from buildreal.packs.model import Course, Item


def right_answer_is_longest(item: Item) -> tuple[int, list[str]]:
    """(choice questions, ids of those whose right option is the strictly longest).

    A learner who always picks the longest option would exploit a pack where the second
    number is a large share of the first.
    """
    assert item.assessment is not None, item.id
    choice = [q for q in item.assessment.questions if q.type in ("single", "multiple")]
    longest_right = []
    for q in choice:
        lengths = [len(o.text) for o in q.options]
        top = max(lengths)
        if lengths.count(top) == 1 and q.options[lengths.index(top)].correct:
            longest_right.append(q.id)
    return len(choice), longest_right


def assert_right_answer_rarely_longest(course: Course, share: float = 0.34) -> None:
    """In every assessment of ``course``, the right option is the strictly longest in at
    most ``share`` of its choice questions."""
    assessments = [item for item in course.items() if item.assessment is not None]
    assert assessments
    for item in assessments:
        choice, longest_right = right_answer_is_longest(item)
        assert choice, item.id
        assert len(longest_right) / choice <= share, (item.id, longest_right)


def length_rank_scores(item: Item) -> list[float]:
    """The score, out of every question in ``item``, of a learner who always picks the
    option of one fixed length rank: index 0 the longest, 1 the second-longest, ...

    Options of equal length share the pick (a learner cannot tell them apart, so each is
    taken with equal chance). Such a learner answers numeric questions and select-all
    questions with several right options wrongly, since one option never makes them.
    """
    assert item.assessment is not None, item.id
    questions = item.assessment.questions
    ranks = max((len(q.options) for q in questions), default=0)
    scores = [0.0] * ranks
    for q in questions:
        if q.type == "numeric" or sum(o.correct for o in q.options) != 1:
            continue
        by_length = sorted(q.options, key=lambda o: -len(o.text))
        for rank, picked in enumerate(by_length):
            tied = [o for o in q.options if len(o.text) == len(picked.text)]
            scores[rank] += sum(o.correct for o in tied) / len(tied)
    return [score / len(questions) for score in scores]


def evenest_rank_score(item: Item) -> float:
    """The lowest top score that spreading the right options over the ranks can reach.

    Five one-right questions with four options each put two on some rank whatever the
    author does (2 of 5 is 40%); such a file passes when its spread is that even.
    """
    assert item.assessment is not None, item.id
    questions = item.assessment.questions
    one_right = [q for q in questions
                 if q.type != "numeric" and sum(o.correct for o in q.options) == 1]
    ranks = max((len(q.options) for q in one_right), default=1)
    return math.ceil(len(one_right) / ranks) / len(questions)


def assert_no_length_rank_scores(course: Course, limit: float = 0.4) -> None:
    """In no assessment does picking a fixed length rank (the longest, the second-longest,
    ... the shortest) score ``limit`` or more, unless the file is as evenly spread as its
    number of questions allows (see ``evenest_rank_score``)."""
    assessments = [item for item in course.items() if item.assessment is not None]
    assert assessments
    offending = {
        item.id: [round(s, 2) for s in length_rank_scores(item)] for item in assessments
        if max(length_rank_scores(item)) >= limit
        and max(length_rank_scores(item)) > evenest_rank_score(item) + 1e-9}
    assert not offending, f"score of each length rank (longest first): {offending}"
