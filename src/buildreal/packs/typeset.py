"""Math typeset on the server: KaTeX under Node turns the renderer's TeX spans into
HTML + MathML, so pages ship no KaTeX JavaScript and never show raw TeX while loading.

One long-lived ``node katex_worker.js`` per process answers batches over a pipe, and
every expression is kept in memory once typeset, so a page costs at most one round trip
the first time and nothing after. Without Node or the ``katex`` package (npm ci in
scripts/setup.sh) the TeX stays as it is. No Django.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

WORKER = Path(__file__).with_name("katex_worker.js")
# What render.py writes for math (TeX HTML-escaped inside the delimiters).
_MATH = re.compile(r'(<span class="math-inline">)\\\((.*?)\\\)(</span>)'
                   r'|(<(?:span|div) class="math-display">)\\\[(.*?)\\\](</(?:span|div)>)',
                   re.DOTALL)

_lock = threading.Lock()
_process: subprocess.Popen[str] | None = None
_unavailable = False
_cache: dict[tuple[str, bool], str | None] = {}


def _worker() -> subprocess.Popen[str] | None:
    global _process, _unavailable
    if _process is not None and _process.poll() is None:
        return _process
    node = shutil.which("node")
    if _unavailable or node is None:
        _unavailable = True
        return None
    try:
        _process = subprocess.Popen([node, str(WORKER)], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, encoding="utf-8", cwd=WORKER.parent)
    except OSError:
        _unavailable = True
        return None
    return _process


def _typeset_batch(wanted: list[tuple[str, bool]]) -> None:
    """Fill the cache for ``wanted`` (expressions not typeset yet) in one round trip."""
    global _unavailable
    worker = _worker()
    if worker is None or worker.stdin is None or worker.stdout is None:
        for key in wanted:
            _cache[key] = None
        return
    try:
        worker.stdin.write(json.dumps([[tex, display] for tex, display in wanted]) + "\n")
        worker.stdin.flush()
        reply = json.loads(worker.stdout.readline() or "[]")
    except (OSError, ValueError):
        reply = []
    if len(reply) != len(wanted):  # Node without katex, or a broken pipe: keep the TeX
        _unavailable = True
        reply = [None] * len(wanted)
    for key, typeset in zip(wanted, reply, strict=True):
        _cache[key] = typeset


def typeset_html(fragment: str) -> str:
    """``fragment`` with every math span's TeX replaced by KaTeX's HTML + MathML (the
    wrapper span or div stays, so the page's styles and selectors still apply)."""
    if "math-" not in fragment:
        return fragment
    found = [(html.unescape(m.group(2) if m.group(1) else m.group(5)), not m.group(1))
             for m in _MATH.finditer(fragment)]
    if not found:
        return fragment
    with _lock:
        missing = [key for key in dict.fromkeys(found) if key not in _cache]
        if missing:
            _typeset_batch(missing)
        done = {key: _cache[key] for key in found}

    def swap(m: re.Match[str]) -> str:
        inline = bool(m.group(1))
        key = (html.unescape(m.group(2) if inline else m.group(5)), not inline)
        typeset = done.get(key)
        if typeset is None:
            return m.group(0)
        return (m.group(1) + typeset + m.group(3)) if inline else (m.group(4) + typeset
                                                                   + m.group(6))

    return _MATH.sub(swap, fragment)
