"""BibTeX entries for the briefs, offered for download on the bibliography page.

Every character of a field is kept: pylatexenc writes the LaTeX for it. Braces are written as
\\textbraceleft and \\textbraceright, never as \\{ and \\}, because BibTeX counts every brace, escaped
or not, and one unmatched brace in a title would end the field and let the rest become new fields.
"""

from __future__ import annotations

from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

from handbook.briefs import Brief

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# The fields entry() writes, and no others.
FIELDS = ("author", "title", "editor", "institution", "type", "year", "month", "url", "note")

# Text-mode commands for the characters whose default LaTeX is unsafe in BibTeX (braces) or
# would print another character (straight quotes would become curly ones).
_OVERRIDES = UnicodeToLatexConversionRule(RULE_DICT, {
    ord("{"): r"\textbraceleft", ord("}"): r"\textbraceright", ord('"'): r"\textquotedbl",
    ord("'"): r"\textquotesingle", ord("`"): r"\textasciigrave", ord("<"): r"\textless", ord(">"): r"\textgreater",
})
_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[_OVERRIDES, "defaults"], non_ascii_only=False,
    replacement_latex_protection="braces-all", unknown_char_policy="keep", unknown_char_warning=False,
)


def latex(text: str) -> str:
    """The LaTeX that typesets exactly `text`, with no unbalanced brace."""
    return _ENCODER.unicode_to_latex(text)


def _name(name: str) -> str:
    # BibTeX splits a field's names at each " and ": a name holding the word is kept whole in braces.
    encoded = latex(name)
    return "{" + encoded + "}" if " and " in f" {name.lower()} " else encoded


def _field(name: str, value: str) -> str:
    return f"  {name} = {{{value}}},"


def entry(brief: Brief) -> str:
    # With no named author the institution is the author; double braces keep it one corporate name.
    author = " and ".join(_name(name) for name in brief.authors) if brief.authors else "{" + latex(brief.institution) + "}"
    lines = [_field("author", author),
             # Extra braces keep the title's capitals (U.S., Pakistan), which bibliography styles would lower.
             _field("title", "{" + latex(brief.title) + "}")]
    if brief.editors:
        lines.append(_field("editor", " and ".join(_name(name) for name in brief.editors)))
    lines.append(_field("institution", latex(brief.institution)))
    if brief.kind:
        lines.append(_field("type", latex(brief.kind)))
    lines.append(_field("year", brief.date[:4]))
    lines.append(f"  month = {MONTHS[int(brief.date[5:7]) - 1]},")
    if brief.url:
        # Validated as an http(s) address of RFC 3986 characters only: no brace or backslash to escape.
        lines.append(_field("url", brief.url))
    lines.append(_field("note", latex(f"Cited in the handbook as {brief.label}")))
    return f"@techreport{{{brief.id},\n" + "\n".join(lines) + "\n}\n"


def bibtex(briefs: list[Brief]) -> str:
    return "\n".join(entry(brief) for brief in briefs)
