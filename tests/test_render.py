"""What a chapter cell shows, rendered without a build: every kind of output, for a corpus holding the
hostile brief, turned into the document nodes Sphinx then writes as HTML and LaTeX.

Sphinx's writers escape Text nodes, so the promise "brief text is shown as text" comes down to what
these nodes are: brief text only in Text nodes, raw HTML only in the two forms the book writes (a
chart's placeholder and the passage explorer), and links only to passages, pages of the book and
http(s) addresses. tests/test_escaping.py checks the same over a whole built book, more slowly.
"""

from __future__ import annotations

import base64
import importlib.metadata
import io
import json
import re
import shutil
import zipfile
from types import SimpleNamespace

import nbformat
import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx import addnodes

from handbook import charts, context_charts, exercises, show, tables
from handbook.chapter import Chapter
from handbook.corpus import load_corpus
from handbook.print_only import ForPrint
from handbook.printed_charts import vega_pdf
from handbook.render import (
    CELL_PADDING, LINE_CHARACTERS, LONGEST_CELL_WORD, HandbookMime, _column_widths, _longest_word,
    _script_json,
)
from handbook.show import MIME_TYPE
from tests import hostile
from tests.conftest import ROOT


class Renderer:
    """What handbook.render uses of myst-nb's renderer: the page's name, its document and write_file."""

    def __init__(self, docname: str = "chapters/china"):
        document = new_document("<test>", get_default_settings(Parser))
        self.renderer = SimpleNamespace(sphinx_env=SimpleNamespace(docname=docname), document=document)
        self.written: dict[str, bytes] = {}

    def write_file(self, path, content, overwrite=False, exists_ok=False):
        name = "/".join(path)
        assert exists_ok and not overwrite, "a file of the same content is written once"
        self.written[name] = content
        return f"../_build/{name}"


def render(display: show.Display, docname: str = "chapters/china", renderer: Renderer | None = None):
    """As a page does it: the payload goes through the notebook as JSON text."""
    renderer = renderer or Renderer(docname)
    data = SimpleNamespace(mime_type=MIME_TYPE, content=json.dumps(display.payload))
    return HandbookMime.handle_mime(renderer, data, inline=False)


@pytest.fixture(scope="module")
def corpus_with_hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-data")
    shutil.copytree(ROOT / "data", root / "data")
    (root / "data" / "briefs" / f"{hostile.BRIEF_ID}.md").write_text(hostile.BRIEF, encoding="utf-8")
    with (root / "data" / "events.csv").open("a", encoding="utf-8") as events:
        events.write(hostile.EVENT_ROW)
    return load_corpus(root)


def every_display(corpus):
    """Every kind of output the chapters and appendices show, each named for the failure message."""
    yield "briefs table", show.table(tables.briefs_overview(corpus), "The briefs", "briefs")
    yield "theme matrix", show.table(tables.theme_matrix(corpus), "Themes by brief", "matrix")
    yield "heatmap", show.chart(charts.theme_heatmap(corpus), "Themes by brief, as a chart", "heatmap")
    yield "events", show.table(tables.events(corpus), "Events the briefs cite", "events", passage_columns=("Passages",))
    yield "timeline", show.chart(context_charts.timeline_chart(corpus), "Timeline", "timeline")
    yield "what changed", show.table(tables.what_changed(corpus), "What changed", "what-changed")
    for theme in corpus.codebook.themes:
        chapter = Chapter(corpus, theme)
        yield f"{theme} coverage", chapter.coverage_table()
        yield f"{theme} coverage chart", chapter.coverage_chart()
        yield f"{theme} positions", chapter.position_table()
        yield f"{theme} position chart", chapter.position_chart()
        yield f"{theme} agreement", chapter.agreement_table()
        for question in corpus.questions_for(theme):
            yield f"{question.id} comparison", chapter.compare(question.id)
    yield "explorer", show.explorer(corpus)
    yield "bibliography", show.bibliography(corpus)
    yield "sources", show.sources(corpus)
    yield "download", show.download(b"a,b\n1,2\n", "figures", ".csv", "Download the figures")


