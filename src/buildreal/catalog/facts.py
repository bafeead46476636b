"""Counts a page may state about a course, computed from its pack.

Pages say what exists now: a number of projects or modules written into a template or a
lesson goes stale the day a project is added or held back, so templates show these.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildreal.packs.model import Course


@dataclass(frozen=True)
class CourseFacts:
    modules: int
    lessons: int
    projects: int
    quizzes: int


def course_facts(course: Course) -> CourseFacts:
    items = course.items()
    return CourseFacts(
        modules=len(course.modules),
        lessons=sum(1 for item in items if item.kind == "lesson"),
        projects=sum(1 for item in items if item.kind == "project"),
        quizzes=sum(1 for item in items if item.kind == "quiz"),
    )
