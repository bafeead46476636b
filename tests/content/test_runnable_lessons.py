"""The lessons that teach gradient descent and depth let the learner try them (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildreal.packs.loader import load_course
from buildreal.packs.markdown import WIDGET, shared_parser, split_callout_info

COURSES = Path(__file__).resolve().parents[2] / "courses"


def _widgets(course: str, item_id: str) -> list[str]:
    item = load_course(COURSES / course).item(item_id)
    assert item is not None, f"{course} has no item {item_id}"
    return [split_callout_info(token.info)[1] for token in shared_parser().parse(item.body)
            if token.type == "container_callout_open"
            and split_callout_info(token.info)[0] == WIDGET]


@pytest.mark.parametrize(("course", "item_id"), [
    ("build-real-things", "m1-l2"),
    ("deep-learning-mastery", "primer-backprop"),
])
def test_gradient_descent_chapters_embed_the_gradient_descent_widget(course: str,
                                                                     item_id: str) -> None:
    assert "gradient-descent" in _widgets(course, item_id)


def test_module_2_lets_the_learner_train_a_tiny_network_in_the_browser() -> None:
    assert "tiny-network" in _widgets("build-real-things", "m2-l1")
