"""What a learner's browser receives for pack Markdown: structure, math, code, links, and
nothing executable whatever an author (or an attacker with commit access) writes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buildreal.packs.render import render_inline, render_markdown, sanitize


def _urls(**overrides):
    urls = {
        "link_for": lambda item_id: f"/c/sample/{item_id}/",
        "figure_url": lambda name: f"/media/figures/sample/{name}",
        "glossary_url": lambda term: f"/c/sample/glossary/#term-{term}",
    }
    urls.update(overrides)
    return urls


@pytest.mark.parametrize("kind, title", [
    ("peers-get-wrong", "What peers get wrong"),
    ("takeaway", "Practical takeaway"),
    ("limits", "Honest about limits"),
    ("note", "Note"),
])
def test_callout_becomes_an_aside_with_its_heading(kind: str, title: str) -> None:
    html = render_markdown(f"::: {kind}\nBody *text*.\n:::\n")

    assert html.startswith(f'<aside class="callout callout-{kind}" role="note">'
                           f'<p class="callout-title">{title}</p>')
    assert "<p>Body <em>text</em>.</p>\n</aside>" in html


def test_key_term_callout_shows_the_term() -> None:
    html = render_markdown("::: key-term Gradient descent\nStepping downhill.\n:::\n")

    assert ('<aside class="callout callout-key-term" role="note"><p class="callout-title">'
            'Key term: '
            '<dfn>Gradient descent</dfn></p>') in html


def test_reveal_is_a_details_element_with_its_label() -> None:
    html = render_markdown("::: reveal Show the answer\nIt is **42**.\n:::\n\nAfter.\n")

    assert html.startswith('<details class="callout callout-reveal"><summary>Show the answer'
                           '</summary>')
    assert "<p>It is <strong>42</strong>.</p>\n</details>\n<p>After.</p>" in html


def test_nested_callouts_close_in_order() -> None:
    source = ":::: note\nOuter.\n\n::: reveal Inner\nHidden.\n:::\n\nStill outer.\n::::\n"

    html = render_markdown(source)

    assert html.index("</details>") < html.index("Still outer") < html.index("</aside>")


def test_math_is_typeset_on_the_server_as_html_and_mathml() -> None:
    html = render_markdown("Inline $a < b$ here.\n\n$$\n\\sum_i x_i > 0\n$$\n")

    assert '<span class="math-inline"><span class="katex"><span class="katex-mathml"><math' in html
    assert '<annotation encoding="application/x-tex">a &lt; b</annotation>' in html
    assert '<div class="math-display"><span class="katex-display">' in html
    assert r"\(" not in html and r"\[" not in html  # no raw TeX left for a script


def test_dollar_amounts_are_not_math() -> None:
    html = render_markdown("A GPU hour costs $2 and a CPU hour $0.10.")

    assert "math" not in html
    assert "$2 and a CPU hour $0.10." in html


def test_python_code_is_highlighted_and_no_run_flag_is_dropped() -> None:
    html = render_markdown("```python no-run\nimport torch\nx = 1 < 2\n```\n")

    assert html.startswith('<div class="highlight"><pre tabindex="0"><code>')
    assert '<span class="kn">import</span>' in html
    assert '<span class="o">&lt;</span>' in html
    assert "no-run" not in html


def test_code_in_an_unknown_language_is_escaped_plain_text() -> None:
    html = render_markdown("```klingon\n<b>qapla'</b>\n```\n")

    assert "&lt;b&gt;qapla'&lt;/b&gt;" in html
    assert "<b>" not in html


def test_item_and_glossary_links_go_through_the_url_callbacks() -> None:
    html = render_markdown("[lab](item:m1-l1-lab), [rate](item:m2-l1#choosing), "
                           "[term](glossary:overfitting)", **_urls())

    assert '<a href="/c/sample/m1-l1-lab/" class="item-link"' in html
    assert '<a href="/c/sample/m2-l1/#choosing" class="item-link"' in html
    assert '<a href="/c/sample/glossary/#term-overfitting" class="glossary-link"' in html


def test_headings_get_the_ids_that_anchor_links_use() -> None:
    html = render_markdown("# Gradient descent\n\n## Choosing a learning rate\n")

    assert '<h1 id="gradient-descent">' in html
    assert '<h2 id="choosing-a-learning-rate">' in html


def test_figures_go_through_figure_url_and_other_images_are_dropped() -> None:
    html = render_markdown("![Loss curves](figures/loss_curves.svg)\n\n"
                           "![tracker](https://evil.example/pixel.png)", **_urls())

    assert ('<img class="figure" src="/media/figures/sample/loss_curves.svg" '
            'alt="Loss curves" loading="lazy">') in html
    assert "evil.example" not in html
    assert "tracker" in html  # the alt text stays readable


def test_tables_and_definition_lists_render() -> None:
    html = render_markdown("| a | b |\n|--:|:--|\n| 1 | 2 |\n\nTerm\n: Meaning\n")

    assert '<th style="text-align:right">a</th>' in html
    assert "<dl>\n<dt>Term</dt>\n<dd>Meaning</dd>\n</dl>" in html


HOSTILE = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src='https://evil.example'></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "::: note\n<svg onload=alert(1)>\n:::\n",
    "::: key-term <img src=x onerror=alert(1)>\nx\n:::\n",
    "::: reveal <script>alert(1)</script>\nx\n:::\n",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "$</span><script>alert(1)</script>$",
    '```python"><script>alert(1)</script>\nx\n```\n',
    "[x](item:a\"onmouseover=\"alert(1))",
]


class _Elements(HTMLParser):
    """The real elements and attributes in HTML (escaped text does not count)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


