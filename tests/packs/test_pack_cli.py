"""``buildreal check-pack`` and ``buildreal build-figures`` as an author runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from buildreal.cli import main


def test_check_pack_on_a_good_pack_prints_counts_and_exits_0(sample_pack: Path,
                                                            capsys) -> None:
    assert main(["check-pack", str(sample_pack)]) == 0

    out = capsys.readouterr().out
    assert out == "OK: 1 course, 2 modules, 15 items, 14 questions\n"


def test_check_pack_prints_each_problem_relative_to_cwd_and_exits_1(pack, capsys,
                                                                   monkeypatch) -> None:
    pack.replace("m1-learning/l1-quiz.yaml", "minutes: 5", "minuts: 5")
    pack.replace("m1-learning/l1-overfitting.md", "::: takeaway", "::: tip")
    monkeypatch.chdir(pack.root.parent)

    assert main(["check-pack", "sample"]) == 1

    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines == [
        "sample/m1-learning/l1-overfitting.md:64: unknown callout kind 'tip'; use one of: "
        "key-term, peers-get-wrong, takeaway, limits, note, reveal, predict, widget",
        "sample/m1-learning/l1-quiz.yaml:4: unknown key 'minuts' in item 'm1-l1-quiz' "
        "(did you mean 'minutes'?); allowed keys: id, kind, title, minutes, xp, summary, "
        "pass_mark, questions",
    ]
    assert captured.err == "check-pack: 2 problems found\n"


def test_check_pack_accepts_a_folder_of_courses_and_several_paths(tmp_path: Path,
                                                                 sample_pack: Path,
                                                                 capsys) -> None:
    shutil.copytree(sample_pack, tmp_path / "all" / "sample")
    second = shutil.copytree(sample_pack, tmp_path / "second")
    (second / "course.yaml").write_text(
        (second / "course.yaml").read_text().replace("id: sample", "id: second"))

    assert main(["check-pack", str(tmp_path / "all"), str(second)]) == 0

    assert capsys.readouterr().out == "OK: 2 courses, 4 modules, 30 items, 28 questions\n"


def test_check_pack_on_a_folder_without_courses_fails(tmp_path: Path, capsys) -> None:
    assert main(["check-pack", str(tmp_path)]) == 1

    assert "has no course.yaml and no subfolder with one" in capsys.readouterr().out


def test_build_figures_writes_into_the_data_dir_by_default(pack, tmp_path: Path,
                                                          monkeypatch, capsys) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("BUILDREAL_DATA_DIR", str(data_dir))
    # A stand-in script keeps this test quick; the real one is built in
    # test_bundled_courses.py.
    pack.write("figures/loss_curves.py",
               "import sys\nopen(sys.argv[1], 'w').write('<svg>loss</svg>')\n")

    assert main(["build-figures", str(pack.root)]) == 0

    figure = data_dir / "figures" / "sample" / "loss_curves.svg"
    assert figure.read_text() == "<svg>loss</svg>"
    assert capsys.readouterr().out.startswith("sample: 1 figure in ")


def test_build_figures_reports_a_failing_script_and_exits_1(pack, tmp_path: Path,
                                                           capsys) -> None:
    pack.path("figures/loss_curves.py").unlink()  # only the broken script runs
    pack.write("figures/broken.py", "raise SystemExit('no data for this figure')\n")

    assert main(["build-figures", str(pack.root), "--out", str(tmp_path / "out")]) == 1

    err = capsys.readouterr().err
    assert "figures/broken.py: exited with status 1:" in err
    assert "no data for this figure" in err


@pytest.mark.parametrize("argv", [["check-pack"], ["build-figures"]])
def test_commands_without_a_path_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)

    assert caught.value.code == 2


def test_check_pack_reports_two_courses_sharing_an_id(tmp_path: Path, sample_pack: Path,
                                                      capsys) -> None:
    shutil.copytree(sample_pack, tmp_path / "a")
    shutil.copytree(sample_pack, tmp_path / "b")

    assert main(["check-pack", str(tmp_path / "a"), str(tmp_path / "b")]) == 1

    assert "duplicate course id 'sample'" in capsys.readouterr().out
