"""Passages as a table, and the checks that a passage or a quote is the source's own words.

Comparisons look only at letters and digits, in order: that is exactly what the allowed repairs of
conversion damage leave alone (joined lines, restored hyphens, dropped markup and footnote markers),
and exactly what a changed word breaks.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from handbook.briefs import Brief

ELLIPSIS = "…"
# Footnote markers and tags of the converted originals: <sup>1</sup>, ^{1.}, <u>.
_SOURCE_MARKUP = re.compile(r"<sup>\s*\d+\s*</sup>|\^\{\d+\.?\}|<[^>\n]{1,40}>")
MIN_PIECE = 40
MAX_PIECES = 3


def letters_and_digits(text: str) -> str:
    """Letters and decimal digits only; superscript footnote numbers (category No) drop out too."""
    return "".join(
        char for char in text if unicodedata.category(char)[0] == "L" or unicodedata.category(char) == "Nd"
    ).lower()


def source_fingerprint(source_text: str) -> str:
    return letters_and_digits(_SOURCE_MARKUP.sub(" ", source_text))


def pieces_in_source(text: str, source: str) -> list[str] | None:
    """Split the passage's letters into the fewest long runs found in order in the source.

    Returns the runs, or None when the passage cannot be read off the source: a changed or added word
    leaves a short run that fails the minimum length.
    """
    target = letters_and_digits(text)
    pieces, position, start = [], 0, 0
    while start < len(target):
        low, high = 0, len(target) - start
        while low < high:  # longest prefix of the rest found at or after position
            middle = (low + high + 1) // 2
            if source.find(target[start:start + middle], position) >= 0:
                low = middle
            else:
                high = middle - 1
        remaining = len(target) - start
        if low == 0 or (low < MIN_PIECE and low < remaining):
            return None
        found = source.find(target[start:start + low], position)
        pieces.append(target[start:start + low])
        position, start = found + low, start + low
        if len(pieces) > MAX_PIECES:
            return None
    return pieces


def quote_in_passage(quote: str, passage_text: str) -> bool:
    """A quote is verbatim when each part between ellipses appears, in order, in the passage."""
    haystack = re.sub(r"\s+", " ", passage_text)
    position = 0
    for part in (part.strip() for part in quote.split(ELLIPSIS)):
        if not part:
            continue
        found = haystack.find(re.sub(r"\s+", " ", part), position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def passages_frame(briefs: list[Brief]) -> pd.DataFrame:
    rows = [
        {"passage_id": p.id, "brief_id": p.brief_id, "number": p.number, "text": p.text,
         "kind": p.kind, "line": p.line}
        for brief in briefs for p in brief.passages
    ]
    return pd.DataFrame(rows, columns=["passage_id", "brief_id", "number", "text", "kind", "line"])