def test_every_kind_of_output_keeps_brief_text_as_text(corpus_with_hostile):
    """Every output of every kind, rendered, through each check below (check_*).

    One test rather than one per check: mutation testing (make mutate) runs, for a mutated function, the
    tests that call it, and output rendered once in a shared fixture would count for one test only.
    """
    rendered = [(name, display, render(display)) for name, display in every_display(corpus_with_hostile)]
    for check in CHECKS:
        check(corpus_with_hostile, rendered)


def text_of(output) -> str:
    return "".join(node.astext() for node in output)


def links(node):
    """Links to follow (a download is a file the build writes, checked on its own)."""
    return [ref for ref in node.findall(nodes.reference) if not isinstance(ref, addnodes.download_reference)]


def on_screen(node) -> str:
    """A node's text as the HTML page shows it: without what only print shows."""
    copy = node.deepcopy()
    for printed in list(copy.findall(lambda n: isinstance(n, addnodes.only) and n["expr"] == "latex")):
        printed.parent.remove(printed)
    return copy.astext()


def printed(node):
    """A copy of a node as the print build has it (ForPrint applied)."""
    document = new_document("<test>", get_default_settings(Parser))
    document += node.deepcopy()
    ForPrint(document).run()
    return document[0]


def raw_nodes(output):
    return [raw for node in output for raw in node.findall(nodes.raw)]


def check_the_hostile_brief_reaches_every_kind_of_output(corpus_with_hostile, rendered):
    kinds = {display.payload["kind"] for _, display, _ in rendered}
    assert kinds == {"table", "chart", "quotes", "explorer", "bibliography", "sources", "download"}
    label = corpus_with_hostile.brief(hostile.BRIEF_ID).label
    reached = {name for name, _, output in rendered if label in text_of(output)}
    for name in ("briefs table", "theme matrix", "events", "what changed", "explorer", "bibliography", "sources",
                 "china coverage", "china positions"):
        assert name in reached, f"the hostile brief's label is missing from the {name}"
    assert any(name.endswith("comparison") for name in reached), "no comparison names the uncoded hostile brief"


def check_every_character_of_the_hostile_brief_is_shown_as_text(corpus_with_hostile, rendered):
    """Each field and passage, character for character, in the text of the nodes: nothing was read as
    markup, dropped or 'cleaned'."""
    text = {name: text_of(output) for name, _, output in rendered}
    brief = corpus_with_hostile.brief(hostile.BRIEF_ID)
    for field in (hostile.TITLE, hostile.AUTHOR, hostile.INSTITUTION, hostile.URL, brief.label):
        assert field in text["sources"] and field in text["bibliography"], field
    assert hostile.HEADING in text["sources"]
    assert hostile.NOTE in text["sources"]
    for passage in brief.passages:
        assert passage.text in text["sources"], passage.id


def check_raw_html_is_only_a_chart_placeholder_or_the_passage_explorer(corpus_with_hostile, rendered):
    charts_seen = 0
    for name, display, output in rendered:
        for raw in raw_nodes(output):
            assert raw["format"] == "html", name
            if display.payload["kind"] == "explorer":
                assert raw.astext() == display.payload["html"]
                continue
            assert display.payload["kind"] == "chart", f"{name} writes raw HTML"
            charts_seen += 1
            soup = BeautifulSoup(raw.astext(), "html.parser")
            elements = soup.find_all(True)
            assert [element.name for element in elements] == ["div", "script"], name
            placeholder, data = elements
            assert set(placeholder.attrs) == {"class", "id", "role", "aria-label"}, name
            assert placeholder["aria-label"] == display.payload["alt"], name
            assert placeholder.get_text() == "", name
            assert set(data.attrs) == {"type", "class", "data-chart"} and data["type"] == "application/json", name
            assert data["data-chart"] == placeholder["id"], name
            assert json.loads(data.string) == display.payload["spec"], name
    assert charts_seen == sum(display.payload["kind"] == "chart" for _, display, _ in rendered)


