"""Fixtures for the browser tests: one Chromium per session, one context per test, a local web server.

The tests drive Debian's Chromium (/usr/bin/chromium) through Playwright's synchronous API; no browser is
ever downloaded. They read the built book in _build/html (HANDBOOK_HTML overrides it, e.g. for a copy) and
serve it from 127.0.0.1 on a free port. Every request a page makes is routed: requests to file:// or to
that server go through, everything else is aborted and recorded, so a test can assert nothing left the machine.

Fixtures for other tests:
    open_page(url) -> (page, console_errors, blocked_requests)
    served_url(relative_path) -> "http://127.0.0.1:<port>/<relative_path>"
    file_url(relative_path) -> "file:///.../<relative_path>"
"""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ROOT, assert_built_from_this_tree

CHROMIUM = Path(os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
MIN_PAGES = 10
CHART_TIMEOUT_MS = 10_000
# vega-embed draws into the placeholder div: an <svg class="marks"> (or a <canvas class="marks">).
DRAWN_CHART = "svg.marks, svg .marks, canvas.marks"
COUNT_DRAWN = f"""() => Array.from(document.querySelectorAll('div.vega-chart'))
    .filter(chart => chart.querySelector({DRAWN_CHART!r})).length"""
UNDRAWN = f"""() => Array.from(document.querySelectorAll('div.vega-chart'))
    .filter(chart => !chart.querySelector({DRAWN_CHART!r}))
    .map(chart => '#' + chart.id + ': ' + JSON.stringify(chart.textContent.trim().slice(0, 200)))"""


def html_root() -> Path:
    """The built HTML: HANDBOOK_HTML if set (a copy, for development), else the project's _build/html."""
    return Path(os.environ.get("HANDBOOK_HTML") or ROOT / "_build" / "html").resolve()


@pytest.fixture(scope="session")
def browser_html_dir() -> Path:
    root = html_root()
    if not (root / "index.html").is_file():
        pytest.fail(f"no built book in {root}: run `make book` first (or set HANDBOOK_HTML to a built copy)")
    if not os.environ.get("HANDBOOK_HTML"):
        assert_built_from_this_tree(root, "html")
    return root


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is the standard library's
        pass


@pytest.fixture(scope="session")
def http_server(browser_html_dir):
    """A threaded HTTP server for the HTML directory on 127.0.0.1 and a free port; its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(browser_html_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="handbook-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def served_url(http_server):
    """served_url('chapters/china.html') -> the page's URL on the local server."""
    def url(relative_path: str) -> str:
        return http_server + relative_path.lstrip("/")
    return url


@pytest.fixture(scope="session")
def file_url(browser_html_dir):
    """file_url('chapters/china.html') -> the page's file:// URL (with any '?query' or '#fragment' kept)."""
    def url(relative_path: str) -> str:
        path, sep, rest = relative_path.lstrip("/").partition("?")
        if not sep:
            path, sep, rest = path.partition("#")
        return (browser_html_dir / path).as_uri() + (sep + rest if sep else "")
    return url


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM} (Debian package 'chromium'); "
                    "deselect them with -m 'not browser'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_context(chromium, http_server):
    """A fresh context for one test. Every request is routed: file:// and the local server go on,
    all others are aborted and recorded in context.blocked_requests (and in the requesting page's list)."""
    origin = urlsplit(http_server)
    context = chromium.new_context(service_workers="block")
    context.blocked_requests = []   # every blocked request of this context
    context.page_blocks = {}        # page -> that page's list of blocked requests

    def local(url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme == "file":
            return True
        return parts.scheme == "http" and parts.hostname == origin.hostname and parts.port == origin.port

    def handle(route):
        request = route.request
        if local(request.url):
            route.continue_()
            return
        entry = f"{request.method} {request.url} ({request.resource_type})"
        context.blocked_requests.append(entry)
        try:
            owners = [context.page_blocks[request.frame.page]]
        except Exception:  # a request without a frame (e.g. a worker's): charge it to every page
            owners = list(context.page_blocks.values())
        for blocked in owners:
            blocked.append(entry)
        route.abort("blockedbyclient")

    def handle_web_socket(socket):
        if local(socket.url.replace("ws", "http", 1)):
            socket.connect_to_server()
            return
        context.blocked_requests.append(f"WebSocket {socket.url}")
        for blocked in context.page_blocks.values():
            blocked.append(f"WebSocket {socket.url}")
        socket.close()

    context.route("**/*", handle)
    context.route_web_socket("**/*", handle_web_socket)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def open_page(request):
    """open_page(url) -> (page, console_errors, blocked_requests), the page loaded (the 'load' event fired).

    console_errors collects console messages of type 'error' and uncaught exceptions ('pageerror');
    blocked_requests the requests that would have left the machine. Both keep filling while the test
    goes on using the page, so check them last. Pages opened in one test share its context."""
    def open_(url: str, wait_until: str = "load", color_scheme: str | None = None):
        browser_context = request.getfixturevalue("browser_context")  # made on first use, then the test's
        page = browser_context.new_page()
        if color_scheme:  # 'light' or 'dark': what the page's (prefers-color-scheme) media query sees
            page.emulate_media(color_scheme=color_scheme)
        console_errors: list[str] = []
        blocked = browser_context.page_blocks.setdefault(page, [])

        def on_console(message):
            if message.type == "error":
                location = message.location or {}
                where = f" ({location.get('url')}:{location.get('lineNumber')})" if location.get("url") else ""
                console_errors.append(f"console.error: {message.text}{where}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: console_errors.append(f"pageerror: {error}"))
        page.goto(url, wait_until=wait_until)
        return page, console_errors, blocked

    return open_


def wait_for_charts(page) -> tuple[int, int]:
    """Wait (up to CHART_TIMEOUT_MS) until every div.vega-chart holds a drawn chart: (placeholders, drawn)."""
    expected = page.locator("div.vega-chart").count()
    if expected:
        try:
            page.wait_for_function(f"n => ({COUNT_DRAWN})() >= n", arg=expected, timeout=CHART_TIMEOUT_MS)
        except PlaywrightTimeout:
            pass
    return expected, page.evaluate(COUNT_DRAWN)
