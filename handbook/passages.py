"""Passages as a table."""

from __future__ import annotations

import pandas as pd

from handbook.briefs import Brief
# The quote check lives with the verbatim checks; positions and tests import it under this name.
from handbook.verbatim import ELLIPSIS, in_passage as quote_in_passage  # noqa: F401


def passages_frame(briefs: list[Brief]) -> pd.DataFrame:
    rows = [
        {"passage_id": p.id, "brief_id": p.brief_id, "number": p.number, "text": p.text,
         "kind": p.kind, "line": p.line}
        for brief in briefs for p in brief.passages
    ]
    return pd.DataFrame(rows, columns=["passage_id", "brief_id", "number", "text", "kind", "line"])