def test_chart_data_cannot_close_its_script_element():
    value = {"label": hostile.LABEL, "line": "a\u2028b\u2029c", "amp": "&amp; <!-- -->"}
    text = _script_json(value)
    assert not set(text) & set("<>&\u2028\u2029")
    assert json.loads(text) == value
    assert _script_json({"b": 1, "a": 2}) == '{"a": 2, "b": 1}', "keys sorted, so a cached spec renders the same"


def check_every_link_is_a_passage_a_page_of_the_book_or_a_web_address(corpus_with_hostile, rendered):
    anchors = {brief.id for brief in corpus_with_hostile.briefs} | {
        passage.id for brief in corpus_with_hostile.briefs for passage in brief.passages}
    web = {brief.url for brief in corpus_with_hostile.briefs if brief.url} | {
        url for note in corpus_with_hostile.notes.values() for _, url in note.sources}
    for name, _, output in rendered:
        for node in output:
            for xref in node.findall(addnodes.pending_xref):
                assert xref["reftarget"] in anchors, f"{name} links to {xref['reftarget']!r}"
                assert xref["refdoc"] == "chapters/china"
            for reference in links(node):
                target = reference.get("refuri") or reference.get("refid")
                assert (target in web or target in anchors or target.startswith("../explorer.html?")), \
                    f"{name} links to {target!r}"
            for download in node.findall(addnodes.download_reference):
                assert download["reftarget"].startswith("../_build/"), name


def test_a_javascript_address_is_shown_as_text_not_as_a_link(corpus_with_hostile):
    entries = show.bibliography(corpus_with_hostile)
    for entry in entries.payload["entries"]:
        entry["url"] = hostile.BAD_URL
    output = render(entries)
    assert not [node for item in output for node in links(item)]
    assert text_of(output).count(hostile.BAD_URL) == len(entries.payload["entries"])


def check_every_element_keeps_the_briefs_straight_quotes(corpus_with_hostile, rendered):
    for name, _, output in rendered:
        for node in output:
            for element in node.findall(nodes.Element):
                assert element.get("support_smartquotes") is False, f"{name}: {element.tagname}"


def check_output_left_out_of_the_handout_is_marked_and_nothing_else(corpus_with_hostile, rendered):
    for name, display, output in rendered:
        marked = ["not-in-handout" in node["classes"] for node in output]
        assert all(marked) if display.payload.get("handout") is False else not any(marked), name
    assert any(display.payload.get("handout") is False for _, display, _ in rendered)


def check_a_table_shows_its_caption_header_and_cells_as_given_and_its_data_to_download(corpus_with_hostile, rendered):
    tables_seen = 0
    for name, display, output in rendered:
        if display.payload["kind"] != "table":
            continue
        tables_seen += 1
        payload = display.payload
        table = next(node for item in output for node in item.findall(nodes.table))
        assert table.next_node(nodes.title).astext() == payload["caption"]
        head = [entry.astext() for entry in table.next_node(nodes.thead).findall(nodes.entry)]
        assert head == payload["columns"], name
        body = [[on_screen(entry) for entry in row.findall(nodes.entry)] for row in table.next_node(nodes.tbody).children]
        assert body == payload["rows"], name
        assert table.next_node(nodes.tgroup)["cols"] == len(payload["columns"])
        source = output[-1]
        assert "source-line" in source["classes"] and source.astext().startswith(payload["source"] + " ")
        download = source.next_node(addnodes.download_reference)
        assert download.astext() == "Download the data (CSV)"
        assert (download["refdoc"], download["refexplicit"]) == ("chapters/china", True)
        assert download.parent.parent.tagname == "only" and download.parent.parent["expr"] == "html", \
            "the download is online only"
    assert tables_seen > 10


def test_each_csv_is_the_data_behind_its_table_or_chart_written_once_under_its_name(corpus_with_hostile):
    renderer = Renderer()
    display = show.table(tables.briefs_overview(corpus_with_hostile), "The briefs", "briefs")
    render(display, renderer=renderer)
    render(display, renderer=renderer)
    (name, content), = renderer.written.items()
    assert name.startswith("briefs-") and name.endswith(".csv")
    assert content.decode("utf-8") == display.payload["csv"]
    chart = show.chart(charts.theme_heatmap(corpus_with_hostile), "Heatmap", "heatmap")
    render(chart, renderer=renderer)
    assert [value.decode("utf-8") for key, value in renderer.written.items() if key.startswith("heatmap-")] == \
        [chart.payload["csv"]]


