"""Schema versions: an unknown one is refused, an older one is upgraded in memory."""

from __future__ import annotations

import pytest

from buildreal.packs import schema
from buildreal.packs.loader import PackError, load_course


@pytest.mark.parametrize("value, message", [
    ("2", "unknown schema version 2 (a newer buildreal may read it); this release reads "
          "schema 1"),
    ("one", "'schema' must be a whole number; this release reads schema 1"),
    ("1.5", "'schema' must be a whole number; this release reads schema 1"),
])
def test_pack_with_an_unknown_schema_is_refused_with_the_supported_versions(
        pack, value: str, message: str) -> None:
    pack.replace("course.yaml", "schema: 1", f"schema: {value}")

    with pytest.raises(PackError) as caught:
        load_course(pack.root)

    [problem] = caught.value.problems
    assert (problem.line, problem.message) == (pack.line_of("course.yaml", "schema:"),
                                               message)


def test_pack_without_a_schema_is_told_what_to_write(pack) -> None:
    pack.replace("course.yaml", "schema: 1\n", "")

    with pytest.raises(PackError, match=r"missing required field 'schema' \(write "
                                        r"'schema: 1'\)"):
        load_course(pack.root)


def test_older_schema_is_upgraded_in_memory_with_a_warning(pack, monkeypatch) -> None:
    # Pretend this release is at schema 2, where items renamed 'duration' to 'minutes'.
    def one_to_two(kind: str, data) -> list[str]:
        return schema.rename_key(data, "duration", "minutes") if kind == "item" else []

    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(schema, "SUPPORTED_VERSIONS", (1, 2))
    monkeypatch.setattr(schema, "UPGRADES", {1: one_to_two})
    pack.replace("m1-learning/l1-quiz.yaml", "minutes: 5", "duration: 5")
    pack.replace("m1-learning/l1-overfitting.md", "minutes: 15", "duration: 15")

    with pytest.warns(schema.PackUpgradeWarning, match="'duration' is now called "
                                                       "'minutes'") as warned:
        course = load_course(pack.root)

    assert course.item("m1-l1-quiz").minutes == 5
    assert course.item("m1-l1").minutes == 15
    assert sorted(str(w.message).split(":")[0].rsplit("/", 1)[1] for w in warned) == [
        "l1-overfitting.md", "l1-quiz.yaml"]


def test_without_the_upgrade_the_old_key_is_an_error(pack) -> None:
    pack.replace("m1-learning/l1-quiz.yaml", "minutes: 5", "duration: 5")

    with pytest.raises(PackError, match="unknown key 'duration'"):
        load_course(pack.root)
