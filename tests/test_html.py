"""The built HTML: every quote verbatim and linked to its passage, every chapter complete, nothing from a CDN."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from handbook.passages import quote_in_passage
from tests.conftest import CHAPTERS, built_pages


def _pages(html_dir):
    return [html_dir / name for name in built_pages(html_dir)]


def _quote_text(blockquote) -> str:
    copy = BeautifulSoup(str(blockquote), "html.parser").blockquote
    for attribution in copy.select(".attribution"):
        attribution.decompose()
    return re.sub(r"\s+", " ", copy.get_text(" ")).strip()


def test_the_book_has_its_pages(html_dir):
    names = {p.relative_to(html_dir).as_posix() for p in _pages(html_dir)}
    expected = {"index.html", "introduction.html", "method.html", "sources.html", "glossary.html",
                "bibliography.html", "adding-a-brief.html", "what-changed.html"}
    assert expected | {f"chapters/{name}.html" for name in CHAPTERS} <= names


def _shown_passages(page) -> dict[str, str]:
    """Each passage as the sources appendix shows it, without its printed id."""
    return {tag["id"]: " ".join(tag.get_text(" ").split()).removeprefix(f"[{tag['id']}]").strip()
            for tag in page("sources.html").select("p.passage[id]")}


def test_every_quote_is_verbatim_and_links_to_its_passage(html_dir, page, corpus):
    # Against the passage as the appendix prints it, which test_sources_appendix_shows_every_brief_in_full
    # holds to data/briefs/, which tests/test_corpus.py holds to the originals.
    texts = _shown_passages(page)
    anchors = set(texts)
    assert len(anchors) == len(corpus.passages)
    total = 0
    for path in _pages(html_dir):
        soup = page(path.relative_to(html_dir).as_posix())
        for quote in soup.select("blockquote.brief-quote"):
            links = [a["href"] for a in quote.select("a[href]")]
            assert len(links) == 1, quote
            passage_id = links[0].rsplit("#", 1)[-1]
            assert links[0].endswith(f"sources.html#{passage_id}") and passage_id in anchors
            text = _quote_text(quote)
            assert text and quote_in_passage(text, texts[passage_id]), (path.name, passage_id, text)
            total += 1
    assert total >= 3 * 3 * len(CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_compares_the_briefs(page, corpus, chapter):
    soup = page(f"chapters/{chapter}.html")
    questions = corpus.questions_for(chapter)
    def heading(h2):  # without its section number; smartquotes print straight apostrophes as typographic ones
        copy = BeautifulSoup(str(h2), "html.parser")
        for number in copy.select(".section-number"):
            number.decompose()
        return copy.get_text(" ", strip=True).rstrip("#").strip().replace("’", "'")

    headings = [heading(h) for h in soup.select("section > h2")]
    for question in questions:
        assert question.text in headings
    sections = [h.parent for h in soup.select("section > h2") if heading(h) in {q.text for q in questions}]
    assert len(sections) == len(questions)
    labels = {brief.id: brief.label for brief in corpus.briefs}
    for question, section in zip(questions, sections):
        quoted = {cls.removeprefix("brief-") for quote in section.select("blockquote.brief-quote:not(.suggested)")
                  for cls in quote["class"] if cls.startswith("brief-") and cls != "brief-quote"}
        assert quoted == {p.brief_id for p in question.coded()} and len(quoted) >= 2, question.id
        # every other brief is accounted for: does not address it, not applicable, or not coded yet
        others = " ".join(p.get_text(" ") for p in section.select("p.quote-others"))
        assert all(labels[b] in others for b in labels if b not in quoted), question.id
    text = soup.get_text(" ")
    assert "After this chapter you should be able to" in text
    discussion = [h for h in soup.select("section > h2") if "Discussion questions" in h.get_text()]
    assert discussion and len(discussion[0].parent.select("ol > li")) >= 3


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_has_tables_and_charts_with_data(page, html_dir, chapter, corpus):
    soup = page(f"chapters/{chapter}.html")
    tables = soup.select("table.handbook-table")
    assert len(tables) >= 2
    for table in tables:
        assert len(table.select("tbody tr")) >= 1
    # The position map has one row per brief and one column per key question.
    position_map = next(t for t in tables if "Position map" in t.caption.get_text())
    assert len(position_map.select("tbody tr")) == len(corpus.briefs)
    assert len(position_map.select("thead th")) == 1 + len(corpus.questions_for(chapter))
    charts = soup.select("div.vega-chart")
    specs = {s["data-chart"]: json.loads(s.string) for s in soup.select("script.vega-spec")}
    assert len(charts) >= 2 and set(specs) == {c["id"] for c in charts}
    for chart in charts:
        assert len(chart["aria-label"]) > 40
        spec = specs[chart["id"]]
        values = [dataset.get("values", []) for dataset in spec["data"]]
        assert sum(len(v) for v in values) >= len(corpus.briefs)
    # Every table and chart has a source line naming the briefs and a CSV download that exists.
    lines = soup.select("p.source-line")
    assert len(lines) == len(tables) + len(charts)
    for line in lines:
        assert "Source:" in line.get_text() and all(brief.label in line.get_text() for brief in corpus.briefs)
        link = line.select_one("a.download")
        assert link and (html_dir / "chapters" / link["href"]).resolve().is_file()


def test_no_page_loads_anything_from_the_internet(html_dir):
    pattern = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)""", re.I)
    offenders = []
    for path in list(_pages(html_dir)) + sorted((html_dir / "_static").rglob("*.css")):
        for url in pattern.findall(path.read_text(encoding="utf-8", errors="replace")):
            if urlparse(url).scheme in ("http", "https") or url.startswith("//"):
                offenders.append((path.name, url))
        if path.suffix == ".css":
            offenders += [(path.name, url) for url in re.findall(r"url\((['\"]?)(https?:)?//[^)]+\)", path.read_text())]
    assert not offenders