def test_a_table_links_passages_addresses_and_explorer_cells():
    payload = {"kind": "table", "caption": "Links", "name": "links", "source": "Source: test.",
               "columns": ["Brief", "Passages", "Address", "Share"], "passage_columns": [1], "link_columns": [2],
               "rows": [["A", "aa-1, aa-2", "https://example.org/a", "50"],
                        ["B", "", "javascript:alert(1)", "0"]],
               "links": [["", "", "", "explorer.html?brief=A&theme=china"], ["", "", "", ""]], "csv": "x\n"}
    output = render(show.Display(payload, "links"), docname="chapters/china")
    table = output[0]
    first, second = table.next_node(nodes.tbody).children
    xrefs = list(first.findall(addnodes.pending_xref))
    assert [xref["reftarget"] for xref in xrefs] == ["aa-1", "aa-2"]
    assert first.children[1].astext() == "aa-1, aa-2"
    (web,) = [ref for ref in first.children[2].findall(nodes.reference)]
    assert web["refuri"] == "https://example.org/a"
    (page,) = list(first.children[3].findall(nodes.reference))
    assert page["refuri"] == "../explorer.html?brief=A&theme=china", "relative to the page, one folder down"
    assert page.astext() == "50" and page["classes"] == ["explorer-link"]
    assert printed(table).next_node(nodes.tbody).children[0].children[3].astext() == "50", "in print, the text"
    assert not [ref for ref in printed(table).findall(nodes.reference) if "explorer-link" in ref["classes"]]
    assert not list(second.findall(nodes.reference)) and not list(second.findall(addnodes.pending_xref))
    assert second.children[2].astext() == "javascript:alert(1)"
    at_root = render(show.Display(payload, "links"), docname="explorer")[0]
    assert at_root.next_node(nodes.tbody).children[0].children[3].next_node(nodes.reference)["refuri"] == \
        "explorer.html?brief=A&theme=china"


def table_classes(rows, columns=("Brief", "Note")):
    payload = {"kind": "table", "caption": "T", "name": "t", "source": "S", "columns": list(columns),
               "rows": rows, "csv": ""}
    output = render(show.Display(payload, "t"))
    table = next(output[0].findall(nodes.table))
    return output[0], table["classes"], [spec["colwidth"] for spec in table.findall(nodes.colspec)]


def test_a_table_that_may_not_fit_the_rest_of_a_page_breaks_across_pages():
    _, classes, _ = table_classes([["A", "short"]] * 12)
    assert "longtable" not in classes and "colwidths-auto" in classes
    _, classes, _ = table_classes([["A", "short"]] * 13)
    assert {"longtable", "colwidths-given"} <= set(classes), "more than twelve rows"
    _, classes, _ = table_classes([["A", "word " * 180]])
    assert "longtable" in classes, "about a third of a page of text"
    _, classes, _ = table_classes([["A", "word " * 170]])
    assert "longtable" not in classes


def test_a_table_whose_words_overfill_a_line_is_wide_and_keeps_each_word_whole():
    columns = ("Brief", "One", "Two", "Three")
    outer, classes, widths = table_classes([["A", "x" * 20, "y" * 20, "z" * 20]], columns=columns)
    assert outer.tagname == "container" and "wide-table" in outer["classes"]
    assert "longtable" in classes
    assert min(widths[1:]) >= 20 + CELL_PADDING, widths
    outer, _, _ = table_classes([["A", "x" * 10, "y" * 10, "z" * 10]], columns=columns)
    assert outer.tagname == "table"


def test_column_widths_give_short_cells_their_length_and_share_the_line_among_long_ones():
    widths = _column_widths([["Brief", "ISSI 2024"], ["Text", "a b " * 6], ["More", "c d " * 40]])
    assert widths[0] == len("ISSI 2024") + CELL_PADDING
    assert sum(widths) == pytest.approx(LINE_CHARACTERS, abs=2)
    assert widths[2] > widths[1], "the column with more text gets more of the line"
    crowded = _column_widths([[f"h{i}", ("w" * 15 + " ") * 3] for i in range(8)])
    assert all(width >= 15 + CELL_PADDING for width in crowded), "no long column narrower than its longest word"


