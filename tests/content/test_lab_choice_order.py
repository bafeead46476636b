"""A lab's choices are listed on its page, and the lab partner reads them out, in the
order the pack gives them. That order must not tell a learner which choices the lab
calls defensible: no fixed place in the list (first, second, ..., last) and no fixed
length rank of the labels (the longest, ...) may pick a defensible choice in most labs,
or never pick one (an order that always puts them last tells as much)."""

from __future__ import annotations

from pathlib import Path

from buildreal.packs.loader import find_courses, load_course
from buildreal.packs.model import Lab

COURSES = Path(__file__).resolve().parents[2] / "courses"
MOST = 0.7  # a random order gives about a half (two or three of four or five choices)


def _labs(root: Path) -> list[Lab]:
    course = load_course(root)
    return [item.lab for item in course.items()
            if item.lab is not None and item.lab.defensible]


def _hit_rates(labs: list[Lab], pick) -> dict[str, float]:  # noqa: ANN001
    """For each fixed pick (a place or a length rank): the share of labs where it lands
    on a defensible choice."""
    picks = ("first", "second", "last", "longest", "shortest")
    hits = dict.fromkeys(picks, 0)
    for lab in labs:
        for name in picks:
            hits[name] += pick(lab, name) in lab.defensible
    return {name: count / len(labs) for name, count in hits.items()}


def _pick(lab: Lab, name: str) -> str:
    by_length = sorted(lab.choices, key=lambda c: len(c.label), reverse=True)
    return {"first": lab.choices[0], "second": lab.choices[1], "last": lab.choices[-1],
            "longest": by_length[0], "shortest": by_length[-1]}[name].id


def test_no_fixed_place_or_length_rank_picks_the_defensible_choices() -> None:
    checked = 0
    for root in find_courses(COURSES):
        labs = _labs(root)
        if len(labs) < 4:
            continue  # too few labs naming defensible choices to form a pattern
        checked += 1
        rates = _hit_rates(labs, _pick)
        telling = {name: round(rate, 2) for name, rate in rates.items()
                   if rate > MOST or rate < 1 - MOST}
        assert not telling, (f"{root.name}: these picks find a defensible choice in most "
                             f"labs (or in almost none): {telling}")
    assert checked, "no course has enough labs to check"
