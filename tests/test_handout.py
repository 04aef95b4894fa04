"""A chapter's handout made from its document tree without a build: what it keeps, leaves out, adds and
numbers, on a chapter small enough to know every answer. tests/test_pdf.py reads the printed handouts."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from types import SimpleNamespace

import pdfplumber
import pytest
import vl_convert
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx import addnodes

from handbook import handout
from handbook.briefs import load_briefs
from tests.conftest import ROOT

BOOK_TITLE = "The Handbook"


@cache
def briefs():
    """Read when a test runs, not when the file is collected (mutation testing maps calls to tests)."""
    return load_briefs(ROOT / "data" / "briefs")


def document():
    return new_document("<test>", get_default_settings(Parser))


def paragraph(*children, classes=()):
    node = nodes.paragraph(classes=list(classes))
    for child in children:
        node += nodes.Text(child) if isinstance(child, str) else child
    return node


def link_elsewhere(text):
    return nodes.inline(text, text, classes=["xref", "std", "std-doc"])


def passage_ref(passage_id):
    return nodes.inline(passage_id, passage_id, classes=["passage-ref"])


def comparison(brief, stance, words, passage_id):
    """A quote as handbook.render writes it: the brief and its stance, the quote, its attribution."""
    group = nodes.container(classes=["brief-comparison"])
    group += paragraph(f"{brief.label}: {stance}", classes=["quote-position"])
    quote = nodes.block_quote()
    quote += paragraph(words)
    attribution = nodes.attribution()
    attribution += nodes.Text(f"{brief.label}, “{brief.title}” ({brief.date}), passage ")
    attribution += passage_ref(passage_id)
    quote += attribution
    group += quote
    return group


def titled_table(classes=()):
    table = nodes.table(classes=list(classes))
    table += nodes.title(text="A table")
    return table


def chapter_tree():
    first, second = briefs()[:2]
    tree = document()
    top = nodes.section(ids=["the-china-balance"])
    top += nodes.title(text="The China balance")
    top += paragraph("What this chapter does.")
    positions = nodes.section(ids=["positions"])
    positions += nodes.title(text="Positions")
    positions += paragraph("Read the position map. ", link_elsewhere("See the method."), " Then compare.")
    positions += paragraph("The CPEC figures come from ", link_elsewhere("the economics chapter"), ".")
    positions += paragraph("As before. ", link_elsewhere("see the method."), " Or ", link_elsewhere("The Method"), ".")
    positions += paragraph("Not the glossary's term: FATF-style rules, a SUPERFATF.")
    positions += titled_table()
    positions += comparison(first, "Keep ties with both", "The first brief's words.", f"{first.id}-3")
    positions += comparison(second, "Lean toward China", "The second brief's words.", f"{second.id}-7")
    coverage = nodes.section(ids=["coverage"])
    coverage += nodes.title(text="Coverage")
    coverage += paragraph("How much each brief says.")
    coverage += titled_table(classes=["not-in-handout"])
    figure = nodes.figure(classes=["not-in-handout"])
    figure += nodes.caption(text="A chart")
    coverage += figure
    coverage += paragraph("A chart described.", classes=["chart-description"])
    top += positions
    top += coverage
    tree += top
    return tree


def guide_tree():
    tree = document()
    session = nodes.section(ids=["session-1"])
    session += nodes.title(text="Session 1")
    xref = addnodes.pending_xref("", nodes.Text("the chapter"), reftarget="chapters/china", refdomain="std")
    session += paragraph("Read ", xref, ".")
    task = paragraph(nodes.strong(text="Before the session"), " read the ",
                     addnodes.pending_xref("", nodes.Text("glossary"), reftarget="glossary"), " and note one claim.")
    session += task
    tree += session
    return tree


def glossary_tree():
    tree = document()
    glossary = addnodes.glossary()
    entries = nodes.definition_list()
    for term, meaning in (("CPEC", "The China–Pakistan Economic Corridor."), ("FATF", "The Financial Action Task Force.")):
        item = nodes.definition_list_item()
        item += nodes.term(text=term)
        definition = nodes.definition()
        definition += paragraph(meaning)
        item += definition
        entries += item
    glossary += entries
    tree += glossary
    return tree


class App:
    """What the handout uses of Sphinx: the builder's format, the configuration and the environment."""

    def __init__(self):
        trees = {"seminar-guide": guide_tree(), "glossary": glossary_tree(), "chapters/china": chapter_tree()}
        self.handbook_corpus = SimpleNamespace(briefs=briefs())
        self.builder = SimpleNamespace(format="latex")
        self.config = SimpleNamespace(
            root_doc="index", project="Project", handbook_online_only_pages=["adding-a-brief"],
            latex_documents=[("index", "handbook.tex", BOOK_TITLE, "Editors", "manual"),
                             ("chapters/china", "handout-china.tex", "China handout", "Editors", "howto")])
        self.env = SimpleNamespace(found_docs=set(trees), get_doctree=lambda name: trees[name],
                                   toctree_includes={"index": ["introduction", "chapters/afghanistan", "chapters/china"],
                                                     "chapters/afghanistan": ["chapters/afghanistan-background"]})