# KaTeX's typeset math sizes its boxes with inline em lengths, nothing else.
KATEX_GEOMETRY = re.compile(r"((height|vertical-align|top|bottom|margin-(left|right)|width|"
                            r"min-width|padding-left|border-bottom-width):-?[0-9.]+em;?)+")


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_comes_out_inert(source: str) -> None:
    html = render_markdown(source) + render_inline(source)

    for tag, attrs in _elements(html):
        assert tag not in {"script", "iframe", "svg", "object", "embed", "style", "form"}
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name != "style" or value in ("text-align:left", "text-align:right") \
                or KATEX_GEOMETRY.fullmatch(value or ""), value
            if name in ("href", "src"):
                scheme = (value or "").strip().split(":", 1)[0].lower()
                assert scheme not in {"javascript", "data", "vbscript"}, value


def test_link_callback_returning_javascript_is_still_neutralised() -> None:
    html = render_markdown("[x](item:m1)", **_urls(link_for=lambda _: "javascript:alert(1)"))

    assert "javascript:" not in html


def test_sanitizer_drops_tags_attributes_and_classes_the_renderer_never_writes() -> None:
    dirty = ('<aside class="callout evil" id="x" onclick="f()"><form action="/x">'
             '<input name="p"></form><p class="callout-title">T</p></aside>')

    assert sanitize(dirty) == '<aside class="callout"><p class="callout-title">T</p></aside>'


def test_render_inline_has_no_paragraph_and_keeps_math() -> None:
    html = render_inline("Pick **this** when $x^2 < 4$.")

    assert html.startswith('Pick <strong>this</strong> when <span class="math-inline">'
                           '<span class="katex">')
    assert html.endswith("</span></span>.") and "<p>" not in html


def test_raw_html_written_by_an_author_is_shown_as_text() -> None:
    html = render_markdown("Use <b>bold</b> sparingly.")

    assert html == "<p>Use &lt;b&gt;bold&lt;/b&gt; sparingly.</p>\n"


MARKDOWNISH = st.lists(
    st.sampled_from(list("abc <>\"'=:/()[]!#*$`\\\n-|&;") + [
        "<script>", "javascript:", "onerror=", "::: note", "::: reveal x", ":::",
        "```python", "$$", "item:", "glossary:", "](", "<img src=x ", "figures/a.svg"]),
    max_size=40).map("".join)


@settings(max_examples=80, deadline=None)
@given(source=MARKDOWNISH)
def test_any_markdown_renders_without_error_or_live_markup(source: str) -> None:
    html = render_markdown(source) + render_inline(source)

    for tag, attrs in _elements(html):
        assert tag not in {"script", "iframe", "svg", "object", "embed", "style", "form"}
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert not (value or "").strip().lower().startswith("javascript:"), value
