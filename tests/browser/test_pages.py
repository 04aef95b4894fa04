"""Every built page in Chromium, served over http from 127.0.0.1 and opened from file://: no console
errors, no request leaving the machine, every chart drawn, no serious or critical axe-core violations
(contrast in light and dark mode), and the offline search working from file://."""

from __future__ import annotations

from functools import cache

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import built_pages

from .conftest import AXE, CHART_TIMEOUT_MS, MIN_PAGES, UNDRAWN, html_root, wait_for_charts

pytestmark = pytest.mark.browser

PAGES = built_pages(html_root())
MODES = ["http", "file"]
BLOCKING_IMPACTS = {"serious", "critical"}
# What axe checks: the whole document, the theme's page furniture included.
AXE_CONTEXT = {"include": [["html"]]}


@cache
def chart_placeholders(path: str) -> dict[str, str]:
    """The chart placeholders the build wrote into a page: {id: aria-label}."""
    soup = BeautifulSoup((html_root() / path).read_text(encoding="utf-8"), "html.parser")
    return {div.get("id", ""): div.get("aria-label", "") for div in soup.select("div.vega-chart")}


CHART_PAGES = [path for path in PAGES if chart_placeholders(path)]


def require_full_build():
    assert len(PAGES) >= MIN_PAGES, (
        f"the build in {html_root()} has {len(PAGES)} pages, expected at least {MIN_PAGES}: {PAGES}")


@pytest.fixture
def url_of(served_url, file_url):
    def url(mode: str, relative_path: str) -> str:
        return {"http": served_url, "file": file_url}[mode](relative_path)
    return url


def axe_violations(page, options: dict | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page: rule, impact, the first few targets."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        assert AXE.is_file(), f"axe-core is not installed ({AXE}): run `npm ci`"
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "([context, options]) => axe.run(context, options).then(results => results.violations)",
        [AXE_CONTEXT, {"resultTypes": ["violations"], **(options or {})}],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s), e.g. "
        + "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:3])
        for v in violations if v.get("impact") in BLOCKING_IMPACTS
    ]


def describe(lines: list[str]) -> str:
    return "\n  " + "\n  ".join(lines) if lines else " none"


def test_build_has_all_pages(browser_html_dir):
    require_full_build()
    assert any(page.startswith("chapters/") for page in PAGES), f"no theme chapters in {browser_html_dir}"
    assert "search.html" in PAGES


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", PAGES)
def test_no_console_errors_and_nothing_leaves_the_machine(open_page, url_of, mode, path):
    require_full_build()
    page, console_errors, blocked = open_page(url_of(mode, path))
    wait_for_charts(page)  # drawing a chart can log errors too; test_charts_drawn checks the drawing itself
    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    except PlaywrightTimeout:
        pass
    assert not blocked, f"{path} ({mode}) tried to reach other machines:{describe(blocked)}"
    assert not console_errors, f"{path} ({mode}) logged errors:{describe(console_errors)}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", PAGES)
def test_charts_drawn(open_page, url_of, mode, path):
    require_full_build()
    if path.startswith("chapters/") and not path.endswith("-background.html"):  # background pages: 0-2 charts
        assert len(chart_placeholders(path)) >= 2, f"{path}: a theme chapter should have at least 2 charts"
    if not chart_placeholders(path):
        return  # nothing to draw: charts are drawn only into the placeholders the build writes
    page, console_errors, _ = open_page(url_of(mode, path))
    expected, drawn = wait_for_charts(page)
    assert drawn == expected, (
        f"{path} ({mode}): {drawn} of {expected} charts drawn within {CHART_TIMEOUT_MS / 1000:.0f} s; "
        f"not drawn:{describe(page.evaluate(UNDRAWN))}\nconsole errors:{describe(console_errors)}")
    assert expected == len(chart_placeholders(path)), f"{path} ({mode}): the page lost chart placeholders"


