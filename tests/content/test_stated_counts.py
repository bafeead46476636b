"""Pages say what exists now: a count of projects, modules or chapters written into a
course's text may not exceed what its pack holds (the site's templates show the real
counts, computed by ``buildreal.catalog.facts``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from buildreal.catalog.facts import course_facts
from buildreal.packs.loader import load_course
from buildreal.packs.model import Course

COURSES = Path(__file__).resolve().parents[2] / "courses"
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
STATED = re.compile(r"\b(" + "|".join(NUMBERS) + r"|\d+)\s+(?:[a-z-]+\s+)?"
                    r"(projects|modules)\b", re.I)


def stated_counts(text: str) -> list[tuple[int, str, str]]:
    """(number, noun, matched text) for each "<number> [word] projects|modules"."""
    found = []
    for match in STATED.finditer(text):
        word = match.group(1).lower()
        number = int(word) if word.isdigit() else NUMBERS[word]
        found.append((number, match.group(2).lower(), match.group(0)))
    return found


def page_texts(course: Course) -> list[tuple[str, str]]:
    """(item id, text) for every prose body and summary a learner reads on the site."""
    texts = [("course summary", course.summary)]
    texts += [(f"module {module.id}", module.summary or "") for module in course.modules]
    texts += [(item.id, item.body or "") for item in course.items()]
    return texts


def test_stated_counts_finds_number_words_digits_and_a_qualifier() -> None:
    assert stated_counts("the plan of ten projects, 3 real-world projects and two modules") == [
        (10, "projects", "ten projects"), (3, "projects", "3 real-world projects"),
        (2, "modules", "two modules")]


@pytest.mark.parametrize("folder", ["build-real-things", "deep-learning-mastery"])
def test_no_page_promises_more_projects_or_modules_than_the_pack_holds(folder: str) -> None:
    course = load_course(COURSES / folder)
    facts = course_facts(course)
    limits = {"projects": facts.projects, "modules": facts.modules}
    overstated = [(item_id, phrase) for item_id, text in page_texts(course)
                  for number, noun, phrase in stated_counts(text) if number > limits[noun]]
    assert overstated == [], f"{folder} states counts it does not have: {overstated}"
