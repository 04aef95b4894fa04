"""Escaping, checked without a browser: after the hostile brief (tests/hostile.py) is added, the built
pages hold no element, attribute or script that the book did not already write without it.

The book's own markup is learnt from the same copy built before the brief was added, so the check
needs no list kept by hand: whatever a payload could inject (a tag, an event handler, a script) is new.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from handbook.briefs import read_brief
from tests import hostile

pytestmark = pytest.mark.slow
CODE_ELEMENTS = ("script", "style")
# A script is compared without the contents of its string literals, which hold data (the explorer's
# passages, for one) and itables' fresh UUIDs; a payload that got out of its string changes the rest.
STRING_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"')
UUID = re.compile(r"[0-9a-f]{8}([-_])[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{12}")


def _markup(pages: dict[str, str]):
    """Every (element, attribute) pair, and the text of every inline script and style, in the pages."""
    pairs, code = set(), set()
    for text in pages.values():
        soup = BeautifulSoup(text, "html.parser")
        for element in soup.find_all(True):
            pairs.add((element.name, None))
            pairs.update((element.name, attribute) for attribute in element.attrs)
            if element.name in CODE_ELEMENTS and not _is_data(element):
                code.add(_code(element))
    return pairs, code


def _code(element) -> str:
    return STRING_LITERAL.sub('""', UUID.sub("UUID", element.string or ""))


def _strings(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return [value] if isinstance(value, str) else []


def _is_data(element) -> bool:
    return element.name == "script" and element.get("type") == "application/json"


@pytest.fixture(scope="module")
def pages(hostile_build):
    html, before = hostile_build
    after = {path.relative_to(html).as_posix(): path.read_text(encoding="utf-8") for path in html.rglob("*.html")}
    return before, after


def test_the_hostile_brief_reaches_every_render_path(hostile_build, pages):
    html, _ = hostile_build
    _, after = pages
    brief = read_brief(html.parents[1] / "data" / "briefs" / f"{hostile.BRIEF_ID}.md")
    assert brief.label == hostile.LABEL and brief.notes == [("1", hostile.NOTE)]
    sources = BeautifulSoup(after["sources.html"], "html.parser").find(id=hostile.BRIEF_ID)
    assert hostile.HEADING in [heading.get_text() for heading in sources.select(".source-heading")]
    assert [note.get_text() for note in sources.select("ol.brief-notes > li")] == [hostile.NOTE]
    chapter = BeautifulSoup(after["chapters/china.html"], "html.parser")
    assert any(hostile.LABEL in chart["aria-label"] for chart in chapter.select("div.vega-chart"))
    assert any(hostile.LABEL in text for spec in chapter.select("script.vega-spec")
               for text in _strings(json.loads(spec.string)))
    assert any(hostile.LABEL in line.get_text() for line in chapter.select("p.source-line"))


def test_no_page_holds_an_element_or_attribute_the_book_did_not_write(pages):
    before, after = pages
    known, _ = _markup(before)
    new = [(name, sorted(_markup({name: text})[0] - known, key=str)) for name, text in after.items()]
    assert not [(name, pairs) for name, pairs in new if pairs]


def test_no_page_runs_a_script_or_style_the_book_did_not_write(pages):
    before, after = pages
    _, known = _markup(before)
    for name, text in after.items():
        for element in BeautifulSoup(text, "html.parser").find_all(CODE_ELEMENTS):
            if _is_data(element):
                json.loads(element.string)  # data, whole: nothing in it ended the element early
                assert "</" not in element.string, name
            else:
                assert _code(element) in known, (name, str(element)[:200])


def test_every_link_and_source_is_a_page_of_the_book_or_the_web(pages):
    _, after = pages
    for name, text in after.items():
        for element in BeautifulSoup(text, "html.parser").find_all(True):
            for attribute in ("href", "src", "action", "formaction", "data"):
                value = " ".join(element.get(attribute, "")).strip() if isinstance(element.get(attribute), list) \
                    else (element.get(attribute) or "").strip()
                assert not value.lower().replace("\t", "").startswith(("javascript:", "vbscript:", "data:text/html")), \
                    (name, str(element)[:200])