def test_no_page_loads_font_awesomes_script_and_each_keeps_the_themes_head(html_dir):
    """The script is 1.5 MB and redraws icons that the theme's web font already draws (_templates/layout.html)."""
    for path in _pages(html_dir):
        head = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").head
        scripts = [script.get("src", "") for script in head.select("script")]
        styles = [link["href"] for link in head.select("link[rel=stylesheet]")]
        assert not any("fontawesome" in src for src in scripts), path.name
        assert any("pydata-sphinx-theme.css" in href for href in styles), path.name
        assert any("localStorage" in (script.string or "") for script in head.select("script")), path.name


def test_sources_appendix_shows_every_brief_in_full(page, corpus):
    soup = page("sources.html")
    shown = _shown_passages(page)
    for brief in corpus.briefs:
        container = soup.find(id=brief.id)
        assert container is not None
        assert [tag["id"] for tag in container.select("p.passage[id]")] == [p.id for p in brief.passages]
        for passage in brief.passages:
            assert shown[passage.id] == " ".join(passage.text.split()), passage.id
        headings = [" ".join(h.get_text().split()) for h in container.select(".source-heading")]
        assert headings[:len([b for b in brief.blocks if b.kind == "heading"])] == [
            block.text for block in brief.blocks if block.kind == "heading"]
        assert [" ".join(note.get_text().split()) for note in container.select("ol.brief-notes > li")] == [
            " ".join(text.split()) for _, text in brief.notes]


def test_glossary_and_bibliography(page, corpus):
    glossary = page("glossary.html").get_text(" ")
    for term in ("CPEC", "BECA", "TIFA", "IPS", "DFC"):
        assert term in glossary
    bibliography = page("bibliography.html").get_text(" ")
    for brief in corpus.briefs:
        assert brief.title.split(":")[0][:30] in bibliography


def test_glossary_terms_are_linked_from_the_chapters(page):
    linked = set()
    for chapter in CHAPTERS:
        for link in page(f"chapters/{chapter}.html").select('a[href*="glossary.html#term-"]'):
            linked.add(link.get_text())
    assert {"CPEC", "BECA", "TIFA", "DFC"} <= linked


