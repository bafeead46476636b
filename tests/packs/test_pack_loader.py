"""What the loader builds from a valid pack: the objects the site and the tutor use."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from buildreal.packs.loader import PackError, load_catalog, load_course
from buildreal.packs.model import SCHEMA_VERSION


def test_sample_pack_loads_its_modules_and_items_in_order(sample_pack: Path) -> None:
    course = load_course(sample_pack)

    assert (course.id, course.schema) == ("sample", SCHEMA_VERSION)
    assert [m.id for m in course.modules] == ["m1", "m2"]
    assert [i.id for i in course.modules[0].items] == [
        "sample-intro", "m1-l1", "m1-l1-quiz", "m1-l1-lab", "m1-test"]
    assert [i.id for i in course.modules[1].items] == [
        "m2-l1", "m2-cards", "m2-synthesis", "m2-capstone", "m2-check-quiz", "m2-check",
        "sample-project", "glossary", "path-start", "final-exam"]
    assert all(item.module_id == module.id for module in course.modules
               for item in module.items)


def test_sample_pack_uses_every_item_kind(sample_pack: Path) -> None:
    kinds = {item.kind for item in load_course(sample_pack).items()}

    assert kinds == {"lesson", "page", "quiz", "test", "exam", "lab", "flashcards",
                     "synthesis", "capstone", "project", "glossary", "path", "module-check"}


def test_content_hash_is_the_sha256_prefix_of_the_file_bytes(sample_pack: Path) -> None:
    item = load_course(sample_pack).item("m1-l1-quiz")

    expected = hashlib.sha256(item.source.path.read_bytes()).hexdigest()[:16]
    assert item.content_hash == expected


def test_lesson_body_excludes_front_matter(sample_pack: Path) -> None:
    lesson = load_course(sample_pack).item("m1-l1")

    assert (lesson.title, lesson.minutes, lesson.xp) == ("When a model stops learning", 15, 50)
    assert lesson.body.startswith("# When a model stops learning")
    assert "kind: lesson" not in lesson.body


def test_quiz_questions_keep_types_options_and_explanations(sample_pack: Path) -> None:
    quiz = load_course(sample_pack).item("m1-l1-quiz").assessment

    single, multiple, numeric = quiz.questions
    assert [q.type for q in quiz.questions] == ["single", "multiple", "numeric"]
    assert [o.id for o in single.options if o.correct] == ["a"]
    assert single.options[1].feedback == "That is what healthy learning looks like."
    assert [o.id for o in multiple.options if o.correct] == ["a", "b", "d"]
    assert (numeric.answer, numeric.tolerance, numeric.unit) == (0.29, 0.005, "nats")
    assert numeric.options == ()
    assert numeric.explanation_correct and numeric.explanation_incorrect
    assert single.source.line == 7


def test_quiz_without_pass_mark_takes_the_course_default(sample_pack: Path) -> None:
    course = load_course(sample_pack)

    assert course.item("m1-l1-quiz").assessment.pass_mark == course.default_pass_mark == 0.8
    assert course.item("m1-l1-quiz").assessment.attempts is None


def test_test_and_exam_carry_attempts_and_time_limits(sample_pack: Path) -> None:
    course = load_course(sample_pack)
    test = course.item("m1-test").assessment
    exam = course.item("final-exam").assessment

    assert (test.pass_mark, test.attempts, test.time_limit_minutes, test.shuffle) == (
        0.66, 2, 20, False)
    assert (exam.pass_mark, exam.attempts, exam.time_limit_minutes, exam.shuffle) == (
        0.7, 1, 30, True)


def test_lab_has_everything_the_tutor_needs(sample_pack: Path) -> None:
    lab = load_course(sample_pack).item("m1-l1-lab").lab

    assert [c.id for c in lab.choices] == ["classical", "deep"]
    assert lab.defensible == ("classical",)
    assert "gradient boosting" in lab.choices[0].aliases
    assert [r.id for r in lab.rubric] == ["data-volume", "tabular-structure",
                                          "baseline-first", "error-costs"]
    assert all(r.keywords and r.probe and r.strong and r.weak for r in lab.rubric)
    assert [m.id for m in lab.misconceptions] == ["deep-always-wins", "accuracy-is-enough"]
    assert len(lab.hints) == 3 and len(lab.challenges) == 2
    assert (lab.completion.min_concepts, lab.completion.require_commitment,
            lab.completion.max_turns) == (3, True, 12)
    assert "8,000 past appointments" in lab.scenario


def test_flashcards_capstone_project_glossary_and_path(sample_pack: Path) -> None:
    course = load_course(sample_pack)

    cards = course.item("m2-cards").cards
    assert [(c.id, c.worked) for c in cards] == [("relu", False), ("epoch", False),
                                                 ("sgd-step", True)]
    capstone = course.item("m2-capstone").capstone
    assert len(capstone.rubric) == 3 and len(capstone.objections) == 2
    project = course.item("sample-project").project
    assert (project.project_id, project.number, project.hours) == ("p1-autodiff", 1, "6-10")
    assert len(project.hints) == 3
    assert [t.id for t in course.item("glossary").terms] == ["overfitting", "learning-rate",
                                                            "baseline"]
    assert course.item("path-start").path_items == ("m1-l1", "m2-l1", "sample-project",
                                                    "m2-capstone")


def test_catalog_loads_every_course_folder_under_the_root(tmp_path: Path,
                                                          sample_pack: Path) -> None:
    shutil.copytree(sample_pack, tmp_path / "sample")
    second = tmp_path / "second"
    shutil.copytree(sample_pack, second)
    course_yaml = second / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace("id: sample", "id: second"))
    (tmp_path / "notes").mkdir()  # a folder without course.yaml is not a course

    catalog = load_catalog(tmp_path)

    assert sorted(catalog.courses) == ["sample", "second"]


def test_catalog_of_an_empty_folder_is_empty(tmp_path: Path) -> None:
    assert load_catalog(tmp_path).courses == {}


def test_catalog_rejects_two_courses_with_one_id(tmp_path: Path, sample_pack: Path) -> None:
    shutil.copytree(sample_pack, tmp_path / "a")
    shutil.copytree(sample_pack, tmp_path / "b")

    with pytest.raises(PackError) as caught:
        load_catalog(tmp_path)

    [problem] = caught.value.problems
    assert problem.path == tmp_path / "b" / "course.yaml"
    assert "duplicate course id 'sample'" in problem.message


def test_xp_may_come_from_a_per_kind_course_default(pack) -> None:
    pack.replace("course.yaml", "  pass_mark: 0.8", "  pass_mark: 0.8\n  quiz_xp: 35")
    pack.replace("m1-learning/l1-quiz.yaml", "xp: 20\n", "")

    assert load_course(pack.root).item("m1-l1-quiz").xp == 35


def test_pack_core_imports_no_django() -> None:
    code = ("import sys, buildreal.packs.loader, buildreal.packs.render, "
            "buildreal.packs.figures, buildreal.packs.snippets, buildreal.packs.cli\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)

    assert result.stdout.strip() == "[]"
