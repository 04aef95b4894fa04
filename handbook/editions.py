"""Editions of the handbook, derived from the briefs' `added` dates: each date on which briefs entered
the handbook starts an edition, numbered from 1. The citation, the footer, the PDF title page and the
"What changed" page all read the edition from here, so none of them is typed by hand."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from handbook.briefs import Brief


@dataclass(frozen=True)
class Edition:
    number: int
    date: str  # the `added` date of its briefs, YYYY-MM-DD; "" for briefs that never had one
    briefs: tuple[Brief, ...]

    @property
    def date_text(self) -> str:
        return dt.date.fromisoformat(self.date).strftime("%-d %B %Y") if self.date else "date not recorded"


def editions(briefs: list[Brief]) -> list[Edition]:
    dates = sorted({brief.added for brief in briefs})
    return [Edition(number, date, tuple(sorted((b for b in briefs if b.added == date), key=lambda b: b.label)))
            for number, date in enumerate(dates, start=1)]


def current(briefs: list[Brief]) -> Edition:
    return editions(briefs)[-1]


def build_date() -> str:
    """Today, or the date SOURCE_DATE_EPOCH names, so a rebuild of the same sources can match byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.date().isoformat()


def citation_file(root: Path) -> dict:
    return yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))


def editors(citation: dict) -> str:
    names = [author.get("name") or f"{author.get('given-names', '')} {author.get('family-names', '')}".strip()
             for author in citation["authors"]]
    return ", ".join(names)


def handbook_citation(citation: dict, edition: Edition) -> str:
    return f"{editors(citation)}, {citation['title']}, edition {edition.number}, {edition.date_text}"


def editions_table(briefs: list[Brief]) -> pd.DataFrame:
    frame = pd.DataFrame([
        {"Edition": edition.number, "Date": edition.date or "not recorded",
         "Briefs added": "; ".join(f"{b.label}: {b.title}" for b in edition.briefs)}
        for edition in editions(briefs)
    ])
    frame.attrs = {"briefs": [b.label for b in briefs], "files": "data/briefs/ (field 'added')"}
    return frame


def citations_table(root: Path, briefs: list[Brief]) -> pd.DataFrame:
    """How to cite the handbook, a passage of it and a brief, with real examples from the current edition."""
    citation, edition = citation_file(root), current(briefs)
    handbook = handbook_citation(citation, edition)
    brief = edition.briefs[0]
    passage = brief.passages[min(6, len(brief.passages) - 1)]
    source = f"{', '.join(brief.authors) + ', ' if brief.authors else ''}{brief.title}, {brief.institution}, {brief.date_text}"
    frame = pd.DataFrame([
        {"What you cite": "The handbook", "Cite it as": handbook + "."},
        {"What you cite": "A passage it prints", "Cite it as": f"{brief.label}, passage {passage.id}, in {handbook}, Sources appendix."},
        {"What you cite": "A brief itself", "Cite it as": source + (f", {brief.url}." if brief.url else ".")},
    ])
    frame.attrs = {"briefs": [brief.label], "files": "CITATION.cff, data/briefs/"}
    return frame
