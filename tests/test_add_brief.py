"""Adding a brief: one file, one rebuild, and the brief is everywhere it should be, nothing stale.

The synthetic brief is also hostile: HTML, scripts, javascript: links, MyST directives and roles,
'</script>' in chart data, control characters and a very long line. All of it must show as text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from handbook.briefs import read_brief
from tests.conftest import CHAPTERS, ROOT

pytestmark = pytest.mark.slow

LABEL = "ZZ </script><script>window.__pwned='label'</script> 2025"
HOSTILE = f"""---
id: zz-hostile-2025
short: "{LABEL}"
title: "A Hostile <script>window.__pwned='title'</script> Brief"
authors: ["Mallory <img src=x onerror=\\"window.__pwned='author'\\">"]
institution: "Institute of {{eval}}`1+1` Testing"
date: 2025-06
perspective: Test
added: 2026-12-01
---

## Hostile <b>heading</b>

A paragraph about CPEC and China with <script>window.__pwned='inline'</script> raw HTML inside.

<script>window.__pwned='block'</script>

<img src="x" onerror="window.__pwned='img'">

A [link](javascript:window.__pwned='link') about India and BECA, and a role {{eval}}`open('/tmp/pwned-handbook', 'w')`.

```{{raw}} html
<script>window.__pwned='raw'</script>
```

```{{include}} /etc/passwd
```

Control characters: bell \x07 and escape \x1b in a passage about Afghanistan and the Taliban.

{"CPEC" * 2500} is one very long line without spaces, about China.
"""
PAYLOAD_TEXTS = ["<script>window.__pwned='block'</script>", "<img src=\"x\" onerror=\"window.__pwned='img'\">",
                 "{raw} html", "{include} /etc/passwd", "{eval}"]


def _build(project: Path):
    env = {key: value for key, value in os.environ.items() if key != "HANDBOOK_ROOT"}
    result = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(project),
                             "--builder", "html", "--warningiserror", "--quiet"],
                            cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """A copy of the project, built, then rebuilt after adding the hostile brief."""
    project = tmp_path_factory.mktemp("handbook-copy")
    shutil.copytree(ROOT, project, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".venv", "_build", "node_modules", ".git", ".pytest_cache", "tests"))
    _build(project)
    before = {name: (project / "_build" / "html" / name).read_text(encoding="utf-8")
              for name in ["introduction.html", *[f"chapters/{c}.html" for c in CHAPTERS]]}
    (project / "data" / "briefs" / "zz-hostile-2025.md").write_text(HOSTILE, encoding="utf-8")
    _build(project)
    return project / "_build" / "html", before


def _soup(html: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((html / name).read_text(encoding="utf-8"), "html.parser")


def test_the_new_brief_is_in_the_sources_bibliography_and_what_changed(rebuilt):
    html, _ = rebuilt
    sources = _soup(html, "sources.html")
    container = sources.find(id="zz-hostile-2025")
    brief = read_brief(html.parents[1] / "data" / "briefs" / "zz-hostile-2025.md")
    assert container is not None and len(container.select("p.passage")) == len(brief.passages) == 8
    assert "A Hostile <script>window.__pwned='title'</script> Brief" in _soup(html, "bibliography.html").get_text()
    changed = _soup(html, "what-changed.html").get_text()
    assert LABEL in changed and "2026-12-01" in changed


def test_every_brief_by_theme_table_and_chart_includes_it(rebuilt):
    html, before = rebuilt
    for name in ["introduction.html", *[f"chapters/{c}.html" for c in CHAPTERS]]:
        soup = _soup(html, name)
        assert LABEL not in before[name] or name == "introduction.html"
        tables = soup.select("table.handbook-table")
        assert any(LABEL in table.get_text() for table in tables), name
        assert any("zz-hostile-2025" in s.string or "ZZ \\u003c/script" in s.string
                   for s in soup.select("script.vega-spec")), name


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_marks_it_not_coded_yet(rebuilt, chapter):
    html, _ = rebuilt
    soup = _soup(html, f"chapters/{chapter}.html")
    position_map = next(t for t in soup.select("table.handbook-table") if "Position map" in t.caption.get_text())
    column = [th.get_text() for th in position_map.select("thead th")].index(LABEL)
    cells = [row.select("td")[column].get_text() for row in position_map.select("tbody tr")]
    assert cells and set(cells) == {"not coded yet"}
    if chapter in ("china", "india", "afghanistan"):
        others = [p.get_text() for p in soup.select("p.quote-others")]
        assert any("Not coded yet" in text and LABEL in text for text in others)


def test_hostile_text_is_shown_as_text_and_never_as_markup(rebuilt):
    html, _ = rebuilt
    sources_text = _soup(html, "sources.html").get_text()
    for payload in PAYLOAD_TEXTS:
        assert payload in sources_text
    assert "\u2407" in sources_text and "\u241b" in sources_text  # control characters made visible
    for page in sorted(html.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            if "__pwned" in (script.string or ""):
                assert script.get("type") == "application/json" and "</script>" not in script.string, page
        assert not soup.select("[onerror]"), page
        assert not [a for a in soup.find_all("a", href=True) if a["href"].strip().lower().startswith("javascript:")]
    assert not Path("/tmp/pwned-handbook").exists()


@pytest.mark.browser
def test_no_payload_runs_in_chromium(rebuilt, open_page):
    html, _ = rebuilt
    pages = ["sources.html", "introduction.html", "bibliography.html", "what-changed.html",
             *[f"chapters/{c}.html" for c in CHAPTERS]]
    for name in pages:
        page, errors, blocked = open_page((html / name).as_uri())
        assert page.evaluate("() => window.__pwned") is None, name
        assert page.locator("div.vega-chart svg .marks").count() == page.locator("div.vega-chart").count() or name == "sources.html"
        page.close()
