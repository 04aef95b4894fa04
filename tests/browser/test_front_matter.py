"""The hostile brief's front matter (tests/hostile.py), in Chromium: on every page that prints a field,
nothing runs, the field reads as the brief wrote it, and no link leads to a script."""

from __future__ import annotations

import pytest

from tests import hostile

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# page -> the front-matter values a reader must see there, character for character
SHOWN = {
    "sources.html": [hostile.TITLE, hostile.AUTHOR, hostile.INSTITUTION, hostile.URL, hostile.LABEL],
    "bibliography.html": [hostile.TITLE, hostile.AUTHOR, hostile.INSTITUTION, hostile.URL, hostile.LABEL],
    "what-changed.html": [hostile.TITLE, hostile.INSTITUTION, hostile.LABEL],
    "timeline.html": [hostile.LABEL],
    "explorer.html": [hostile.LABEL],
}
LINK_SCHEMES = "() => Array.from(document.querySelectorAll('a[href], area[href]')).map(a => a.protocol)"


def _squeezed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", SHOWN)
def test_front_matter_shows_as_text_and_runs_nothing(hostile_build, open_page, name):
    page, errors, blocked = open_page((hostile_build[0] / name).as_uri())
    if name == "explorer.html":
        page.wait_for_selector("table.dataTable tbody tr", timeout=15000)
        page.locator(".dt-search input, .dataTables_filter input").first.fill(hostile.BRIEF_ID)
        page.wait_for_function("id => document.querySelector('table.dataTable tbody').innerText.includes(id)",
                               arg=hostile.BRIEF_ID, timeout=10000)
    text = _squeezed(page.locator("main").inner_text())
    for value in SHOWN[name]:
        assert _squeezed(value) in text, (name, value)
    assert page.evaluate("() => window.__pwned") is None
    assert set(page.evaluate(LINK_SCHEMES)) <= {"http:", "https:", "file:"}
    assert not errors and not blocked


def test_the_brief_url_is_a_plain_link(hostile_build, open_page):
    page, _, _ = open_page((hostile_build[0] / "bibliography.html").as_uri())
    links = page.evaluate("url => Array.from(document.querySelectorAll('a'))"
                          ".filter(a => a.getAttribute('href') === url).map(a => a.innerText)", hostile.URL)
    assert links == [hostile.URL]
