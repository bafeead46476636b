"""``::: predict`` and ```` ```python exec ```` in pack Markdown: accepted, rendered, checked.

Each malformed case appends one block to a sample lesson and expects the problem on the
line an author must fix.
"""

from __future__ import annotations

import pytest

from buildreal.packs.loader import validate_course
from buildreal.packs.predict import predict_blocks
from buildreal.packs.render import render_markdown

LESSON = "m2-training/l1-gradient-descent.md"

GOOD = """
::: predict What shape does the last line print?
```python
import torch
print(torch.zeros(2, 3).sum(dim=0).shape)
```
Summing over dim 0 removes that axis, so **(3,)** is left.
:::
"""


def _problems(pack, block: str) -> list[tuple[int, str]]:  # noqa: ANN001
    pack.write(LESSON, pack.read(LESSON) + block)
    _course, problems = validate_course(pack.root)
    return [(p.line, p.message) for p in problems if p.path.name == "l1-gradient-descent.md"]


def _line(pack, needle: str) -> int:  # noqa: ANN001
    return pack.line_of(LESSON, needle)


def test_well_formed_predict_and_exec_blocks_pass(pack) -> None:  # noqa: ANN001
    block = GOOD + "\n```python exec\nprint(6 * 7)\n```\n"

    assert _problems(pack, block) == []


@pytest.mark.parametrize(("block", "needle", "message"), [
    ("\n::: predict\n```python\nprint(1)\n```\nOne.\n:::\n", "::: predict",
     "'::: predict' needs the question"),
    ("\n::: predict Why?\nJust prose.\n:::\n", "::: predict Why?",
     "'::: predict' holds no code block"),
    ("\n::: predict Why?\n```python\nprint(1)\n```\n```python\nprint(2)\n```\nText.\n:::\n",
     "print(2)", "holds 2 code blocks"),
    ("\n::: predict Why?\n```js\nconsole.log(1)\n```\nText.\n:::\n", "```js",
     "must be ```python (it is 'js')"),
    ("\n::: predict Why?\n```python no-run\nprint(1)\n```\nText.\n:::\n", "no-run",
     "drop 'no-run'"),
    ("\n::: predict Why?\nSetup first.\n\n```python\nprint(1)\n```\nText.\n:::\n",
     "Setup first.", "must start with its ```python block"),
    ("\n::: predict Why?\n```python\nprint(1)\n```\n:::\n", "print(1)",
     "'::: predict' has no explanation"),
    ("\n::: predict Why?\n```python\nprint(1)\n```\nText.\n", "::: predict Why?",
     "is never closed"),
    ("\n```python exce\nprint(1)\n```\n", "exce", "unknown flag 'exce'"),
])
def test_malformed_block_is_reported_at_the_line_to_fix(pack, block: str, needle: str,  # noqa: ANN001
                                                         message: str) -> None:
    problems = _problems(pack, block)
    line = _line(pack, needle) - (1 if needle in ("print(2)", "print(1)") else 0)

    assert any(message in text for _line_no, text in problems), problems
    assert [number for number, text in problems if message in text] == [line], problems


def test_predict_renders_question_and_code_but_keeps_the_answer_back() -> None:
    page = render_markdown("Intro.\n" + GOOD + "\nAfter.\n")

    assert '<section class="predict" id="predict-1">' in page
    assert "What shape does the last line print?" in page
    assert "zeros" in page
    assert '<div class="predict-slot" data-ordinal="1"></div>' in page
    assert "Summing over dim 0" not in page
    assert "<p>After.</p>" in page


def test_predict_blocks_give_question_code_and_explanation_in_order() -> None:
    blocks = predict_blocks(GOOD + GOOD.replace("What shape", "Which shape"))

    assert [(b.ordinal, b.question) for b in blocks] == [
        (1, "What shape does the last line print?"),
        (2, "Which shape does the last line print?")]
    assert blocks[0].code.startswith("import torch\n")
    assert blocks[0].explanation == "Summing over dim 0 removes that axis, so **(3,)** is left.\n"


def test_widget_block_with_a_known_name_passes_and_renders_a_mount(pack) -> None:  # noqa: ANN001
    assert _problems(pack, "\n::: widget gradient-descent\nDrag the sliders.\n:::\n") == []

    page = render_markdown("::: widget tiny-network\nTrain it.\n:::\n")
    assert '<figure class="widget" data-widget="tiny-network">' in page
    assert '<div class="widget-mount"></div>' in page
    assert "<p>Train it.</p>" in page


def test_widget_with_an_unknown_name_is_reported_with_the_known_ones(pack) -> None:  # noqa: ANN001
    problems = _problems(pack, "\n::: widget gradient-decent\n:::\n")

    assert problems == [(_line(pack, "gradient-decent"),
                         "unknown widget 'gradient-decent'; use one of: gradient-descent, "
                         "tiny-network")]