@pytest.fixture
def made(monkeypatch):
    app = App()
    tree = chapter_tree()
    warnings = []
    monkeypatch.setattr(handout.logger, "warning", lambda message, *args, **kwargs: warnings.append(message % args))
    handout.on_doctree_resolved(app, tree, "chapters/china")
    return tree, warnings


def raw_latex(tree):
    return [node.astext() for node in tree.findall(nodes.raw) if node.get("format") == "latex"]


def test_the_handout_leaves_out_the_books_parts_and_keeps_the_numbers_of_what_follows(made):
    tree, _ = made
    assert not [node for node in tree.findall(nodes.Element)
                if set(node["classes"]) & {"not-in-handout", "chart-description"}]
    assert "coverage" not in {i for section in tree.findall(nodes.section) for i in section["ids"]}, \
        "a section left with only its introduction goes whole"
    assert "\\addtocounter{table}{1}\\addtocounter{figure}{1}\\addtocounter{section}{1}" in raw_latex(tree)
    assert "positions" in {i for section in tree.findall(nodes.section) for i in section["ids"]}
    assert len(list(tree.findall(nodes.table))) == 1


def test_a_link_that_is_a_sentence_goes_with_it_and_any_other_stays_as_text_with_a_warning(made):
    tree, warnings = made
    texts = [node.astext() for node in tree.findall(nodes.paragraph)]
    assert "Read the position map. Then compare." in texts
    assert "The CPEC figures come from the economics chapter." in texts
    assert "As before. see the method. Or The Method." in texts, "not a sentence: lower case, or no full stop"
    assert not [node for node in tree.findall(nodes.inline) if "std-doc" in node["classes"]]
    assert [warning.split("(")[1].split(")")[0] for warning in warnings] == \
        ["'the economics chapter'", "'see the method.'", "'The Method'"]


def test_each_quote_stands_beside_its_brief_and_stance_and_ends_with_its_label_and_passage(made):
    tree, _ = made
    first, second = briefs()[:2]
    groups = [node for node in tree.findall(nodes.container) if "brief-comparison" in node["classes"]]
    assert len(groups) == 2
    for group, brief, stance, words, passage in zip(groups, (first, second), ("Keep ties with both", "Lean toward China"),
                                                    ("The first brief's words.", "The second brief's words."),
                                                    (f"{first.id}-3", f"{second.id}-7")):
        latex = [child.astext() for child in group.children if isinstance(child, nodes.raw)]
        assert latex == ["\n\\begin{handoutquote}{", "}{", "}", "\n\\end{handoutquote}\n"]
        assert [str(child) for child in group.children if isinstance(child, nodes.Text)] == [brief.label, stance]
        (quoted,) = [child for child in group.children if isinstance(child, nodes.paragraph)]
        assert quoted.astext() == f"{words} ({brief.label}, passage {passage})"
        assert not list(group.findall(nodes.attribution)) and not list(group.findall(nodes.block_quote))


