"""Executed code: found in the pack, run once, stored by hash, shown escaped, checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildreal.cli import main
from buildreal.packs.execute import (
    block_key,
    build_outputs,
    executed_blocks,
    load_output,
    output_file,
    run_block,
    run_many,
)
from buildreal.packs.loader import load_course
from buildreal.packs.render import render_markdown, render_output
from buildreal.packs.snippets import python_blocks

LESSON = "m1-learning/l1-overfitting.md"


def test_exec_and_predict_blocks_are_found_at_their_fences_and_not_run_as_snippets(
        sample_pack: Path) -> None:
    course = load_course(sample_pack)
    blocks = executed_blocks(course)

    assert [(b.item_id, b.predict) for b in blocks] == [("m1-l1", False), ("m1-l1", True)]
    lines = (sample_pack / LESSON).read_text().splitlines()
    assert [lines[b.line - 1] for b in blocks] == ["```python exec", "```python"]
    assert all(b.code not in {s.code for s in python_blocks(course)} for b in blocks)


def test_a_block_stores_what_it_prints_and_the_figures_it_saves(tmp_path: Path) -> None:
    code = ("import matplotlib.pyplot as plt\nprint('sum', 2 + 3)\n"
            "plt.plot([0, 1], [1, 0])\nplt.savefig('line.png')\nopen('notes.txt', 'w')\n")

    output = run_block(code, tmp_path)

    assert output.ok and output.text == "sum 5\n" and output.files == ("line.png",)
    assert load_output(tmp_path, code) == output
    figure = output_file(tmp_path, output.key, "line.png")
    assert figure is not None and figure.read_bytes().startswith(b"\x89PNG")
    assert output_file(tmp_path, output.key, "notes.txt") is None
    assert output_file(tmp_path, output.key, "../line.png") is None
    assert output_file(tmp_path, "not-a-key", "line.png") is None


def test_a_failing_block_reports_its_error_and_stores_nothing(tmp_path: Path) -> None:
    code = "print('before')\nraise ValueError('shapes do not match')\n"

    output = run_block(code, tmp_path)

    assert not output.ok
    assert "before" in output.text and "ValueError: shapes do not match" in output.text
    assert load_output(tmp_path, code) is None


def test_an_unchanged_block_is_not_run_again_and_a_changed_one_is(sample_pack: Path,
                                                                   tmp_path: Path) -> None:
    blocks = executed_blocks(load_course(sample_pack))

    first = build_outputs(blocks, tmp_path)
    again = build_outputs(blocks, tmp_path)

    assert (first.ran, first.cached, first.failures) == (2, 0, [])
    assert (again.ran, again.cached) == (0, 2)
    assert block_key(blocks[0].code) != block_key(blocks[0].code + "\n# edited\n")


def test_long_output_is_cut_and_said_to_be(tmp_path: Path) -> None:
    output = run_block("for i in range(1000):\n    print(i)\n", tmp_path)

    lines = output.text.splitlines()
    assert lines[0] == "0" and lines[199] == "199"
    assert lines[-1] == "[... output cut: only the start is shown]"


def test_output_is_shown_under_exec_code_escaped_but_not_under_predict_code(
        tmp_path: Path) -> None:
    exec_code = "print('<script>alert(1)</script>')\n"
    predict_code = "print('secret answer')\n"
    source = (f"```python exec\n{exec_code}```\n\n::: predict Guess?\n```python\n"
              f"{predict_code}```\nBecause.\n:::\n")
    run_block(exec_code, tmp_path)
    run_block(predict_code, tmp_path)

    page = render_markdown(source, outputs=lambda code: load_output(tmp_path, code))

    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;\n"
    assert f'<pre class="output-text" tabindex="0">{escaped}</pre>' in page
    assert "<script>" not in page
    assert page.count('class="code-output"') == 1
    assert "secret answer\n</pre>" not in page
    reveal = render_output(load_output(tmp_path, predict_code))  # type: ignore[arg-type]
    assert '<pre class="output-text" tabindex="0">secret answer\n</pre>' in reveal


def test_check_pack_fails_at_the_fence_of_a_failing_block(pack, capsys,  # noqa: ANN001
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    monkeypatch.setenv("BUILDREAL_OUTPUTS_DIR", str(tmp_path / "outputs"))
    pack.replace(LESSON, 'print("lowest validation loss at epoch"',
                 'print("lowest validation loss at epoch", undefined_name')
    fence = pack.line_of(LESSON, "```python exec")

    assert main(["check-pack", str(pack.root)]) == 1

    out = capsys.readouterr().out
    assert f"l1-overfitting.md:{fence}: python block failed when run:" in out
    assert "NameError: name 'undefined_name' is not defined" in out
    assert main(["check-pack", "--no-run", str(pack.root)]) == 0


def test_warm_runner_gives_each_block_a_fresh_process_like_python_would(
        tmp_path: Path) -> None:
    # json is loaded in the runner itself: a block changing it must not change it for
    # the next block, and neither may its environment variables or builtins.
    first = ("import builtins, json, os, sys\nbuiltins.leaked = json.leaked = 1\n"
             "os.environ['LEAKED'] = '1'\nprint(os.listdir('.'), sys.argv, __name__)\n"
             "os.write(1, b'from C level\\n')\n")
    second = ("import builtins, json, os\nprint(hasattr(builtins, 'leaked'))\n"
              "print(hasattr(json, 'leaked'), 'LEAKED' in os.environ)\n")
    cold = run_block(second, tmp_path / "cold")

    warm = run_many([first, second, "import sys\nprint(sys.orig_argv[1:])\n"],
                    tmp_path / "warm", jobs=1)

    assert warm[2].text == "['-m', 'buildreal.packs.warm']\n"  # really the warm runner
    assert warm[0].ok and warm[0].text == (
        "['block.py'] ['block.py'] __main__\nfrom C level\n")
    assert warm[1].ok and warm[1].text == cold.text == "False\nFalse False\n"


def test_warm_runner_reports_errors_exits_and_timeouts(tmp_path: Path) -> None:
    codes = ["x = 1\nraise KeyError('missing')\n", "import sys\nprint('bye')\nsys.exit(3)\n",
             "import time\nprint('start', flush=True)\ntime.sleep(30)\n", "print('fine')\n"]

    failed, exited, hung, fine = run_many(codes, tmp_path, jobs=2, timeout=2)

    assert not failed.ok and 'File "block.py", line 2' in failed.text
    assert "KeyError: 'missing'" in failed.text
    assert not exited.ok and "bye" in exited.text
    assert not hung.ok and "start" in hung.text and "timed out after 2 s" in hung.text
    assert fine.ok and fine.text == "fine\n"  # the runner survives all of the above


def test_build_pack_builds_figures_and_outputs_once(sample_pack: Path, capsys,  # noqa: ANN001
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    monkeypatch.setenv("BUILDREAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BUILDREAL_OUTPUTS_DIR", str(tmp_path / "outputs"))

    assert main(["build-pack", str(sample_pack)]) == 0
    assert main(["build-pack", str(sample_pack)]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out == ["sample: 2 block(s) run, 0 already built, 0 failed",
                   "sample: 0 block(s) run, 2 already built, 0 failed"]
    assert (tmp_path / "figures" / "sample" / "loss_curves.svg").is_file()
    assert len(list((tmp_path / "outputs").iterdir())) == 2
