"""``find`` on PostgreSQL: the same hits as the SQLite engine's full-text tables.

Cards: SQLite's trigram table finds a typed text (three characters or more) inside the
name, the company, an e-mail, the phones or the phones' digits, case ignored; here each
card keeps that text folded (``client.card_text``, m004/m009) under a ``pg_trgm`` index,
searched with LIKE. History: SQLite's ``unicode61`` table (accents removed) matches
entries holding a word starting with each typed word; here ``entry.words`` is the
``tsvector`` of the accent-stripped text cut into words as unicode61 cuts it (letters
and digits; anything else separates), searched with prefix terms.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...domain.names import by_name
from ...domain.records import Entry
from ..sql.cards import ENTRY_COLUMNS

if TYPE_CHECKING:
    from ..sql.dialect import Connection


# Up to this many entries holding the searched words, ``find`` takes them all from the
# words' index and sorts them; beyond, it walks the history newest first.
FEW_HITS = 5_000


def _like(text: str) -> str:
    """``text`` as a LIKE pattern that matches it anywhere, its own % and _ literal."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class SearchQueries:
    """The search statements of the PostgreSQL engine (see the module's doc)."""

    conn: Connection

    def search_cards(self, text: str, limit: int) -> list[int]:
        from ...domain.dates import ascii_digits
        from ...domain.names import match_key

        digits = re.sub(r"[^0-9]", "", ascii_digits(text))
        needle = " ".join(text.split())
        if len(needle) >= 3:
            condition = "c.card_text LIKE dossier_fold_case(:needle)"
            named: dict[str, object] = {"needle": _like(needle), "limit": limit * 5}
            if len(digits) >= 3:
                condition += " OR c.card_text LIKE :digits"
                named["digits"] = _like(digits)
            rows = self.conn.execute(
                f"SELECT c.id, c.name FROM client c WHERE {condition} LIMIT :limit", named
            ).fetchall()
            return by_name(rows)[:limit]
        key = match_key(text)
        scanned = self.conn.execute(
            "SELECT id, name FROM client WHERE strpos(name_key, :key) > 0"
            " OR strpos(company_key, :key) > 0 OR strpos(lower(email), :key) > 0"
            " OR strpos(lower(phones), :key) > 0 ORDER BY name_key LIMIT :limit",
            {"key": key, "limit": limit},
        )
        return by_name(scanned)

    def search_history(self, text: str, limit: int) -> list[Entry]:
        words = re.findall(r"\w+", text)
        if not words:
            return []
        query = _tsquery(self.conn, words)
        if not query:  # only separators ("_"): SQLite's phrase of no word finds nothing
            return []
        # The newest hits: for a word few entries hold, from the words' index and then
        # sorted ("id + 0": not in the key's order, which the planner would otherwise
        # walk backwards through the whole history, its estimate for a prefix term
        # being far too high: 390 ms against 1.4 ms for 300 hits in a million); for a
        # word many hold, backwards by the key, which meets them at once. Which one
        # it is, the index says by counting up to a bound.
        many = (
            self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM entry WHERE words @@ CAST(:query AS tsquery)"
                " LIMIT :bound) AS hits",
                {"query": query, "bound": FEW_HITS},
            ).fetchone()[0]
            >= FEW_HITS
        )
        order = "id" if many else "id + 0"
        rows = self.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entry WHERE id IN ("
            " SELECT id FROM entry WHERE words @@ CAST(:query AS tsquery)"
            f" ORDER BY {order} DESC LIMIT :limit)"
            " ORDER BY at DESC, id DESC",
            {"query": query, "limit": limit},
        )
        return [Entry(*row) for row in rows]


def _tsquery(conn: Connection, words: list[str]) -> str:
    """Every word as a prefix term, each folded as the stored text is (accents off,
    lower case), quoted so that no word is query syntax."""
    folded = conn.execute(
        "SELECT lower(dossier_unaccent(w)) FROM unnest(CAST(:words AS text[])) AS w",
        {"words": words},
    ).fetchall()
    terms = []
    for (word,) in folded:
        for part in re.findall(r"[^\W_]+", word):  # as the stored words: no "_"
            terms.append("'" + part.replace("'", "''").replace("\\", "\\\\") + "':*")
    return " & ".join(terms)
