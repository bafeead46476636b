"""Whatever bytes an author saves, the loader answers with problems, never a traceback.

Hypothesis writes malformed YAML, YAML of the wrong shape and broken front matter into a
one-item pack; loading must either succeed or raise PackError whose problems each name a
file of the pack and a real line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buildreal.packs.loader import PackError, load_course
from buildreal.packs.yamlsrc import parse_yaml, split_front_matter

# Each example writes and loads a small pack; these counts keep the file near 10 s.
SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
SHAPE_SETTINGS = settings(SETTINGS, max_examples=40)

VALID_QUIZ = """\
id: quiz
kind: quiz
title: A quiz
minutes: 3
xp: 10
questions:
  - id: q1
    type: single
    prompt: Pick one.
    options:
      - id: a
        text: This one.
        correct: true
      - id: b
        text: That one.
    explanation:
      correct: Right.
      incorrect: Not that.
"""

VALID_LESSON = """\
---
id: lesson
title: A lesson
minutes: 5
xp: 10
---
# A lesson

Text with $x$ and a [link](item:quiz).
"""

YAMLISH = st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \t\n") + ["---", "...", "- ", ": ",
                                                                    "  ", "\ufeff", "\x00"])


def _one_item_pack(root: Path, item_name: str, text: str) -> Path:
    (root / "m").mkdir(parents=True, exist_ok=True)
    (root / "course.yaml").write_text("schema: 1\nid: fuzz\ntitle: Fuzz\nmodules: [m]\n")
    items = [item_name] if item_name == "quiz.yaml" else [item_name, "quiz.yaml"]
    (root / "m" / "module.yaml").write_text(f"id: m\ntitle: M\nitems: {items}\n")
    (root / "m" / "quiz.yaml").write_text(VALID_QUIZ)
    (root / "m" / item_name).write_text(text, encoding="utf-8")
    return root


def _assert_clear_outcome(root: Path) -> None:
    """Load; if it fails, every problem names a pack file and a line inside it."""
    try:
        load_course(root)
    except PackError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path.is_relative_to(root)
            assert problem.message
            lines = problem.path.read_text(encoding="utf-8", errors="replace").count("\n")
            assert 1 <= problem.line <= lines + 2, problem


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few random cuts and YAML-significant insertions."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + text[at + draw(st.integers(1, 12)):]
        else:
            text = text[:at] + "".join(draw(st.lists(YAMLISH, min_size=1, max_size=4))) \
                + text[at:]
    return text


@SETTINGS
@given(text=st.text(max_size=300))
def test_parse_yaml_never_raises(text: str) -> None:
    data, problems = parse_yaml(text, Path("x.yaml"))

    assert all(p.line >= 1 and p.message for p in problems)
    assert data is None or not problems or problems[0].message.startswith("duplicate")


@SETTINGS
@given(text=st.text(max_size=300))
def test_split_front_matter_never_raises(text: str) -> None:
    split, problems = split_front_matter(text, Path("x.md"))

    assert split is not None or problems


@SETTINGS
@given(text=mutated(VALID_QUIZ))
def test_mutated_yaml_item_gives_problems_not_a_crash(tmp_path: Path, text: str) -> None:
    _assert_clear_outcome(_one_item_pack(tmp_path, "quiz.yaml", text))


@SETTINGS
@given(text=mutated(VALID_QUIZ))
def test_unclosed_flow_list_is_always_a_pack_error(tmp_path: Path, text: str) -> None:
    root = _one_item_pack(tmp_path, "quiz.yaml", text + "\nbroken: [unclosed, list\n")

    with pytest.raises(PackError) as caught:
        load_course(root)

    assert any("YAML" in p.message or "unknown key" in p.message
               for p in caught.value.problems)


@SETTINGS
@given(text=mutated(VALID_LESSON))
def test_mutated_front_matter_gives_problems_not_a_crash(tmp_path: Path, text: str) -> None:
    _assert_clear_outcome(_one_item_pack(tmp_path, "lesson.md", text))


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**12), st.floats(),
                    st.text(max_size=20), st.dates())
QUIZ_KEYS = ["id", "kind", "title", "minutes", "xp", "questions", "pass_mark", "attempts",
             "type", "options", "prompt", "explanation", "answer", "correct", "text"]
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(QUIZ_KEYS), st.text(max_size=8)),
                        children, max_size=5)),
    max_leaves=25)


@SHAPE_SETTINGS
@given(data=st.dictionaries(st.sampled_from(QUIZ_KEYS), VALUES, max_size=8))
def test_yaml_of_the_wrong_shape_gives_problems_not_a_crash(tmp_path: Path,
                                                            data: dict) -> None:
    text = yaml.safe_dump({"kind": "quiz", **data}, allow_unicode=True)
    _assert_clear_outcome(_one_item_pack(tmp_path, "quiz.yaml", text))


@SHAPE_SETTINGS
@given(data=st.dictionaries(st.sampled_from(QUIZ_KEYS), VALUES, max_size=8))
def test_front_matter_of_the_wrong_shape_gives_problems_not_a_crash(tmp_path: Path,
                                                                    data: dict) -> None:
    front = yaml.safe_dump(data, allow_unicode=True)
    _assert_clear_outcome(_one_item_pack(tmp_path, "lesson.md", f"---\n{front}---\n# Hi\n"))
