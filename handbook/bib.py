"""BibTeX entries for the briefs, written at build time for sphinxcontrib-bibtex."""

from __future__ import annotations

import re

from handbook.briefs import Brief

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _value(text: str) -> str:
    """A BibTeX field value: braces and backslashes would break the entry, so they go."""
    return "{" + re.sub(r"[{}\\]", "", text).replace("&", r"\&").replace("%", r"\%").replace("$", r"\$") + "}"


def entry(brief: Brief) -> str:
    # With no named author the institution is the author; double braces keep it one corporate name.
    author = " and ".join(brief.authors) if brief.authors else None
    fields = {
        "editor": " and ".join(brief.editors),
        "institution": brief.institution,
        "type": brief.kind,
        "year": brief.date[:4],
        "url": brief.url,
    }
    lines = [f"  author = {_value(author)}," if author else f"  author = {{{_value(brief.institution)}}},"]
    # Extra braces keep the title's capitals (U.S., Pakistan), which bibliography styles would lower.
    lines.append(f"  title = {{{_value(brief.title)}}},")
    lines += [f"  {name} = {_value(value)}," for name, value in fields.items() if value]
    lines.append(f"  month = {MONTHS[int(brief.date[5:7]) - 1]},")
    return f"@techreport{{{brief.id},\n" + "\n".join(lines) + "\n}\n"


def bibtex(briefs: list[Brief]) -> str:
    return "\n".join(entry(brief) for brief in briefs)