def test_a_word_longer_than_a_printed_cell_is_measured_as_the_cell_it_breaks_in():
    assert _longest_word(["short words", "a longer one"]) == len("longer")
    assert _longest_word(["", "   "]) == 0
    assert _longest_word([hostile.LONG_WORD]) == LONGEST_CELL_WORD


def check_a_chart_is_interactive_online_and_a_vector_figure_in_print(corpus_with_hostile, rendered):
    for name, display, output in rendered:
        if display.payload["kind"] != "chart":
            continue
        figure, description, source = output
        only = {node["expr"]: node for node in figure.findall(addnodes.only)}
        assert set(only) == {"html", "latex"}, name
        printed = only["latex"].next_node(vega_pdf)
        assert printed["spec"] == display.payload["spec"] and printed["alt"] == display.payload["alt"], name
        assert figure.next_node(nodes.caption).astext() == display.payload["caption"]
        assert description.astext() == "Chart description: " + display.payload["alt"]
        assert source.astext().startswith(display.payload["source"])


def check_each_quote_is_shown_whole_with_its_stance_and_a_link_to_its_passage(corpus_with_hostile, rendered):
    quotes = said_of = 0
    for name, display, output in rendered:
        if display.payload["kind"] != "quotes":
            continue
        payload = display.payload
        groups = [node for node in output if "brief-comparison" in node.get("classes", [])]
        items = payload["quotes"] + payload["suggested"]
        assert len(groups) == len(items), name
        for group, item in zip(groups, items):
            quotes += 1
            suggested = item in payload["suggested"]
            assert ("suggested" in group["classes"]) is suggested
            position, quote = group.children[:2]
            assert position.astext() == f"{item['label']}: {item['position']}"
            assert quote.children[0].astext() == item["text"]
            if suggested:
                assert item["text"] == corpus_with_hostile.passage_text(item["passage_id"]), "the whole passage"
            attribution = quote.next_node(nodes.attribution)
            assert attribution.astext() == f"{item['label']}, “{item['title']}” ({item['date']}), passage {item['passage_id']}"
            assert attribution.next_node(addnodes.pending_xref)["reftarget"] == item["passage_id"]
            note = group.next_node(lambda node: "editor-note" in node.get("classes", []) if isinstance(node, nodes.Element) else False)
            assert (note is not None) is bool(item.get("note")), name
        if payload["agreement"]:
            assert output[0].astext() == payload["agreement"] and output[0]["classes"] == ["quote-agreement"]
        rest = text_of(output)
        notes = [node.astext() for node in output if "quote-others" in node.get("classes", [])]
        for heading, labels in (("Does not address this question", payload["silent"]),
                                ("Not applicable", payload["inapplicable"])):
            said = [note for note in notes if note.startswith(heading + ": ")]
            assert said == ([f"{heading}: {', '.join(labels)}."] if labels else []), name
            for label in labels:
                said_of += 1
        for brief in payload["uncoded"]:
            assert f"{brief['label']} ({len(brief['passages'])} passages on this theme" in rest, name
    assert quotes > 20 and said_of > 5


def test_an_uncoded_brief_links_to_its_passages_on_the_theme_and_prints_their_ids_when_there_are_few(corpus_with_hostile):
    question = corpus_with_hostile.questions_for("china")[0]
    display = show.comparison(corpus_with_hostile, question.id)
    label = corpus_with_hostile.brief(hostile.BRIEF_ID).label
    (uncoded,) = [b for b in display.payload["uncoded"] if b["label"] == label]
    assert 0 < len(uncoded["passages"]) <= 12
    (note,) = [node for node in render(display) if node.astext().startswith("Not coded yet: ")]
    count = f"{len(uncoded['passages'])} passages on this theme"
    assert note.astext() == f"Not coded yet: {label} ({count})."
    (link,) = links(note)
    assert link.astext() == count and link["refuri"] == "../" + tables.explorer_query(label, question.theme)
    assert printed(note).astext() == f"Not coded yet: {label} ({count}: {', '.join(uncoded['passages'])})."
    many = dict(display.payload, uncoded=[{"label": "Many", "passages": [f"m-{n}" for n in range(1, 14)]},
                                          {"label": "None", "passages": []}])
    (listed,) = [node for node in render(show.Display(many, "")) if node.astext().startswith("Not coded yet: ")]
    assert listed.astext() == "Not coded yet: Many (13 passages on this theme); None (0 passages on this theme)."
    assert len(links(listed)) == 1
    assert printed(listed).astext() == listed.astext() and not links(printed(listed))


