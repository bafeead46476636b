"""Pack Markdown to sanitized HTML.

The site shows pack text as HTML, so this is a security boundary: the renderer writes only
a known set of tags and classes, and everything goes through nh3 with an explicit
allow-list at the end, so that even a bug here or a hostile pack cannot put a script, an
event handler or a ``javascript:`` URL on a learner's page.

What the renderer emits (the page's CSS and KaTeX auto-render rely on these):

- callouts: ``<aside class="callout callout-<kind>" role="note"><p class="callout-title">...</p>...
  </aside>``; ``reveal`` is ``<details class="callout callout-reveal"><summary>label
  </summary>...</details>``; a key term's title holds ``<dfn>term</dfn>``;
- math: ``<span class="math-inline">\\(...\\)</span>`` and
  ``<div class="math-display">\\[...\\]</div>``, TeX HTML-escaped; typeset.py then
  replaces the TeX inside with KaTeX's HTML + MathML (server side, no KaTeX JS on pages);
- code: Pygments ``<div class="highlight"><pre>`` with its short token classes;
- links: ``item:<id>[#anchor]`` through ``link_for(id)``, ``glossary:<term>`` through
  ``glossary_url(term)``; images ``figures/<name>`` through ``figure_url(name)``;
- headings carry the ids that ``item:<id>#anchor`` links point at.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from buildreal.packs.execute import BlockOutput
from buildreal.packs.markdown import (
    CALLOUT_KINDS,
    CALLOUT_TITLES,
    EXEC,
    PREDICT,
    WIDGET,
    WIDGETS,
    fence_language,
    make_parser,
    split_callout_info,
)
from buildreal.packs.typeset import typeset_html

LinkFor = Callable[[str], str]
OutputFor = Callable[[str], "BlockOutput | None"]  # code -> its built output
OutputUrl = Callable[[str, str], str]  # (key, file name) -> URL of a saved figure


def _default_link_for(item_id: str) -> str:
    return f"../{item_id}/"


def _default_glossary_url(term_id: str) -> str:
    return f"#glossary-{term_id}"


def _default_figure_url(name: str) -> str:
    return f"figures/{name}"


def _default_output_url(key: str, name: str) -> str:
    return f"outputs/{key}/{name}"


# --- the sanitizer's allow-list --------------------------------------------------------

_BLOCK_TAGS = {"section", "figure", "figcaption",
               "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li",
               "pre", "code", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
               "dl", "dt", "dd", "aside", "details", "summary", "div", "span", "img",
               "a", "em", "strong", "s", "dfn", "sub", "sup"}
_PYGMENTS_CLASSES = {cls for cls in STANDARD_TYPES.values() if cls}
_ALLOWED_CLASSES = {
    "aside": {"callout"} | {f"callout-{kind}" for kind in CALLOUT_KINDS},
    "details": {"callout", "callout-reveal"},
    "section": {"predict"},
    "figure": {"widget"},
    "p": {"callout-title", "predict-question"},
    "div": {"highlight", "math-display", "callout-body", "predict-slot", "widget-mount",
            "code-output", "table-scroll"},
    "pre": {"output-text"},
    "span": {"math-inline", "math-display"} | _PYGMENTS_CLASSES,
    "a": {"glossary-link", "item-link", "figure-link"},
    "img": {"figure", "output-figure"},
    "code": {"language-text"},
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "loading"},
    "th": {"style"},
    "aside": {"role"},  # role="note": a callout is not a page landmark
    "pre": {"tabindex"},  # a scrolling code block must take keyboard focus
    "td": {"style"},
    "ol": {"start"},
    "div": {"data-ordinal", "tabindex"},
    "section": {"id"},
    "figure": {"data-widget"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}


def sanitize(fragment: str) -> str:
    """Keep only what the renderer itself writes; drop everything else."""
    return nh3.clean(
        fragment,
        tags=_BLOCK_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        clean_content_tags={"script", "style"},
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# --- render rules ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter:
    return HtmlFormatter(nowrap=True)


def _highlight(code: str, language: str) -> str:
    try:
        lexer = get_lexer_by_name(language) if language else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        body = html.escape(code)
    else:
        body = highlight(code, lexer, _formatter())
    return f'<div class="highlight"><pre tabindex="0"><code>{body}</code></pre></div>\n'


def _output_html(output: BlockOutput, output_url: OutputUrl) -> str:
    parts = ['<div class="code-output">']
    if output.text:
        parts.append(f'<pre class="output-text" tabindex="0">{html.escape(output.text)}</pre>')
    for name in output.files:
        url = html.escape(output_url(output.key, name))
        parts.append(f'<img class="output-figure" src="{url}" '
                     f'alt="Figure {html.escape(name)} saved by the code above" '
                     f'loading="lazy">')
    parts.append("</div>\n")
    return "".join(parts)


def _fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    language, flags = fence_language(tokens[idx].info)  # drops "no-run" and other flags
    code = _highlight(tokens[idx].content, language)
    in_predict = any(kind.startswith(f"{PREDICT}:") for kind in env.get("_callouts", []))
    if EXEC in flags and not in_predict and env.get("outputs") is not None:
        output = env["outputs"](tokens[idx].content)
        if output is not None:
            code += _output_html(output, env["output_url"])
    return code


def _code_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return _highlight(tokens[idx].content, "")


def _math_inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f'<span class="math-inline">\\({html.escape(tokens[idx].content)}\\)</span>'


def _math_inline_display(self: Any, tokens: Sequence[Token], idx: int, options: Any,
                         env: Any) -> str:
    # $$...$$ inside a paragraph: display style, but a span so the paragraph stays valid.
    return f'<span class="math-display">\\[{html.escape(tokens[idx].content)}\\]</span>'


def _math_display(self: Any, tokens: Sequence[Token], idx: int, options: Any,
                  env: Any) -> str:
    content = tokens[idx].content.strip()
    return f'<div class="math-display">\\[{html.escape(content)}\\]</div>\n'


def _callout(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    stack: list[str] = env.setdefault("_callouts", [])
    if token.nesting == -1:
        # A closing token has no info: close whatever element its opener wrote.
        kind = stack.pop() if stack else "note"
        if kind.startswith(f"{PREDICT}:"):
            # The web layer puts the prediction form and the hidden answer in the slot.
            ordinal = kind.partition(":")[2]
            return f'<div class="predict-slot" data-ordinal="{ordinal}"></div></section>\n'
        if kind == WIDGET:
            return "</figcaption></figure>\n"
        return "</details>\n" if kind == "reveal" else "</aside>\n"
    kind, text = split_callout_info(token.info)
    if kind not in CALLOUT_KINDS:
        kind, text = "note", ""  # the validator reports it; the page still shows the text
    inline = env["_render_inline"]
    if kind == PREDICT:
        ordinal = env["_predicts"] = env.get("_predicts", 0) + 1
        stack.append(f"{PREDICT}:{ordinal}")
        question = inline(text) if text else ""
        return (f'<section class="predict" id="predict-{ordinal}">'
                f'<p class="predict-question"><strong>{html.escape(CALLOUT_TITLES[kind])}:'
                f'</strong> {question}</p>\n')
    stack.append(kind)
    if kind == WIDGET:
        name = text if text in WIDGETS else ""
        # The site's static widgets.js mounts the widget named by data-widget.
        return (f'<figure class="widget" data-widget="{html.escape(name)}">'
                f'<div class="widget-mount"></div><figcaption>\n')
    if kind == "reveal":
        label = inline(text) if text else "Show"
        return f'<details class="callout callout-reveal"><summary>{label}</summary>\n'
    title = html.escape(CALLOUT_TITLES[kind])
    if kind == "key-term" and text:
        title = f"{title}: <dfn>{inline(text)}</dfn>"
    return (f'<aside class="callout callout-{kind}" role="note">'
            f'<p class="callout-title">{title}</p>\n')


def _without_predict_answers(tokens: list[Token]) -> list[Token]:
    """Drop what follows the code inside each ``::: predict``: it is shown on reveal only."""
    kept: list[Token] = []
    skip_to_level: int | None = None
    seen_code = False
    inside: int | None = None
    for token in tokens:
        if skip_to_level is not None:
            if token.type == "container_callout_close" and token.level == skip_to_level:
                skip_to_level = None
                inside = None
                kept.append(token)
            continue
        if token.type == "container_callout_open" and inside is None \
                and split_callout_info(token.info)[0] == PREDICT:
            inside, seen_code = token.level, False
        elif inside is not None and token.type in ("fence", "code_block") and not seen_code:
            seen_code = True
            kept.append(token)
            skip_to_level = inside
            continue
        elif inside is not None and token.type == "container_callout_close" \
                and token.level == inside:
            inside = None
        kept.append(token)
    return kept


def _resolve(href: str, env: dict[str, Any]) -> str | None:
    """Map pack link schemes to site URLs; None for a pack link that cannot be mapped."""
    if href.startswith("item:"):
        target, _, anchor = href[len("item:"):].partition("#")
        if not target:
            return None
        url = env["link_for"](target)
        return f"{url}#{anchor}" if anchor else url
    if href.startswith("glossary:"):
        term = href[len("glossary:"):]
        return env["glossary_url"](term) if term else None
    return href


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    url = _resolve(href, env)
    token.attrSet("href", url if url is not None else "#")
    if href.startswith("glossary:"):
        token.attrSet("class", "glossary-link")
    elif href.startswith("item:"):
        token.attrSet("class", "item-link")
    return self.renderToken(tokens, idx, options, env)


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    if not src.startswith("figures/"):
        # Only generated figures are shown; the validator reports anything else.
        return html.escape(alt)
    url = env["figure_url"](src[len("figures/"):])
    title = token.attrGet("title")
    title_attr = f' title="{html.escape(str(title))}"' if title else ""
    # Wrapped in a link to the file itself: a tap on a phone opens the figure full size.
    return (f'<a class="figure-link" href="{html.escape(url)}">'
            f'<img class="figure" src="{html.escape(url)}" alt="{html.escape(alt)}"'
            f'{title_attr} loading="lazy"></a>')


def _table_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # A wide table scrolls inside its own box (focusable, so keyboards can scroll it)
    # instead of pushing the whole page sideways on a phone.
    return '<div class="table-scroll" tabindex="0">' + self.renderToken(tokens, idx, options,
                                                                         env)


def _table_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    md = make_parser()
    rules = md.add_render_rule
    rules("fence", _fence)
    rules("table_open", _table_open)
    rules("table_close", _table_close)
    rules("code_block", _code_block)
    rules("math_inline", _math_inline)
    rules("math_inline_double", _math_inline_display)
    rules("math_block", _math_display)
    rules("math_block_label", _math_display)
    rules("container_callout_open", _callout)
    rules("container_callout_close", _callout)
    rules("link_open", _link_open)
    rules("image", _image)
    return md


def _env(link_for: LinkFor | None, figure_url: LinkFor | None,
         glossary_url: LinkFor | None, outputs: OutputFor | None = None,
         output_url: OutputUrl | None = None) -> dict[str, Any]:
    env: dict[str, Any] = {
        "link_for": link_for or _default_link_for,
        "figure_url": figure_url or _default_figure_url,
        "glossary_url": glossary_url or _default_glossary_url,
        "outputs": outputs,
        "output_url": output_url or _default_output_url,
    }
    env["_render_inline"] = lambda text: _renderer().renderInline(
        text, {key: value for key, value in env.items() if key != "_callouts"})
    return env


def render_markdown(source: str, *, link_for: LinkFor | None = None,
                    figure_url: LinkFor | None = None,
                    glossary_url: LinkFor | None = None,
                    outputs: OutputFor | None = None,
                    output_url: OutputUrl | None = None) -> str:
    """Render a Markdown document (a lesson body, a scenario) to sanitized HTML.

    ``link_for(item_id)`` gives the URL of an item of the same course (an anchor is
    appended), ``glossary_url(term_id)`` the URL of a glossary term, ``figure_url(name)``
    the URL of a built figure (``name`` as in ``figures/<name>``, e.g. ``loss.svg``).
    ``outputs(code)`` gives the built output of a ``python exec`` block (shown under it;
    nothing is shown where it returns None), ``output_url(key, name)`` the URL of a figure
    that block saved.
    """
    env = _env(link_for, figure_url, glossary_url, outputs, output_url)
    md = _renderer()
    tokens = _without_predict_answers(md.parse(source, env))
    return typeset_html(sanitize(md.renderer.render(tokens, md.options, env)))


def render_inline(source: str, *, link_for: LinkFor | None = None,
                  figure_url: LinkFor | None = None,
                  glossary_url: LinkFor | None = None) -> str:
    """Render a short field (option text, a flashcard front) without a ``<p>`` wrapper."""
    env = _env(link_for, figure_url, glossary_url)
    return typeset_html(sanitize(_renderer().renderInline(source, env)))


def render_output(output: BlockOutput, *, output_url: OutputUrl | None = None) -> str:
    """The built output of one block (a predict's reveal) as sanitized HTML."""
    return sanitize(_output_html(output, output_url or _default_output_url))
