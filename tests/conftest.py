"""Shared fixtures: the project, its data, and the built book (make book builds it before the tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from handbook.corpus import load_corpus
from handbook.project import STAMP, is_current
from tests import hostile

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "pdf"
REAL_BRIEF = "state-2015"
CHAPTERS = ["afghanistan", "china", "india", "economics", "security", "governance"]


def built_pages(html: Path) -> list[str]:
    """Every page of a build, relative to its root ('chapters/china.html'); assets, sources and
    hidden folders hold no pages."""
    if not html.is_dir():
        return []
    return sorted(path.relative_to(html).as_posix() for path in html.rglob("*.html")
                  if not any(part.startswith(("_", ".")) for part in path.relative_to(html).parts))


@pytest.fixture(scope="session", autouse=True)
def _compute_afresh_under_mutation_testing():
    """Under `make mutate` (mutmut sets MUTANT_UNDER_TEST) nothing is read from _build/cache: its keys
    hold the text of the code, which is one file for every mutant, so a mutant of the tagger or of the
    suggestions would read what another run wrote, and survive."""
    if "MUTANT_UNDER_TEST" not in os.environ:
        yield
        return
    module = sys.modules["handbook.build_cache"]
    kept = module.kept
    module.kept = lambda folder, name, key, compute: compute()
    yield
    module.kept = kept


@pytest.fixture
def project(tmp_path):
    """A copy of the project's data/ (and the marker file that makes it a project)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "_config.yml", tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def corpus():
    return load_corpus(ROOT)


def assert_built_from_this_tree(output: Path, make: str) -> None:
    """Fail, rather than test an old build, unless `output` was built from the files as they are now."""
    stamp = output / STAMP
    if not stamp.is_file():
        pytest.fail(f"{output} holds no finished build: run `make {make}` (or `make test`, which builds it) first")
    if not is_current(output, ROOT):
        pytest.fail(f"{output} was built from an older state of the files: run `make {make}` "
                    "(or `make test`, which rebuilds it) first")


@pytest.fixture(scope="session")
def html_dir() -> Path:
    assert_built_from_this_tree(HTML, "html")
    return HTML


@pytest.fixture(scope="session")
def pdf_dir() -> Path:
    """The PDF editions; make copies the LaTeX build's stamp beside them after the copies."""
    assert_built_from_this_tree(PDF, "pdf")
    return PDF


@pytest.fixture(scope="session")
def page(html_dir):
    cache = {}

    def parse(name: str) -> BeautifulSoup:
        if name not in cache:
            cache[name] = BeautifulSoup((html_dir / name).read_text(encoding="utf-8"), "html.parser")
        return cache[name]

    return parse


def build_html(project: Path) -> subprocess.CompletedProcess:
    """Build a project's HTML as `make html` does, in a clean environment of its own."""
    env = {key: value for key, value in os.environ.items() if key != "HANDBOOK_ROOT"}
    result = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(project),
                             "--builder", "html", "--warningiserror", "--quiet"],
                            cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory):
    """A copy of the project, built, then rebuilt after an editor adds the hostile brief and a real one.

    Returns the rebuilt HTML folder and the chapter pages as they were before the briefs were added.
    """
    project = tmp_path_factory.mktemp("handbook-copy")
    shutil.copytree(ROOT, project, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".venv", "_build", "node_modules", ".git", ".pytest_cache", "tests"))
    (project / "node_modules").symlink_to(ROOT / "node_modules")  # Vega, which every build ships
    build_html(project)
    html = project / "_build" / "html"
    before = {path.relative_to(html).as_posix(): path.read_text(encoding="utf-8") for path in html.rglob("*.html")}
    (project / "data" / "briefs" / f"{hostile.BRIEF_ID}.md").write_text(hostile.BRIEF, encoding="utf-8")
    # and a real brief the book has never seen: a U.S. government fact sheet, in the public domain
    shutil.copy(ROOT / "tests" / "fixtures" / f"{REAL_BRIEF}.md", project / "data" / "briefs")
    with (project / "data" / "events.csv").open("a", encoding="utf-8") as events:
        events.write(hostile.EVENT_ROW)
    build_html(project)
    return html, before