def test_the_sources_appendix_anchors_every_brief_and_passage_in_order(corpus_with_hostile):
    renderer = Renderer("sources")
    output = render(show.sources(corpus_with_hostile), renderer=renderer)
    contents, *sections = output
    assert [item.astext() for item in contents.children] == [f"{b.label}: {b.title}" for b in corpus_with_hostile.briefs]
    assert [ref["refid"] for ref in contents.findall(nodes.reference)] == [b.id for b in corpus_with_hostile.briefs]
    for brief, section in zip(corpus_with_hostile.briefs, sections, strict=True):
        assert section["ids"] == [brief.id]
        assert section.children[0].astext() == f"{brief.label}: {brief.title}"
        passages = [node for node in section.children if "passage" in node.get("classes", [])]
        assert [node["ids"] for node in passages] == [[p.id] for p in brief.passages]
        assert [node.astext() for node in passages] == [f"[{p.id}] {p.text}" for p in brief.passages]
        headings = [node.astext() for node in section.children if "source-heading" in node.get("classes", [])]
        assert headings == [b.text for b in brief.blocks if b.kind == "heading"] + (["Notes"] if brief.notes else [])
        if brief.notes:
            assert [item.astext() for item in section.children[-1].children] == [text for _, text in brief.notes]
    targets = renderer.renderer.document.ids
    assert {b.id for b in corpus_with_hostile.briefs} <= set(targets), "other pages can link to every brief"


def test_an_editors_note_is_set_apart_and_names_its_sources(corpus_with_hostile):
    passage_id, note = next(iter(corpus_with_hostile.notes.items()))
    output = render(show.sources(corpus_with_hostile), docname="sources")
    boxes = [node for item in output for node in item.findall(nodes.container) if "editor-note" in node["classes"]]
    assert len(boxes) == len(corpus_with_hostile.notes)
    payload = note.payload()
    (box,) = [box for box in boxes if f"({passage_id}): " in box.astext()]
    text = box.astext()
    assert text.startswith(f"{payload['label']} ({passage_id}): {payload['text']} Source: ")
    for label, url in payload["sources"]:
        assert f"{label}, {url}" in text
        assert url in [ref["refuri"] for ref in box.findall(nodes.reference)]
    assert text.endswith(".")


def test_the_bibliography_lists_each_brief_and_offers_the_bibtex(corpus_with_hostile):
    renderer = Renderer("bibliography")
    display = show.bibliography(corpus_with_hostile)
    entries, download = render(display, renderer=renderer)
    items = list(entries.children)
    assert entries["classes"] == ["handbook-bibliography"]
    assert [item.tagname for item in items] == ["definition_list_item"] * len(display.payload["entries"])
    assert [item.children[0].astext() for item in items] == [entry["label"] for entry in display.payload["entries"]]
    for item, entry in zip(items, display.payload["entries"]):
        text = item.children[1].astext()
        facts = [f"edited by {entry['editors']}" if entry["editors"] else "", entry["institution"], entry["kind"],
                 entry["date"]]
        assert text == ((entry["authors"] + ", " if entry["authors"] else "") + entry["title"] + ", "
                        + ", ".join(fact for fact in facts if fact) + ". "
                        + (entry["url"] + ". " if entry["url"] else "") + "Full text: Sources appendix.")
        assert item.next_node(nodes.emphasis).astext() == entry["title"]
        assert [ref["refuri"] for ref in links(item)] == ([entry["url"]] if entry["url"] else [])
        assert item.next_node(addnodes.pending_xref)["reftarget"] == entry["id"]
    (bib,) = [content for name, content in renderer.written.items() if name.endswith(".bib")]
    assert bib.decode("utf-8") == display.payload["bibtex"]
    assert download.astext() == "Download these entries (BibTeX)"


