"""The PDF editions, read back: the whole book and one handout per chapter."""

from __future__ import annotations

import re
from collections import Counter

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
    # The position map, with its source; charts are the book's (a handout's six pages go to the briefs' words).
    assert _squeezed(f"Position map: {TITLES[chapter]}") in text and text.count("Source:") >= 1


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


OVERFULL = re.compile(r"Overfull \\[hv]box \(([0-9.]+)pt too (?:wide|high)\)")
# A quotation mark the wrong way round: a closing mark that opens a quotation, an opening one that closes it.
WRONG_QUOTES = [re.compile(r"(?:^|[\s(\[—–])”\w"), re.compile(r"\w[.,;:!?]?“(?:[\s.,;:!?)]|$)")]
PDFS = ["handbook.pdf", *[f"handout-{chapter}.pdf" for chapter in CHAPTERS]]


@pytest.mark.parametrize("name", PDFS)
def test_no_overfull_box_over_a_point(pdf_dir, name):
    log = pdf_dir.parent / "latex" / name.replace(".pdf", ".log")
    assert log.is_file(), f"{log} is missing: run `make pdf`"
    overfull = [float(points) for points in OVERFULL.findall(log.read_text(encoding="utf-8", errors="replace"))]
    assert not [points for points in overfull if points > 1], f"{log.name}: overfull boxes of {overfull} pt"


def _lines(page) -> list[tuple[float, float, str]]:
    """The page's lines of text, top to bottom: (top, bottom, text)."""
    lines: dict[int, list] = {}
    for word in page.extract_words(use_text_flow=False, keep_blank_chars=False):
        lines.setdefault(round(word["bottom"]), []).append(word)
    return [(min(w["top"] for w in words), max(w["bottom"] for w in words), " ".join(w["text"] for w in words))
            for _, words in sorted(lines.items())]


TEXT_AREA = re.compile(r"Text area ends ([0-9.]+)pt\s+below the top of a page ([0-9.]+)pt\s+high;\s+"
                       r"boxes\s+reach\s+([0-9.]+)pt\s+below\s+it")


@pytest.mark.parametrize("name", PDFS)
def test_nothing_runs_into_the_bottom_margin(pdf_dir, name):
    """Read from the pages themselves, not the log: every mark on a page (text, table rules and
    shading, figures) but its footer ends within the text area that LaTeX reports, and the footer is
    a line of its own, clear of the text above it."""
    import pdfplumber

    log = (pdf_dir.parent / "latex" / name.replace(".pdf", ".log")).read_text(encoding="utf-8", errors="replace")
    area = TEXT_AREA.search(log.replace("\n", ""))  # TeX wraps its log's lines at 79 characters
    assert area, f"{name}: the LaTeX log does not say where the text area ends"
    labels = PdfReader(pdf_dir / name).page_labels
    pages = []
    with pdfplumber.open(pdf_dir / name) as pdf:
        for index, page in enumerate(pdf.pages):
            lines = _lines(page)
            if index == 0 and name == "handbook.pdf" or len(lines) < 2:
                continue  # the title page has no footer
            top, bottom, footer = lines[-1]
            expected = f"page{index + 1}of{len(pdf.pages)}" if name.startswith("handout") else labels[index]
            assert _squeezed(footer).endswith(expected), (name, index + 1, footer)
            assert lines[-2][1] < top - 6, f"{name} p. {index + 1}: text runs into the footer {footer!r}"
            scale = page.height / float(area.group(2))  # TeX points to PDF points
            ends, depth = float(area.group(1)) * scale, float(area.group(3)) * scale
            # A character by its baseline (its box in the PDF is the font's, not the glyph's); a line or a
            # rule by its bottom edge. A box's last baseline may sit up to \maxdepth below the text area.
            marks = [{**mark, "bottom": page.height - mark["matrix"][5]} if mark["object_type"] == "char" else mark
                     for kind in ("char", "line", "rect", "curve", "image")
                     for mark in page.objects.get(kind, []) if mark["top"] < top - 1]
            pages.append((index + 1, ends, ends + depth + 0.5, marks))
    assert pages
    # The footer's rule, where the edition has one: a line at the same height on nearly every page.
    heights = Counter(round(mark["top"], 1) for *_, marks in pages for mark in marks
                      if mark["object_type"] == "line" and mark["height"] < 1)
    rule = next((height for height, count in heights.most_common(1) if count >= 0.8 * len(pages)), None)
    for number, ends, limit, marks in pages:
        below = sorted({round(mark["bottom"], 1) for mark in marks if mark["bottom"] > limit
                        and not (mark["object_type"] == "line" and round(mark["top"], 1) == rule)})
        assert not below, f"{name} p. {number}: printed {below[-1] - ends:.1f} pt below the text area"


