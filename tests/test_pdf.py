"""The PDF editions, read back: the whole book and one handout per chapter."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from tests.conftest import CHAPTERS

TITLES = {"afghanistan": "Afghanistan", "china": "The China balance", "india": "The India factor",
          "economics": "Economics", "security": "Security cooperation",
          "governance": "Governance, democracy and rights"}
ERROR_TEXT = ["Traceback", "Error", "alt.Chart(", "<vega", "\\begin", "\\end{", "undefined", "[?]", "??",
              "<IPython", "<handbook.", "application/vnd.handbook"]


def _squeezed(text: str) -> str:
    # Extracted PDF text loses or adds spaces at line ends and in headings, and TeX sets a straight
    # apostrophe with the typographic glyph; compare without either difference.
    return re.sub(r"\s+", "", text.replace("\u00ad", "").replace("\u2019", "'"))


@pytest.fixture(scope="module")
def pdf_text(pdf_dir):
    cache = {}

    def read(name):
        if name not in cache:
            path = pdf_dir / name
            if not path.exists():
                pytest.fail(f"{path} is missing: run `make book`")
            reader = PdfReader(path)
            cache[name] = (reader, [page.extract_text() or "" for page in reader.pages])
        return cache[name]

    return read


def _forms(reader) -> int:
    """Vector figures: the charts are embedded PDFs, i.e. form XObjects."""
    count = 0
    for page in reader.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        count += sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Form")
    return count


def test_the_book_has_every_part_in_order(pdf_text, corpus):
    reader, pages = pdf_text("handbook.pdf")
    text = _squeezed("\n".join(pages))
    assert len(pages) > 40
    positions = [text.find(_squeezed(title)) for title in
                 ["Introduction", "Method", *TITLES.values(), "Sources: the briefs in full", "Glossary", "Bibliography"]]
    assert all(position >= 0 for position in positions), positions
    for brief in corpus.briefs:
        assert _squeezed(brief.passages[-1].text[:80]) in text  # the sources appendix prints every brief
    for term in ("CPEC", "BECA", "TIFA", "DFC"):
        assert term in text
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert any("Afghanistan" in title for title in outline)
    assert reader.page_labels[-1] != reader.page_labels[0]


@pytest.mark.parametrize("name", ["handbook.pdf", *[f"handout-{chapter}.pdf" for chapter in CHAPTERS]])
def test_no_error_text_and_unicode_survives(pdf_text, name):
    _, pages = pdf_text(name)
    text = "\n".join(pages)
    for marker in ERROR_TEXT:
        assert marker not in text, (name, marker)
    assert "Pakistan–U.S." in text or "Pakistan–U.S." in _squeezed(text)
    assert "“" in text and "”" in text


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_handout_has_the_chapter_quotes_tables_and_figures(pdf_text, corpus, chapter):
    reader, pages = pdf_text(f"handout-{chapter}.pdf")
    text = _squeezed("\n".join(pages))
    assert _squeezed(TITLES[chapter]) in text
    assert "Discussionquestions" in text and "Positionmap" in text
    for question in corpus.questions_for(chapter):
        for position in question.coded():
            label = corpus.brief(position.brief_id).label
            for held in position.held:
                # The quote, its attribution and the printed passage id, so paper readers can find the passage.
                assert _squeezed(held.quote.split("…")[0])[:60] in text, held
                assert _squeezed(f"{label},") in text and _squeezed(f"passage{held.passage_id}") in text
    assert text.count("Table") >= 2 and text.count("Source:") >= 4
    assert _forms(reader) >= 2


def test_the_book_has_every_chart_as_a_vector_figure(pdf_text):
    reader, pages = pdf_text("handbook.pdf")
    captions = re.findall(r"Fig\. ?\d+\.\d+", "\n".join(pages))
    assert _forms(reader) >= 2 * len(CHAPTERS) + 1
    assert len(captions) >= 2 * len(CHAPTERS) + 1


def test_no_slug_is_printed_where_words_belong(pdf_text, corpus):
    """Stance ids and status names are for files; a reader sees the stances' labels."""
    slugs = {stance for q in corpus.questions for stance in q.stances if "-" in stance}
    slugs |= {"not-addressed", "not-applicable", "not-yet-coded"}
    for name in ["handbook.pdf", *[f"handout-{chapter}.pdf" for chapter in CHAPTERS]]:
        words = set(re.findall(r"[a-z]+(?:-[a-z]+)+", "\n".join(pdf_text(name)[1])))
        assert not words & slugs, (name, words & slugs)
