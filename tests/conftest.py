"""Shared fixtures: the project, its data, and the built book (make book builds it before the tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from handbook.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "pdf"
CHAPTERS = ["afghanistan", "china", "india", "economics", "security"]


@pytest.fixture(scope="session")
def corpus():
    return load_corpus(ROOT)


@pytest.fixture(scope="session")
def html_dir() -> Path:
    if not (HTML / "index.html").exists():
        pytest.fail("the book is not built: run `make book` (or `make test`, which builds it) first")
    return HTML


@pytest.fixture(scope="session")
def page(html_dir):
    cache = {}

    def parse(name: str) -> BeautifulSoup:
        if name not in cache:
            cache[name] = BeautifulSoup((html_dir / name).read_text(encoding="utf-8"), "html.parser")
        return cache[name]

    return parse