def test_a_download_is_offered_online_only():
    renderer = Renderer("chapters/china")
    (online,) = render(show.download(b"zip bytes", "china-exercises", ".zip", "Download the exercises"), renderer=renderer)
    assert online.tagname == "only" and online["expr"] == "html"
    assert online.astext() == "Download the exercises"
    ((name, content),) = renderer.written.items()
    assert content == b"zip bytes" and name.startswith("china-exercises-") and name.endswith(".zip")
    (line,) = online.children
    assert line["classes"] == ["download-line"]
    download = line.children[0]
    assert isinstance(download, addnodes.download_reference) and download["reftarget"] == f"../_build/{name}"
    assert (download["refdoc"], download["refexplicit"]) == ("chapters/china", True), "its own label, from this page"


def test_plain_jupyter_gets_an_escaped_table_and_a_chart_it_can_draw(corpus_with_hostile):
    """Outside the book (the exercise notebook), a cell shows an HTML table pandas escaped, and a chart
    as Vega-Lite and SVG."""
    table = show.table(tables.briefs_overview(corpus_with_hostile), "The briefs", "briefs")
    bundle = table._repr_mimebundle_()
    assert json.loads(bundle[MIME_TYPE]) == table.payload and bundle["text/plain"] == table.summary
    soup = BeautifulSoup(bundle["text/html"], "html.parser")
    assert not soup.find_all("script") and not soup.find_all("img")
    assert corpus_with_hostile.brief(hostile.BRIEF_ID).label in soup.get_text()
    assert table._repr_svg_() is None
    chart = show.chart(charts.theme_heatmap(corpus_with_hostile), "Heatmap", "heatmap")
    bundle = chart._repr_mimebundle_()
    (vegalite,) = [key for key in bundle if key.startswith("application/vnd.vegalite")]
    assert bundle[vegalite]["description"] == chart.payload["alt"]
    svg = chart._repr_svg_()
    assert svg.lstrip().startswith("<svg") and "</svg>" in svg