@pytest.mark.parametrize("name", PDFS)
def test_quotation_marks_face_the_right_way_and_briefs_keep_theirs(pdf_text, corpus, name):
    _, pages = pdf_text(name)
    for number, text in enumerate(pages, start=1):
        for pattern in WRONG_QUOTES:
            wrong = [text[max(0, m.start() - 30):m.end() + 30] for m in pattern.finditer(text)]
            assert not wrong, f"{name} p. {number}: quotation marks the wrong way round: {wrong}"
    if name == "handbook.pdf":  # the Sources appendix prints the briefs' notes, straight quotes and all
        text = _squeezed("\n".join(pages))
        quoted = [segment for brief in corpus.briefs for _, note in brief.notes
                  for segment in re.findall(r'"[^"\s][^"]{2,30}"', note)]
        assert quoted
        missing = [segment for segment in quoted if _squeezed(segment) not in text]
        assert not missing, f"brief text changed in print: {missing}"


MAX_HANDOUT_PAGES = 6
# Pointers a handout cannot honour: another chapter ("the India chapter", "chapter 9"), a page number other
# than its own footer's, or a part of the book it does not print.
OUTSIDE = [r"(?i)\bthe\s+[\w’'-]+\s+chapters?\b", r"(?i)\bchapters?\s+\d+", r"(?i)\bother\s+chapters?\b",
           r"(?i)\b(?:pp?\.|pages?)\s*\d+\b(?!\s+of\s+\d+)", r"\b[Ss]ee\s+the\s+[A-Z]\w+", r"\?\?",
           r"(?i)Sources\s+appendix", r"(?i)\bthe\s+glossary\b", r"(?i)\bexplorer\b", r"(?i)\btimeline\b",
           r"(?i)\bseminar\s+guide\b", r"(?i)\bbibliography\b"]


