"""Front matter: every field is checked when data/ is loaded, and shown as text, character for
character, in every place the book prints it: the HTML pages, the BibTeX download and the PDF.

The hostile brief (tests/hostile.py) carries HTML, BibTeX and LaTeX in its front matter.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_string
from pylatexenc import latex2text

from handbook import bib
from handbook.briefs import http_url, read_brief
from handbook.corpus import load_corpus
from handbook.problems import DataError
from tests import hostile
from tests.conftest import ROOT

GOOD = """---
id: test-2025
title: "A Test Brief"
authors: ["A. Author"]
institution: "Test Institute"
date: 2025-03
perspective: Pakistani
---

## Heading

A first paragraph about CPEC and China.

- an item about India
"""


def _write(project, name: str, content: str | bytes):
    path = project / "data" / "briefs" / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _problems(project):
    with pytest.raises(DataError) as caught:
        load_corpus(project)
    return caught.value.problems


# name -> (file name, front-matter line replaced, its replacement, line reported, words of the message)
CASES = {
    "upper-case id": ("Test-2025.md", "id: test-2025", "id: Test-2025", 2, "id 'Test-2025' is not valid"),
    "double hyphen in id": ("test--2025.md", "id: test-2025", "id: test--2025", 2, "is not valid"),
    "trailing hyphen in id": ("test-.md", "id: test-2025", "id: test-", 2, "is not valid"),
    "trailing junk in date": ("test-2025.md", "date: 2025-03", "date: 2025-03junk", 6, "'2025-03junk' is not a date"),
    "newline after date": ("test-2025.md", "date: 2025-03", 'date: "2025-03\\n"', 6, "is not a date"),
    "time of day in date": ("test-2025.md", "date: 2025-03", "date: 2025-03-01 10:00:00", 6, "is not a date"),
    "bad added date": ("test-2025.md", "date: 2025-03", "date: 2025-03\nadded: soon", 7, "'added' value 'soon' is not a date"),
    "empty title": ("test-2025.md", 'title: "A Test Brief"', 'title: ""', 3, "required field 'title' is missing or empty"),
    "blank title": ("test-2025.md", 'title: "A Test Brief"', 'title: "   "', 3, "required field 'title' is missing or empty"),
    "empty institution": ("test-2025.md", 'institution: "Test Institute"', "institution:", 5, "'institution' is missing or empty"),
    "empty author name": ("test-2025.md", 'authors: ["A. Author"]', 'authors: ["A. Author", " "]', 4, "holds an empty name"),
    "title not text": ("test-2025.md", 'title: "A Test Brief"', "title: 123", 3, "'title' is not text"),
    "authors not names": ("test-2025.md", 'authors: ["A. Author"]', "authors: [1, 2]", 4, "not a list of names"),
    "bell in title": ("test-2025.md", 'title: "A Test Brief"', 'title: "A Test\\a Brief"', 3, "control character U+0007"),
    "escape in author": ("test-2025.md", 'authors: ["A. Author"]', 'authors: ["A.\\e Author"]', 4, "control character U+001B"),
    "C1 control in institution": ("test-2025.md", 'institution: "Test Institute"', 'institution: "Test\\x85 Institute"',
                                  5, "control character U+0085"),
    "DEL in kind": ("test-2025.md", "perspective: Pakistani", 'perspective: Pakistani\nkind: "Brief\\x7f"', 8,
                    "control character U+007F"),
    "line separator in title": ("test-2025.md", 'title: "A Test Brief"', 'title: "A Test\\L Brief"', 3,
                                "control character U+2028"),
    "tab in title": ("test-2025.md", 'title: "A Test Brief"', 'title: "A\\tTest"', 3, "control character U+0009"),
    "over-long title": ("test-2025.md", 'title: "A Test Brief"', f'title: "{"x" * 301}"', 3,
                        "'title' is 301 characters long, more than 300"),
    "over-long short label": ("test-2025.md", "perspective: Pakistani", f"perspective: Pakistani\nshort: {'L' * 81}", 8,
                              "'short' is 81 characters long"),
    "javascript url": ("test-2025.md", "perspective: Pakistani", "perspective: Pakistani\nurl: javascript:alert(1)", 8,
                       "'url' value 'javascript:alert(1)' is not an absolute http:// or https:// address"),
}
BAD_URLS = ["JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)", "/reports/brief.pdf", "reports/brief.pdf", "//example.org/brief.pdf", "ftp://example.org/b",
            "https://", "https:///brief.pdf", "https://exa mple.org/", 'https://example.org/"onmouseover="alert(1)',
            "https://example.org/<script>", "https://example.org/\\x", "https://[::1/", "mailto:a@example.org",
            "file:///etc/passwd"]
GOOD_URLS = ["https://www.wilsoncenter.org/publication/brief", "HTTPS://EXAMPLE.ORG/A%20B.pdf",
             "http://example.org:8080/a?b=1&c=%22d%22#e"]


@pytest.mark.parametrize("case", CASES)
def test_each_front_matter_rule_is_reported_with_file_line_and_field(project, case):
    name, old, new, line, message = CASES[case]
    assert old in GOOD
    path = _write(project, name, GOOD.replace(old, new))
    problems = [p for p in _problems(project) if p.path == path]
    assert any(message in p.message and p.line == line for p in problems), problems


@pytest.mark.parametrize("url", BAD_URLS)
def test_url_that_is_not_an_absolute_http_address_is_refused(project, url):
    import json

    path = _write(project, "test-2025.md", GOOD.replace("perspective: Pakistani",
                                                        f"perspective: Pakistani\nurl: {json.dumps(url)}"))
    assert not http_url(url)
    problems = _problems(project)
    assert [(p.path, p.line) for p in problems if "'url' value" in p.message] == [(path, 8)], problems


@pytest.mark.parametrize("url", GOOD_URLS)
def test_absolute_http_url_is_accepted_and_kept(project, url):
    _write(project, "test-2025.md", GOOD.replace("perspective: Pakistani", f"perspective: Pakistani\nurl: \"{url}\""))
    assert load_corpus(project).brief("test-2025").url == url


def test_every_problem_of_a_file_is_reported_at_once(project):
    path = _write(project, "test-2025.md", GOOD.replace("date: 2025-03", "date: 2025-03x\nurl: javascript:x")
                  .replace('title: "A Test Brief"', 'title: ""'))
    problems = {(p.line, p.message.split(" ")[0]) for p in _problems(project) if p.path == path}
    assert problems == {(3, "required"), (6, "'date'"), (7, "'url'")}
    result = subprocess.run([sys.executable, "-m", "handbook", "check"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 1
    for line in (3, 6, 7):
        assert f"test-2025.md:{line}:" in result.stderr


def test_a_byte_order_mark_and_windows_line_ends_load_like_the_plain_file(project):
    plain = read_brief(_write(project, "test-2025.md", GOOD))
    for variant in (b"\xef\xbb\xbf" + GOOD.encode(), GOOD.replace("\n", "\r\n").encode(),
                    b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()):
        brief = read_brief(_write(project, "test-2025.md", variant))
        assert (brief.id, brief.title, brief.date, brief.authors) == (plain.id, plain.title, plain.date, plain.authors)
        assert [(p.id, p.text, p.line, p.kind) for p in brief.passages] == \
               [(p.id, p.text, p.line, p.kind) for p in plain.passages]


def test_windows_line_ends_keep_the_line_numbers_of_problems(project):
    path = _write(project, "test-2025.md", GOOD.replace("date: 2025-03", "date: never").replace("\n", "\r\n").encode())
    assert [(p.path, p.line) for p in _problems(project) if "not a date" in p.message] == [(path, 6)]


def test_the_hostile_front_matter_is_valid_and_kept_character_for_character(project):
    _write(project, f"{hostile.BRIEF_ID}.md", hostile.BRIEF)
    brief = load_corpus(project).brief(hostile.BRIEF_ID)
    assert (brief.title, brief.authors, brief.institution, brief.url, brief.label) == \
           (hostile.TITLE, [hostile.AUTHOR], hostile.INSTITUTION, hostile.URL, hostile.LABEL)


def test_make_book_refuses_a_javascript_url_before_building(project):
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, project)
    _write(project, f"{hostile.BRIEF_ID}.md", hostile.front_matter(url=hostile.BAD_URL) + "\nSome text.\n")
    venv = ROOT / ".venv"
    result = subprocess.run(["make", "book", f"VENV={venv}", "-o", f"{venv}/bin/.installed"],
                            cwd=project, capture_output=True, text=True)
    assert result.returncode != 0
    assert f"{hostile.BRIEF_ID}.md:9: 'url' value '{hostile.BAD_URL}' is not an absolute" in result.stderr
    assert not (project / "_build").exists()


# --- BibTeX -------------------------------------------------------------------------------------

# The text a LaTeX reader sees for the commands bib.latex writes; pylatexenc's defaults lack these.
_TEXT_MACROS = {"textbraceleft": "{", "textbraceright": "}", "textquotedbl": '"', "textquotesingle": "'",
                "textasciigrave": "`", "textless": "<", "textgreater": ">", "textasciicircum": "^"}


def _typeset(value: str) -> str:
    """The characters LaTeX prints for a BibTeX field value (grouping braces print nothing)."""
    context = latex2text.get_default_latex_context_db()
    context.add_context_category("handbook", prepend=True, macros=[
        latex2text.MacroTextSpec(name, simplify_repl=text) for name, text in _TEXT_MACROS.items()])
    return latex2text.LatexNodes2Text(latex_context=context, math_mode="verbatim").latex_to_text(value)


def _entries(text: str):
    return parse_string(text, "bibtex").entries


def test_bibtex_keeps_every_character_and_writes_only_its_own_fields(project):
    _write(project, f"{hostile.BRIEF_ID}.md", hostile.BRIEF)
    corpus = load_corpus(project)
    entries = _entries(bib.bibtex(corpus.briefs))
    assert set(entries) == {brief.id for brief in corpus.briefs}
    for brief in corpus.briefs:
        entry = entries[brief.id]
        assert set(entry.fields) | set(entry.persons) <= set(bib.FIELDS), brief.id
        assert _typeset(entry.fields["title"]) == brief.title
        assert _typeset(entry.fields["institution"]) == brief.institution
        assert entry.fields.get("url", "") == brief.url
        assert brief.label in _typeset(entry.fields["note"])
    # The hostile author stays one name (BibTeX orders its parts, "Last, First"), every word kept.
    (author,) = entries[hostile.BRIEF_ID].persons["author"]
    parts = author.first_names + author.middle_names + author.prelast_names + author.last_names
    assert sorted(_typeset(part) for part in parts) == sorted(hostile.AUTHOR.split())


def test_bibtex_decoding_is_checked_by_an_independent_reading():
    """The oracle above must see a change: a dropped brace or backslash is not the same text."""
    assert _typeset(bib.latex("a}b")) == "a}b" and _typeset("ab") != "a}b"
    assert _typeset(bib.latex("\\input{x}")) == "\\input{x}" != _typeset("input x")


# --- The built book (slow: the hostile build) ---------------------------------------------------

def _soup(html, name) -> BeautifulSoup:
    return BeautifulSoup((html / name).read_text(encoding="utf-8"), "html.parser")


def _squeezed(text: str) -> str:
    return " ".join(text.split())


_SCRIPT_SCHEME = re.compile(r"^[\s\x00-\x20]*(javascript|vbscript|data)\s*:", re.IGNORECASE)


@pytest.mark.slow
def test_no_page_links_to_a_script(hostile_build):
    html, _ = hostile_build
    pages = sorted(html.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):
            for attribute, value in tag.attrs.items():
                values = value if isinstance(value, list) else [value]
                assert not any(_SCRIPT_SCHEME.match(v) for v in values), (page.name, tag.name, attribute, value)
            assert not any(attribute.startswith("on") for attribute in tag.attrs if tag.name in ("img", "svg")), page


@pytest.mark.slow
def test_sources_appendix_shows_the_hostile_fields_as_text(hostile_build):
    html, _ = hostile_build
    section = _soup(html, "sources.html").find(id=hostile.BRIEF_ID)
    title = section.select_one(".source-title")
    assert _squeezed(title.get_text()) == _squeezed(f"{hostile.LABEL}: {hostile.TITLE}")
    meta = section.select_one("p.brief-meta")
    assert hostile.AUTHOR in meta.get_text() and hostile.INSTITUTION in meta.get_text()
    assert [a["href"] for a in meta.find_all("a")] == [hostile.URL]
    assert not section.find("img") and not section.find("script")


@pytest.mark.slow
def test_bibliography_lists_the_hostile_brief_under_its_label_as_text(hostile_build, corpus):
    html, _ = hostile_build
    soup = _soup(html, "bibliography.html")
    terms = [_squeezed(dt.get_text()) for dt in soup.select("dl.handbook-bibliography > dt")]
    assert terms == sorted(terms, key=str.casefold)
    assert {brief.label for brief in load_corpus(html.parents[1]).briefs} == set(terms)
    assert hostile.LABEL in terms
    entry = next(dt for dt in soup.select("dl.handbook-bibliography > dt") if dt.get_text().strip() == hostile.LABEL)
    text = entry.find_next_sibling("dd")
    assert hostile.AUTHOR in text.get_text() and hostile.INSTITUTION in text.get_text()
    assert _squeezed(text.find("em").get_text()) == _squeezed(hostile.TITLE)
    assert hostile.URL in [a["href"] for a in text.find_all("a")]
    assert not text.find("img") and not text.find("script")
    download = next(a["href"] for a in soup.select("a.download") if a["href"].endswith(".bib"))
    entries = _entries((html / download).read_text(encoding="utf-8"))
    assert _typeset(entries[hostile.BRIEF_ID].fields["title"]) == hostile.TITLE


@pytest.mark.slow
def test_what_changed_and_timeline_show_the_hostile_fields_as_text(hostile_build):
    html, _ = hostile_build
    changed = _squeezed(_soup(html, "what-changed.html").get_text())
    assert _squeezed(hostile.TITLE) in changed and hostile.INSTITUTION in changed
    timeline = _soup(html, "timeline.html")
    rows = [[_squeezed(td.get_text()) for td in row.select("td")] for row in timeline.select("table.handbook-table tbody tr")]
    assert any(hostile.LABEL in cells for cells in rows)
    for name in ("what-changed.html", "timeline.html", "explorer.html"):
        soup = _soup(html, name)
        assert not soup.select("img[onerror]") and not soup.select("[onerror]")


@pytest.mark.slow
def test_pdf_prints_every_hostile_field_character_for_character(hostile_build):
    from pypdf import PdfReader

    project = hostile_build[0].parents[1]
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "jupyter-book"), "build", str(project), "--builder", "pdflatex",
                             "--quiet"], cwd=project, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    reader = PdfReader(project / "_build" / "latex" / "handbook.pdf")
    # Extracted PDF text gains and loses spaces at line ends; the characters must all be there, in order.
    text = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages).replace("\u00ad", ""))
    for value in (hostile.TITLE, hostile.AUTHOR, hostile.INSTITUTION, hostile.URL, hostile.LABEL):
        assert re.sub(r"\s+", "", value) in text, value


def test_print_may_break_a_word_too_long_for_its_line_or_cell_and_keeps_every_character():
    """XeTeX stops the whole book on a word of a thousand characters (the hostile brief has one); a
    hostile field's markup is a word wider than its table column."""
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    from handbook.printed_text import BREAK, BreakLongWords

    document = new_document("test", get_default_settings(Parser))
    fits = "y" * 88  # a line's worth: kept whole outside a table
    prose = f"{hostile.LONG_WORD} and e\u0301{'x' * 100} about Afghanistan–Pakistan {fits}"
    cell_text = f"{hostile.LABEL} Afghanistan–Pakistan"
    code = hostile.LONG_WORD
    cell = nodes.entry("", nodes.paragraph(text=cell_text))
    document += [nodes.paragraph(text=prose), nodes.table("", nodes.tgroup("", nodes.tbody("", nodes.row("", cell)))),
                 nodes.literal_block(code, code)]
    BreakLongWords(document).run()  # what the LaTeX build applies (a Sphinx builder is needed only to ask which)
    paragraph, table, block = document.children

    def text(node):
        return "".join(child for child in node.findall(nodes.Text) if not isinstance(child.parent, nodes.raw))

    def runs(node):
        """What the printed line cannot break inside: text between spaces, hyphens and the breaks."""
        return re.split(r"[\s\-|]+", "".join("|" if isinstance(child, nodes.raw) else child.astext()
                                              for child in node.children))

    assert (text(paragraph), text(cell), text(block)) == (prose, cell_text, code)
    assert all(raw.astext() == BREAK for raw in document.findall(nodes.raw))
    # The longest runs left are the words that fit: a line's worth, or in a cell the longest word of the book's tables.
    assert max(map(len, runs(paragraph))) == len(fits) and {fits, "Afghanistan–Pakistan"} <= set(runs(paragraph))
    assert max(map(len, runs(cell.children[0]))) == len("Afghanistan–Pakistan")
    assert "e\u0301" in runs(paragraph)  # a letter keeps its accent
    assert not list(block.findall(nodes.raw))


