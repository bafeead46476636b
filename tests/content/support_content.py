"""Helpers shared by the content tests of both courses."""

from __future__ import annotations

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