def test_every_page_has_a_title_and_a_description(html_dir, page):
    for path in _pages(html_dir):
        name = path.relative_to(html_dir).as_posix()
        if name in ("genindex.html", "search.html"):
            continue
        soup = page(name)
        assert soup.title and "Pakistan–U.S. Relations" in soup.title.get_text(), name
        description = soup.find("meta", attrs={"name": "description"})
        assert description and len(description["content"]) > 30, name


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stances_read_as_words_and_agreement_is_computed(page, corpus, chapter):
    soup = page(f"chapters/{chapter}.html")
    main = soup.select_one("main") or soup
    text = main.get_text(" ")
    slugs = {stance for q in corpus.questions for stance in q.stances if "-" in stance}
    slugs |= {"not-addressed", "not-applicable", "not-yet-coded"}
    assert not set(re.findall(r"[a-z]+(?:-[a-z]+)+", text)) & slugs
    for question in corpus.questions_for(chapter):
        figures = question.agreement()
        if figures.coded:
            assert f"{figures.holders} of the {figures.coded} briefs coded hold “{question.label(figures.top)}”" in text
    agreement = next(t for t in soup.select("table.handbook-table") if "How far the briefs agree" in t.caption.get_text())
    assert len(agreement.select("tbody tr")) == len(corpus.questions_for(chapter))


WRONG_QUOTES = [re.compile(r"(?:^|[\s(\[—–])”\w"), re.compile(r"\w[.,;:!?]?“(?:[\s.,;:!?)]|$)")]


def test_the_books_own_prose_has_typographic_quotes_facing_the_right_way(html_dir, page):
    """Smartquotes set the book's prose; what cells show (brief text among it) is left as it is."""
    opened = 0
    for path in _pages(html_dir):
        soup = page(path.relative_to(html_dir).as_posix())
        article = soup.select_one("article") or soup
        copy = BeautifulSoup(str(article), "html.parser")
        for output in copy.select(".cell_output, .cell_input, pre, code"):
            output.decompose()
        text = copy.get_text(" ")
        for pattern in WRONG_QUOTES:
            wrong = [text[max(0, m.start() - 30):m.end() + 30] for m in pattern.finditer(text)]
            assert not wrong, (path.name, wrong)
        opened += text.count("“")
    assert opened >= 20


def test_brief_text_keeps_its_straight_quotes(page, corpus):
    notes = page("sources.html").select("ol.brief-notes > li")
    printed = " ".join(note.get_text(" ") for note in notes)
    quoted = [segment for brief in corpus.briefs for _, note in brief.notes
              for segment in re.findall(r'"[^"]{3,30}"', note)]
    assert quoted and all(segment in printed for segment in quoted)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_coverage_chart_shows_shares_by_words_beside_shares_by_passages(page, corpus, chapter):
    """What the coverage table cannot show, told apart by shape and fill (a grayscale copy keeps it)."""
    soup = page(f"chapters/{chapter}.html")
    specs = [json.loads(s.string) for s in soup.select("script.vega-spec")]
    spec = next(s for s in specs if any("By words (%)" in json.dumps(d.get("values", [])) for d in s["data"]))
    rows = next(d["values"] for d in spec["data"] if d.get("values") and "By words (%)" in d["values"][0])
    assert {row["Brief"] for row in rows} == {brief.label for brief in corpus.briefs}
    scales = {scale["name"]: scale for scale in spec["scales"]}
    assert len(set(scales["shape"]["range"])) == 2 and len(set(scales["fill"]["range"])) == 2


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_has_teaching_notes_that_cite_passages(page, corpus, chapter):
    soup = page(f"teaching/{chapter}.html")
    headings = [h.get_text(" ", strip=True) for h in soup.select("section > h2")]
    for part in ("Model answers", "Codings a good student might contest", "Essay prompt", "Reading list"):
        assert any(part in heading for heading in headings), (chapter, part)
    discussion = [h for h in page(f"chapters/{chapter}.html").select("section > h2") if "Discussion questions" in h.get_text()]
    questions = len(discussion[0].parent.select("ol > li"))
    answers = soup.find(lambda tag: tag.name == "h2" and "Model answers" in tag.get_text()).parent.select("section > h3")
    assert len(answers) == questions, chapter
    cited = {a["href"].rsplit("#", 1)[-1] for a in soup.select('a[href*="sources.html#"]')}
    assert cited and cited <= set(corpus.passages["passage_id"])