def test_the_exercise_kit_is_a_notebook_with_the_data_it_reads():
    display = show.exercise_kit("seminar-guide.md")
    payload = display.payload
    assert (payload["kind"], payload["name"], payload["suffix"]) == ("download", "seminar-guide-exercises", ".zip")
    assert payload["label"] == display.summary == "Download the exercises: a notebook with the data (zip)"
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(payload["data"])))
    names = archive.namelist()
    assert any(name.endswith(".ipynb") for name in names)
    assert "seminar-guide/data/codebook.yml" in names and "seminar-guide/handbook/show.py" in names
    assert archive.read("seminar-guide/data/codebook.yml") == (ROOT / "data" / "codebook.yml").read_bytes()
    notebook = nbformat.reads(archive.read("seminar-guide/exercises.ipynb").decode("utf-8"), as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["language_info"] == {"name": "python"}
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    wanted = archive.read("seminar-guide/requirements.txt").decode("utf-8").splitlines()
    pinned = {line.split("==")[0].split(">=")[0]: line for line in (ROOT / "requirements.txt").read_text().splitlines()}
    assert wanted == [pinned.get(name) or f"{name}=={importlib.metadata.version(name)}" for name in exercises.PACKAGES] \
        + [exercises.JUPYTER], "the book's own pins where it has them"
    assert sum(line in pinned.values() for line in wanted) >= 4


def test_the_kit_shows_myst_roles_and_links_to_the_book_as_their_words():
    text = ("A {term}`CPEC` and {term}`the corridor <CPEC>`; see [the method](../method.md) and "
            "[the CRS](https://crsreports.congress.gov/) or [an old page](http://example.org/a).")
    assert exercises._plain_markdown(text) == ("A CPEC and the corridor; see the method and "
                                               "[the CRS](https://crsreports.congress.gov/) or "
                                               "[an old page](http://example.org/a).")


def check_the_explorer_is_interactive_online_and_a_plain_table_in_print(corpus_with_hostile, rendered):
    ((_, display, output),) = [entry for entry in rendered if entry[0] == "explorer"]
    interactive, printed_only, source = output
    assert interactive.tagname == "only" and interactive["expr"] == "html"
    (raw,) = interactive.children
    assert raw["format"] == "html" and raw.astext() == display.payload["html"]
    assert printed_only.tagname == "only" and printed_only["expr"] == "latex"
    (placeholder,) = printed_only.children
    assert placeholder.tagname == "printed_table" and "html" not in placeholder["payload"]
    (table,) = printed(printed_only).children
    assert [entry.astext() for entry in table.next_node(nodes.thead).findall(nodes.entry)] == ["Passage", "Brief", "Themes"]
    body = [[entry.astext() for entry in row.findall(nodes.entry)] for row in table.next_node(nodes.tbody).children]
    assert body == display.payload["rows"]
    assert table.next_node(nodes.title).astext() == display.payload["caption"]
    assert "source-line" in source["classes"]


CHECKS = [
    check_the_hostile_brief_reaches_every_kind_of_output,
    check_every_character_of_the_hostile_brief_is_shown_as_text,
    check_raw_html_is_only_a_chart_placeholder_or_the_passage_explorer,
    check_every_link_is_a_passage_a_page_of_the_book_or_a_web_address,
    check_every_element_keeps_the_briefs_straight_quotes,
    check_output_left_out_of_the_handout_is_marked_and_nothing_else,
    check_a_table_shows_its_caption_header_and_cells_as_given_and_its_data_to_download,
    check_a_chart_is_interactive_online_and_a_vector_figure_in_print,
    check_each_quote_is_shown_whole_with_its_stance_and_a_link_to_its_passage,
    check_the_explorer_is_interactive_online_and_a_plain_table_in_print,
]


def test_the_explorer_lists_every_passage_with_its_brief_themes_reasons_and_text(corpus):
    import csv as csv_module

    display = show.explorer(corpus)
    payload = display.payload
    labels = {brief.id: brief.label for brief in corpus.briefs}
    passages = corpus.passages
    assert payload["rows"] == [[pid, labels[brief], themes.replace(";", ", ")] for pid, brief, themes in
                               zip(passages["passage_id"], passages["brief_id"], passages["themes"])]
    rows = list(csv_module.DictReader(io.StringIO(payload["csv"])))
    assert list(rows[0]) == ["Passage", "Brief", "Themes", "Why these themes", "Text"]
    by_id = {passage.id: passage.text for brief in corpus.briefs for passage in brief.passages}
    assert [row["Text"] for row in rows] == [by_id[row["Passage"]] for row in rows]
    assert [row["Why these themes"] for row in rows] == list(passages["reasons"].fillna(""))
    assert payload["source"] == (f"Source: the briefs {', '.join(labels.values())}; computed at build time from "
                                 "data/briefs/, data/codebook.yml.")
    soup = BeautifulSoup(payload["html"], "html.parser")
    assert not [tag for tag in soup.find_all(["script", "link", "img"]) if tag.get("src") or tag.get("href")], \
        "the explorer loads nothing from elsewhere: it works offline"
    assert soup.find("table", id="every-passage-table") is not None
    assert "Every passage of every brief" in payload["html"]
    assert display.summary == f"{len(passages)} passages"
    script = soup.find_all("script")[-1].string  # the filter that opens the explorer on a brief and a theme
    themes = {theme.id: theme.label for theme in corpus.codebook.themes.values()}
    assert f"themes = {json.dumps(themes)};" in script and 'getElementById("every-passage-table")' in script
    assert not re.search(r"\b(THEMES|TABLE|BUNDLE)\b", script), "every placeholder filled in"
    bundle = re.search(r"window\.(_itables_\w+) =", payload["html"]).group(1)
    assert f'"{bundle}"' in script
    options = json.loads(re.search(r"let dt_args = (\{.*?\});", payload["html"], re.S).group(1))
    assert options["lengthMenu"] == [10, 25, 50, 100, 500] and options["pageLength"] == 10