@pytest.mark.parametrize("path", CHART_PAGES)
def test_charts_keep_their_text_alternative(open_page, served_url, path):
    """A drawn chart is still announced with the description the build gave its placeholder."""
    expected = chart_placeholders(path)
    page, _, _ = open_page(served_url(path))
    wait_for_charts(page)
    # The label may stay on the placeholder or move to the drawn chart inside it.
    exposed = page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('div.vega-chart'))
        .map(chart => [chart.id, {role: chart.getAttribute('role'), label: chart.getAttribute('aria-label'),
            labels: [chart, ...chart.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))}]))""")
    lost = [f"#{chart_id}: built as role=img aria-label={label[:70]!r}…; drawn, it is "
            f"role={exposed.get(chart_id, {}).get('role')!r} aria-label={exposed.get(chart_id, {}).get('label')!r}"
            for chart_id, label in expected.items() if label not in exposed.get(chart_id, {}).get("labels", [])]
    assert all(expected.values()), f"{path}: a chart placeholder has no aria-label: {expected}"
    assert not lost, f"{path}: drawing the chart replaced its text alternative:{describe(lost)}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(open_page, url_of, path, mode, scheme):
    """All of axe's rules, none disabled and no element left out, in light and in dark mode (which
    readers switch to with the theme's button, or get from their system setting)."""
    require_full_build()
    page, _, _ = open_page(url_of(mode, path), color_scheme=scheme)
    # The button sets these two attributes; setting them directly makes the mode certain.
    page.evaluate("mode => { document.documentElement.dataset.mode = mode; document.documentElement.dataset.theme = mode; }",
                  scheme)
    wait_for_charts(page)  # check the page as readers see it, charts included
    violations = axe_violations(page)
    assert not violations, f"{path} ({mode}, {scheme}): serious or critical axe-core violations:{describe(violations)}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_targeted_passage_is_readable(open_page, served_url, scheme):
    """Every quote links to its passage in sources.html, which is then highlighted (p.passage:target)."""
    page, _, _ = open_page(served_url("sources.html"), color_scheme=scheme)
    passage_id = page.locator("p.passage[id]").first.get_attribute("id")
    page.goto(served_url(f"sources.html#{passage_id}"))
    page.evaluate("mode => { document.documentElement.dataset.mode = mode; document.documentElement.dataset.theme = mode; }",
                  scheme)
    assert page.evaluate("id => document.getElementById(id).matches(':target')", passage_id)
    violations = axe_violations(page, {"runOnly": {"type": "rule", "values": ["color-contrast"]}})
    assert not violations, f"sources.html#{passage_id} ({scheme}): contrast violations:{describe(violations)}"


def test_search_works_offline(open_page, file_url):
    page, console_errors, blocked = open_page(file_url("search.html?q=CPEC"))
    results = page.locator("#search-results ul.search li a")
    try:
        results.first.wait_for(state="attached", timeout=15_000)
    except PlaywrightTimeout:
        status = page.locator("#search-results").inner_text() if page.locator("#search-results").count() else ""
        pytest.fail(f"no search results for 'CPEC' from file:// within 15 s; #search-results: {status!r}; "
                    f"console errors:{describe(console_errors)}")
    assert results.count() >= 1
    assert not blocked, f"search tried to reach other machines:{describe(blocked)}"


def test_search_from_file_logs_no_errors(open_page, file_url):
    page, console_errors, blocked = open_page(file_url("search.html?q=CPEC"))
    page.locator("#search-results ul.search li a").first.wait_for(state="attached", timeout=15_000)
    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    except PlaywrightTimeout:
        pass
    page.wait_for_timeout(300)  # searchtools shows results one by one, a few milliseconds apart
    assert not blocked, f"search tried to reach other machines:{describe(blocked)}"
    assert not console_errors, f"searching from file:// logged errors:{describe(console_errors)}"


def test_requests_to_other_machines_are_blocked_and_recorded(open_page, served_url):
    """The guard itself: a request to another machine is aborted and shows up in blocked_requests."""
    page, _, blocked = open_page(served_url("index.html"))
    reached = page.evaluate(
        "() => fetch('https://example.com/handbook-probe').then(() => true, () => false)")
    page.evaluate("""() => new Promise(done => {
        const socket = new WebSocket('wss://example.com/handbook-probe');
        socket.onclose = socket.onerror = () => done();
    })""")
    assert not reached
    assert any(entry.startswith("GET https://example.com/handbook-probe") for entry in blocked), blocked
    assert "WebSocket wss://example.com/handbook-probe" in blocked, blocked
