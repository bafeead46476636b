"""Full-text matching in the site's database: SQLite FTS5, or PostgreSQL's text search.

The table is not a Django model: it holds a copy of the packs' text (the packs are the
source of truth), rebuilt at start-up only when the passages' digest differs from the
one stored beside it. Row ids are positions in the process's passage list, which is the
same in every process serving the same packs (the digest guarantees it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import connection, transaction

from buildreal.search.passages import Passage

TABLE = "buildreal_search_fts"
META = "buildreal_search_meta"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
# Words nearly every passage holds: matched, they would rank the whole site (SQLite's
# tokenizer keeps them; PostgreSQL's English configuration drops the same kind).
STOPWORDS = frozenset(
    "a an and are as at be but by can do does for from has have how i if in into is it its "
    "me my of on or so than that the their them then there these they this to was we what "
    "when where which who why will with you your should would could".split())


def terms(query: str) -> list[str]:
    """The query's words, lower-cased (at most ``MAX_TERMS``); quoting is ours, never the
    visitor's, so no input can inject FTS or tsquery syntax."""
    return [word.lower() for word in _WORD.findall(query)][:MAX_TERMS]


def content_terms(query: str) -> list[str]:
    """``terms`` without the stop words (all of them if the query is only stop words)."""
    words = terms(query)
    return [word for word in words if word not in STOPWORDS] or words


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _create(cursor) -> None:  # noqa: ANN001
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {META} (key varchar(40) PRIMARY KEY, "
                   "value varchar(200) NOT NULL)")
    if _postgres():
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY, "
                       "title text NOT NULL, body text NOT NULL, doc tsvector NOT NULL)")
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_doc ON {TABLE} USING gin(doc)")
    else:
        cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING "
                       "fts5(title, body, tokenize='porter unicode61')")


def stored_digest() -> str:
    with connection.cursor() as cursor:
        _create(cursor)
        cursor.execute(f"SELECT value FROM {META} WHERE key = %s", ["digest"])
        row = cursor.fetchone()
    return row[0] if row else ""


def rebuild(passages: Sequence[Passage], digest: str) -> bool:
    """Refill the table unless it already holds these passages. Returns whether it did."""
    with transaction.atomic(), connection.cursor() as cursor:
        _create(cursor)
        cursor.execute(f"SELECT value FROM {META} WHERE key = %s", ["digest"])
        row = cursor.fetchone()
        if row and row[0] == digest:
            return False
        cursor.execute(f"DELETE FROM {TABLE}")
        rows = [(pid, f"{p.item_title} {p.heading}", p.text) for pid, p in enumerate(passages)]
        if _postgres():
            cursor.executemany(
                f"INSERT INTO {TABLE} (id, title, body, doc) VALUES (%s, %s, %s, "
                "setweight(to_tsvector('english', %s), 'A') || to_tsvector('english', %s))",
                [(pid, title, body, title, body) for pid, title, body in rows])
        else:
            cursor.executemany(f"INSERT INTO {TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                               rows)
        cursor.execute(f"DELETE FROM {META} WHERE key = %s", ["digest"])
        cursor.execute(f"INSERT INTO {META} (key, value) VALUES (%s, %s)", ["digest", digest])
    return True


def match(query: str, limit: int = 50) -> list[int]:
    """Passage ids whose text has any of the query's words, best first (BM25 on SQLite,
    ts_rank on PostgreSQL: both reward passages that hold more of the words)."""
    words = content_terms(query)
    if not words:
        return []
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute(
                f"SELECT id FROM {TABLE}, websearch_to_tsquery('english', %s) AS q "
                "WHERE doc @@ q ORDER BY ts_rank(doc, q) DESC, id LIMIT %s",
                [" or ".join(words), limit])
        else:
            expression = " OR ".join('"' + word.replace('"', "") + '"' for word in words)
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "
                           f"ORDER BY bm25({TABLE}, 2.0, 1.0), rowid LIMIT %s",
                           [expression, limit])
        return [int(row[0]) for row in cursor.fetchall()]
