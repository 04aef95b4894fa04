"""The brief × theme matrix (table and heat map) and every chapter's coverage table lead, in Chromium,
to exactly the passages they count: the explorer opened pre-filtered through its URL, also from file://."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.conftest import CHAPTERS

from .conftest import html_root, wait_for_charts

pytestmark = pytest.mark.browser


def _links(page_name: str) -> list[str]:
    soup = BeautifulSoup((html_root() / page_name).read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.select("table.handbook-table a.explorer-link")]


def _expected(corpus, href: str) -> int:
    query = parse_qs(urlsplit(href).query)
    brief = next(b for b in corpus.briefs if b.label == query["brief"][0])
    on_theme = corpus.on_theme(query["theme"][0]) & (corpus.passages["brief_id"] == brief.id)
    return int(on_theme.sum())


def _filtered(page) -> tuple[int, list[str], list[str]]:
    """What the explorer shows: the count it announces, and the brief and themes of every row it lists."""
    page.wait_for_selector("#explorer-filter:not([hidden])", timeout=15_000)
    note = page.locator("#explorer-filter").inner_text()
    count = int(re.search(r"Showing (\d+) passages", note).group(1))
    page.select_option("select[name$='_length'], .dt-length select", "500")
    rows = page.locator("#every-passage-table tbody tr").all()
    cells = [row.locator("td").all_inner_texts() for row in rows]
    cells = [row for row in cells if len(row) > 2]
    return count, [row[1] for row in cells], [row[2] for row in cells]


@pytest.mark.parametrize("mode", ["file", "http"])
def test_every_matrix_cell_opens_its_passages(open_page, served_url, file_url, corpus, mode):
    links = _links("introduction.html")
    assert len(links) == len(corpus.briefs) * len(corpus.codebook.themes)
    base = {"file": file_url, "http": served_url}[mode]("introduction.html")
    for href in (links if mode == "file" else links[:3]):
        page, errors, blocked = open_page(urljoin(base, href))
        count, briefs, themes = _filtered(page)
        query = parse_qs(urlsplit(href).query)
        assert count == _expected(corpus, href) == len(briefs), href
        assert set(briefs) <= {query["brief"][0]}
        assert all(query["theme"][0] in row.split(", ") for row in themes), href
        assert not errors and not blocked
        page.close()


def test_the_heat_map_cells_open_the_same_passages(open_page, served_url, corpus):
    """Clicking a cell of the heat map opens the explorer on the passages that cell counts."""
    links = {parse_qs(urlsplit(href).query)["brief"][0] + "|" + parse_qs(urlsplit(href).query)["theme"][0]: href
             for href in _links("introduction.html")}
    themes = {theme.id: theme.label for theme in corpus.codebook.themes.values()}
    for key in list(links)[::7]:
        brief, theme = key.split("|")
        page, errors, _ = open_page(served_url("introduction.html"))
        wait_for_charts(page)
        cell = page.locator(f'div.vega-chart path[aria-label^="{brief}, {themes[theme]}:"]')
        with page.expect_navigation():
            cell.first.click(position={"x": 4, "y": 4})  # the corner: the number in the middle is a link too
        assert page.url == urljoin(served_url("introduction.html"), links[key])
        count, briefs, _ = _filtered(page)
        assert count == _expected(corpus, links[key]) == len(briefs)
        assert not errors
        page.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_coverage_table_cells_open_their_passages(open_page, file_url, corpus, chapter):
    links = _links(f"chapters/{chapter}.html")
    assert len(links) == 2 * len(corpus.briefs)  # "On this theme" and "Share (%)", one row per brief
    href = max(links, key=lambda link: _expected(corpus, link))
    page, errors, _ = open_page(urljoin(file_url(f"chapters/{chapter}.html"), href))
    count, briefs, _ = _filtered(page)
    assert count == _expected(corpus, href) == len(briefs) > 0
    assert not errors


@pytest.mark.parametrize("width", [390, 1280])
def test_coverage_chart_fits_and_stays_readable(open_page, served_url, width):
    page, _, _ = open_page(served_url("chapters/china.html"))
    page.set_viewport_size({"width": width, "height": 900})
    wait_for_charts(page)
    sizes = page.evaluate("""() => {
        const chart = Array.from(document.querySelectorAll('div.vega-chart'))
            .find(c => c.textContent.includes('share of words'));
        const svg = chart.querySelector('svg');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return {right: svg.getBoundingClientRect().right, width: window.innerWidth,
                smallest: Math.min(...Array.from(svg.querySelectorAll('text'))
                    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale))};
    }""")
    assert sizes["right"] <= sizes["width"]
    assert sizes["smallest"] >= 8, sizes