def test_the_handout_opens_with_how_to_read_it_the_pre_task_and_the_briefs_it_quotes(made):
    tree, _ = made
    first, second = briefs()[:2]
    top = tree.next_node(nodes.section)
    assert top.children[0].astext() == "The China balance" and top.children[1].astext() == "What this chapter does."
    numbering, about, task_heading, task, briefs_heading, listed = top.children[2:8]
    # The fourth page the outline includes, depth first: introduction, afghanistan, its background, china.
    assert numbering.astext() == handout.NUMBERING.replace("CHAPTER", "4")
    assert about.astext().startswith("About this handout. This is chapter 4 of the handbook “The Handbook”, printed on "
                                     "its own for one seminar session;")
    assert about.astext().endswith(f"After each quote, a passage identifier such as {first.id}-3 names the brief and "
                                   f"the passage: {first.id}-3 is paragraph or list item 3 of {first.label}, counted "
                                   "in order.")
    assert (task_heading.astext(), task.astext()) == ("Before the session", " read the glossary and note one claim.")
    assert not list(task.findall(addnodes.pending_xref)), "a link to another page becomes its words"
    assert briefs_heading.astext() == "The briefs quoted in this handout"
    assert [line.astext() for line in listed.children] == [
        f"{brief.label}: " + ", ".join(fact for fact in (brief.author_line, f"“{brief.title}”", brief.institution,
                                                           brief.date, brief.kind) if fact) + "."
        for brief in briefs() if brief in (first, second)]
    assert listed["classes"] == ["handout-briefs"]
    assert isinstance(top.children[8], nodes.section), "the chapter's own sections follow"


def test_the_handout_ends_with_the_glossarys_entries_for_the_terms_it_uses(made):
    tree, _ = made
    last = tree.next_node(nodes.section).children[-1]
    assert last["ids"] == ["handout-terms"]
    assert last.children[0].astext() == "Acronyms and terms in this handout"
    assert [entry.astext() for entry in last.children[1].children] == ["CPEC The China–Pakistan Economic Corridor."]


def test_the_students_book_leaves_out_the_online_only_pages_and_html_is_left_alone():
    app = App()
    tree = document()
    for docname in ("introduction", "adding-a-brief", "chapters/china"):
        tree += addnodes.start_of_file(docname=docname)
    handout.on_doctree_resolved(app, tree, "index")
    assert [node["docname"] for node in tree.findall(addnodes.start_of_file)] == ["introduction", "chapters/china"]
    app.builder.format = "html"
    chapter = chapter_tree()
    handout.on_doctree_resolved(app, chapter, "chapters/china")
    assert chapter.astext() == chapter_tree().astext()
    app.builder.format = "latex"
    handout.on_doctree_resolved(app, chapter, "introduction")
    assert chapter.astext() == chapter_tree().astext(), "a page that is no document of its own"


def test_every_printed_page_names_the_edition_of_the_latest_brief_added():
    config = SimpleNamespace(latex_elements={"preamble": "% the book's own\n"})
    handout.on_config_inited(SimpleNamespace(handbook_corpus=SimpleNamespace(briefs=briefs())), config)
    latest = max(brief.added for brief in briefs() if brief.added)
    assert config.latex_elements["preamble"] == ("% the book's own\n\\newcommand{\\handbookedition}{" + latest + "}\n"
                                                 + handout.PREAMBLE)
    assert handout.edition([SimpleNamespace(added=None)]) == "first edition"
    assert handout.edition([SimpleNamespace(added="2025-01-02"), SimpleNamespace(added="2026-03-04"),
                            SimpleNamespace(added=None)]) == "2026-03-04"


def test_a_chart_in_print_is_drawn_once_as_a_vector_pdf_named_by_its_spec(tmp_path, corpus):
    from handbook import charts
    from handbook.printed_charts import draw_vega_pdfs, vega_pdf

    spec = vl_convert.vegalite_to_vega(charts.theme_heatmap(corpus).chart.to_dict())
    tree = document()
    for _ in range(2):  # the same chart twice: a handout's chart is the book's
        tree += vega_pdf(spec=spec, name="heatmap", alt="Themes by brief")
    draw_vega_pdfs(tree, tmp_path)
    images = list(tree.findall(nodes.image))
    assert not list(tree.findall(vega_pdf)) and len(images) == 2
    (drawn,) = tmp_path.iterdir()
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()[:16]
    assert drawn.name == f"heatmap-{digest}.pdf" and drawn.read_bytes().startswith(b"%PDF")
    assert all((image["uri"], image["alt"], image["candidates"]) == (drawn.name, "Themes by brief", {"*": drawn.name})
               for image in images)
    fonts = pdfplumber.open(drawn).pages[0].chars
    assert fonts and all(not char["fontname"].endswith("Type3") for char in fonts), "text kept as text, not paths"
    drawn.write_bytes(b"%PDF kept")
    again = document()
    again += vega_pdf(spec=spec, name="heatmap", alt="x")
    draw_vega_pdfs(again, tmp_path)
    assert drawn.read_bytes() == b"%PDF kept", "drawn once, then reused"