# --- Labels ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("institution, label", [
    ("Middle East Institute (MEI), Afghanistan and Pakistan Program", "MEI 2025"),
    ("Centre for Strategic Perspectives, Institute of Strategic Studies Islamabad (ISSI)", "ISSI 2025"),
    ("Wilson Center, with INDUS", "Wilson Center 2025"),
    ("Test Institute", "Test Institute 2025"),
    ("Institute for Policy Studies of the Pacific", "IPSP 2025"),
])
def test_a_brief_without_short_is_cited_by_its_institution_and_year(project, institution, label):
    _write(project, "test-2025.md", GOOD.replace('institution: "Test Institute"', f'institution: "{institution}"')
)
    brief = load_corpus(project).brief("test-2025")
    assert brief.label == label and "TEST" not in brief.label


def test_short_sets_the_label_and_check_says_which_label_it_chose(project):
    _write(project, "test-2025.md", GOOD.replace("perspective: Pakistani", "perspective: Pakistani\nshort: Test 25"))
    _write(project, "other-2025.md", GOOD.replace("id: test-2025", "id: other-2025")
           .replace('institution: "Test Institute"', 'institution: "Other Institute (OI)"'))
    result = subprocess.run([sys.executable, "-m", "handbook", "check"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test-2025: cited as 'Test 25' (set by 'short')" in result.stdout
    assert "other-2025: cited as 'OI 2025' (derived from the institution and year" in result.stdout


def test_two_briefs_under_one_label_are_reported(project):
    _write(project, "test-2025.md", GOOD.replace('institution: "Test Institute"', 'institution: "Middle East Institute (MEI)"')
           .replace("date: 2025-03", "date: 2024-03"))
    problems = [p for p in _problems(project) if "label 'MEI 2024'" in p.message]
    assert len(problems) == 1 and "is already the label of" in problems[0].message
