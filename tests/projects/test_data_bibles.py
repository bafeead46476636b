"""The verse-aligned Bibles (projects 5 and 6) and the FreeDict dictionary, read offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildreal.projects.data import bibles
from buildreal.projects.data.errors import DataUnavailable
from buildreal.projects.data.freedict import load_freedict, parse_entry

RENDERED = "\n".join([  # diatheke -f OSIS output, cut down
    "Genesis 1:1: <w>In</w> <w>the</w> <w>beginning</w>, <w>God</w><w>created</w> "
    '<w>the</w> <w>heavens</w>.<milestone type="line"/>',
    "A <w>Psalm</w> of <w>David</w>.   Psalms 23:1: The <w>LORD</w> is my <w>shepherd</w>; "
    'I shall not <w>want</w>. <milestone type="line"/>',
    "ALEPH  Psalms 119:1: <w>Blessed</w> <w>are</w> <w>those</w> &amp; more",
    "<l>who walk in the law.</l>",
    'Song of Solomon 1:1: <title type="x">A heading</title>The <w>song</w> of songs.',
    "Revelation of John 22:21: <w>Amen</w>. The following words used in the World English "
    "Bible (WEB) are rare.",
    "(engWEB2015eb)",
])


def test_parser_keeps_verse_text_and_drops_headings_markup_and_glossary() -> None:
    verses = bibles.parse_diatheke(RENDERED)
    assert verses[("Genesis", 1, 1)] == "In the beginning, God created the heavens."
    assert verses[("Psalms", 23, 1)] == "The LORD is my shepherd; I shall not want."
    assert verses[("Psalms", 119, 1)] == "Blessed are those & more who walk in the law."
    assert verses[("Song of Solomon", 1, 1)] == "The song of songs."
    assert verses[("Revelation of John", 22, 21)] == "Amen."
    assert len(verses) == 5


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> list[bibles.Verse]:
    data = tmp_path_factory.mktemp("bibles")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BUILDREAL_DATA_DIR", str(data))
        assert bibles.fetch_bibles() is True
        assert bibles.fetch_bibles() is False  # the second run only finds the export
        return bibles.load_verses()


def test_export_aligns_the_three_translations_verse_by_verse(exported: list[bibles.Verse]) -> None:
    by_ref = {v.ref: v for v in exported}
    john = by_ref["John 3:16"]
    assert "loved the world" in john.web and "loved the world" in john.kjv
    assert "amó Dios al mundo" in john.spa
    assert 30_000 < len(exported) < 31_200  # the protestant canon shared by all three
    assert all(v.web and v.kjv and v.spa for v in exported)


def test_held_out_books_never_reach_training(exported: list[bibles.Verse]) -> None:
    groups = bibles.by_split(exported)
    books = {name: {v.book for v in verses} for name, verses in groups.items()}
    assert books["test"] == set(bibles.TEST_BOOKS)
    assert books["valid"] == set(bibles.VALID_BOOKS)
    assert not books["train"] & (books["test"] | books["valid"])
    short = bibles.short_verses(exported)
    assert 12_000 < len(short) < 13_000  # both sides at most 20 words, as issue 21 counts
    assert all(len(v.web.split()) <= 20 and len(v.spa.split()) <= 20 for v in short)


def test_missing_export_names_the_fetch_command(tmp_path: Path) -> None:
    with pytest.raises(DataUnavailable, match="buildreal data fetch bibles"):
        bibles.load_verses(tmp_path / "verses.tsv")


def test_dictionary_ranks_the_word_before_phrases_filed_under_it() -> None:
    words = load_freedict()
    assert len(words) > 4_000
    assert words["good"][0] == "bueno"
    assert words["world"] == ["mundo"]
    assert "amor" in words["love"]


def test_dictionary_entry_splits_numbered_senses() -> None:
    pron, senses = parse_entry("love /lʌv/\n1. amar, querer\n2. amor\n")
    assert pron == "lʌv"
    assert senses == ["amar", "querer", "amor"]