def _glossary(page) -> dict[str, str]:
    glossary = page("glossary.html")
    return {dt.find(string=True).strip(): dd.get_text(" ", strip=True)
            for dt, dd in zip(glossary.select("dl.glossary dt"), glossary.select("dl.glossary dd"))}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_handout_fits_a_seminar_photocopy(pdf_text, chapter):
    _, pages = pdf_text(f"handout-{chapter}.pdf")
    assert len(pages) <= MAX_HANDOUT_PAGES, f"handout-{chapter}.pdf has {len(pages)} pages"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_handout_stands_alone(pdf_text, corpus, page, chapter):
    """What a seminar photocopies: pages each saying which handout, edition and page it is;
    the authors of every brief it quotes; every acronym it uses, defined; the pre-session task; and no
    pointer to anything the handout does not contain."""
    _, pages = pdf_text(f"handout-{chapter}.pdf")
    for number, text in enumerate(pages, start=1):
        squeezed = _squeezed(text)
        assert _squeezed(TITLES[chapter]) in squeezed and "editionof" in squeezed, (chapter, number)
        assert squeezed.endswith(f"page{number}of{len(pages)}"), (chapter, number)
    raw = "\n".join(pages)
    text = _squeezed(re.sub(r"(?<=\w)-\n(?=\w)", "", raw))  # words TeX hyphenated at a line end, whole
    quoted = {position.brief_id for question in corpus.questions_for(chapter) for position in question.coded()}
    for brief_id in quoted:
        brief = corpus.brief(brief_id)
        assert _squeezed(brief.author_line) in text and _squeezed(brief.institution) in text, brief_id
    heading = re.search(r"Acronyms\s*and\s*terms\s*in\s*this\s*handout", raw)
    assert heading, chapter
    body, terms = raw[:heading.start()], re.sub(r"(?<=\w)-\n(?=\w)", "", raw[heading.end():])
    glossary = _glossary(page)
    used = [term for term in glossary if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", body)]
    assert used
    for term in used:
        assert _squeezed(glossary[term])[:25] in _squeezed(terms), (chapter, term)
    guide = page("seminar-guide.html")
    task = next(p for s in guide.select("section") if s.find("a", href=re.compile(rf"chapters/{chapter}\.html$"))
                for p in s.find_all("p", recursive=False) if p.get_text().startswith("Before the session"))
    assert _squeezed(task.get_text(" ").replace("Before the session.", ""))[:80] in text.replace("’", "'")
    own = re.escape(re.search(r"This is chapter (\d+) of", raw.replace("\n", " ")).group(1))
    for pattern in OUTSIDE:
        found = [m.group(0) for m in re.finditer(pattern, raw.replace("\n", " "))
                 if not re.fullmatch(rf"chapter\s+{own}", m.group(0))]
        assert not found, f"handout-{chapter}.pdf refers outside itself: {found}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_handout_prints_a_link_to_another_page(pdf_dir, chapter):
    """A link the LaTeX builder could not resolve inside the handout points to a page it does not
    print (the handout drops such links where they are a sentence of their own)."""
    source = (pdf_dir.parent / "latex" / f"handout-{chapter}.tex").read_text(encoding="utf-8")
    assert "\\begin{handoutquote}" in source
    assert "std-doc" not in source, re.findall(r"\\DUrole\{[^}]*std-doc[^}]*\}\{[^}]*\}", source)


def _html_numbers(page, name: str) -> dict[str, str]:
    """{'Table 5.2': caption text} for the numbered tables and figures of a built page."""
    soup = page(name)
    numbered = {}
    for caption in soup.select("table caption, figure figcaption"):
        number = caption.select_one(".caption-number")
        if number:
            numbered[number.get_text(strip=True).rstrip(".").replace("Fig.", "Fig.")] = (
                caption.select_one(".caption-text").get_text(" ", strip=True))
    return numbered


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_tables_and_figures_have_one_number_in_every_edition(pdf_text, page, chapter):
    numbered = _html_numbers(page, f"chapters/{chapter}.html")
    assert len(numbered) >= 2
    book = _squeezed("\n".join(pdf_text("handbook.pdf")[1]))
    handout = _squeezed("\n".join(pdf_text(f"handout-{chapter}.pdf")[1]))
    in_handout = 0
    for number, caption in numbered.items():
        printed = _squeezed(f"{number}: {caption}")[:50]
        assert printed in book, (number, caption)
        if _squeezed(caption)[:30] in handout:
            assert printed in handout, (number, caption)
            in_handout += 1
    assert in_handout >= 1


def test_the_students_book_leaves_out_the_editors_pages(pdf_text):
    reader, pages = pdf_text("handbook.pdf")
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert not {"Adding a brief", "What changed"} & set(outline), outline
    text = _squeezed("\n".join(pages))
    assert _squeezed("Strong terms") in text and "(?:" not in text  # the codebook, without regular expressions


@pytest.mark.parametrize("name", PDFS)
def test_teachers_notes_stay_out_of_what_students_get(pdf_text, name):
    """Model answers are for the teacher: neither the students' book nor a handout prints them."""
    text = _squeezed("\n".join(pdf_text(name)[1]))
    assert "Teachingnotes" not in text and "Modelanswerstothediscussionquestions" not in text
