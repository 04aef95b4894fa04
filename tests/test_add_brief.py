"""Adding a brief: one file, one rebuild, and the brief is everywhere it should be, nothing stale.

The added brief is hostile (tests/hostile.py): HTML, scripts, javascript: links, MyST directives and
roles, '</script>' in chart data, control characters and a very long line must all show as text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from handbook.briefs import read_brief
from tests import hostile
from handbook.corpus import load_corpus
from handbook.passages import quote_in_passage
from tests.conftest import CHAPTERS, REAL_BRIEF, ROOT

pytestmark = pytest.mark.slow
PAGES_WITH_BRIEF_TABLES = ["introduction.html", *[f"chapters/{c}.html" for c in CHAPTERS]]


def _soup(html: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((html / name).read_text(encoding="utf-8"), "html.parser")


def test_the_new_brief_is_in_the_sources_bibliography_and_what_changed(hostile_build):
    html, _ = hostile_build
    container = _soup(html, "sources.html").find(id=hostile.BRIEF_ID)
    brief = read_brief(html.parents[1] / "data" / "briefs" / f"{hostile.BRIEF_ID}.md")
    assert container is not None and len(container.select("p.passage")) == len(brief.passages) == len(hostile.PAYLOADS)
    assert "A Hostile <script>window.__pwned='title'</script> Brief" in _soup(html, "bibliography.html").get_text()
    changed = _soup(html, "what-changed.html").get_text()
    assert hostile.LABEL in changed and "2026-12-01" in changed
    explorer = (html / "explorer.html").read_text(encoding="utf-8")
    assert f"{hostile.BRIEF_ID}-1" in explorer


@pytest.mark.parametrize("name", PAGES_WITH_BRIEF_TABLES)
def test_every_brief_by_theme_table_and_chart_includes_it_and_none_is_stale(hostile_build, name):
    html, before = hostile_build
    assert hostile.LABEL not in before[name]
    soup = _soup(html, name)
    assert any(hostile.LABEL in table.get_text() for table in soup.select("table.handbook-table"))
    specs = [script.string for script in soup.select("script.vega-spec")]
    assert specs and all("\\u003c/script\\u003e\\u003cscript\\u003e" in spec for spec in specs)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_marks_it_not_coded_yet(hostile_build, chapter):
    html, _ = hostile_build
    soup = _soup(html, f"chapters/{chapter}.html")
    position_map = next(t for t in soup.select("table.handbook-table") if "Position map" in t.caption.get_text())
    row = next(row for row in position_map.select("tbody tr") if row.select("td")[0].get_text() == hostile.LABEL)
    cells = [cell.get_text() for cell in row.select("td")[1:]]
    assert cells and set(cells) == {"Not coded yet"}
    if chapter in ("china", "india", "afghanistan"):
        others = [p.get_text() for p in soup.select("p.quote-others")]
        assert any("Not coded yet" in text and hostile.LABEL in text for text in others)


@pytest.mark.parametrize("payload", hostile.PAYLOADS)
def test_hostile_text_is_shown_as_text(hostile_build, payload):
    html, _ = hostile_build
    container = _soup(html, "sources.html").find(id=hostile.BRIEF_ID)
    shown = [" ".join(p.get_text(" ").split()) for p in container.select("p.passage")]
    expected = " ".join(hostile.PAYLOADS[payload][1].split())
    assert any(text.endswith(expected) for text in shown), shown


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_real_new_brief_speaks_in_its_own_words_as_a_suggestion_and_changes_no_figure(hostile_build, chapter):
    html, before = hostile_build
    corpus = load_corpus(html.parents[1])
    passages = corpus.passages[corpus.on_theme(chapter) & (corpus.passages["brief_id"] == REAL_BRIEF)]
    soup = _soup(html, f"chapters/{chapter}.html")
    suggested = soup.select(f"blockquote.brief-quote.suggested.brief-{REAL_BRIEF}")
    if len(passages):
        assert suggested, f"{chapter}: the new brief has passages on the theme but is never quoted"
    for quote in suggested:
        link = quote.select_one("a[href]")["href"]
        passage_id = link.rsplit("#", 1)[-1]
        text = " ".join(quote.find("p").get_text(" ").split())
        assert passage_id.startswith(REAL_BRIEF) and quote_in_passage(text, corpus.passage_text(passage_id))
        label = quote.find_previous_sibling("p", class_="quote-position")
        assert label and "not yet reviewed by an editor" in label.get_text()
    old = BeautifulSoup(before[f"chapters/{chapter}.html"], "html.parser")
    assert [p.get_text() for p in soup.select("p.quote-agreement")] == [p.get_text() for p in old.select("p.quote-agreement")]
    agreement = [t for t in soup.select("table.handbook-table") if "How far the briefs agree" in t.caption.get_text()]
    old_agreement = [t for t in old.select("table.handbook-table") if "How far the briefs agree" in t.caption.get_text()]
    assert [t.tbody.get_text() for t in agreement] == [t.tbody.get_text() for t in old_agreement]


def test_no_page_still_counts_the_briefs_as_before(hostile_build):
    """Prose that gave the number of briefs in words goes stale when an editor adds one; sentences about
    the briefs the codebook was written beside say which ones ("of the first edition")."""
    html, _ = hostile_build
    words = "zero one two three four five six seven eight nine ten".split()
    count = words[len(load_corpus(ROOT).briefs)]
    stale = re.compile(rf"\b{count} briefs\b(?! of the first edition)", re.IGNORECASE)
    found = []
    for page in sorted(html.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for quoted in soup.select("blockquote, p.passage"):  # the briefs' own words may count anything
            quoted.decompose()
        found += [f"{page.relative_to(html)}: {match.group(0)!r}" for match in stale.finditer(soup.get_text(" "))]
    assert not found, found
