"""The hostile brief's payloads, in Chromium: none runs, each shows as text (see tests/hostile.py)."""

from __future__ import annotations

import pytest

from tests import hostile
from tests.browser.conftest import wait_for_charts
from tests.conftest import CHAPTERS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGES = ["sources.html", "explorer.html", "introduction.html", "bibliography.html", "what-changed.html",
         *[f"chapters/{chapter}.html" for chapter in CHAPTERS]]


@pytest.fixture(scope="module")
def hostile_pages(hostile_build):
    return hostile_build[0]


@pytest.mark.parametrize("payload", hostile.PAYLOADS)
def test_payload_does_not_run_and_shows_as_text(hostile_pages, open_page, payload):
    page, errors, blocked = open_page((hostile_pages / "sources.html").as_uri())
    assert page.evaluate("() => window.__pwned") is None
    shown = page.locator(f"#{hostile.BRIEF_ID} p.passage").all_inner_texts()
    expected = " ".join(hostile.PAYLOADS[payload][1].split())
    assert any(" ".join(text.split()).endswith(expected) for text in shown)
    if payload == "very long line":
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
    assert not errors and not blocked


@pytest.mark.parametrize("name", PAGES)
def test_no_payload_runs_on_pages_that_show_the_brief(hostile_pages, open_page, name):
    page, errors, blocked = open_page((hostile_pages / name).as_uri())
    expected, drawn = wait_for_charts(page)
    assert drawn == expected
    if name == "explorer.html":
        page.wait_for_selector("table.dataTable tbody tr", timeout=15000)
    assert page.evaluate("() => window.__pwned") is None
    assert not errors and not blocked
