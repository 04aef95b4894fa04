"""The print editions as a seminar uses them: a handout per chapter that stands alone, and a book for
students without the editors' pages.

Every entry of `handbook_latex_documents` after the book is a handout of one chapter. A handout is made
from that chapter's own doctree when the LaTeX builder assembles it, so no chapter text is written twice:
it gains a note on how to read it, the session's pre-task (taken from the seminar guide's session that
links to the chapter), the briefs it quotes with their authors, and the acronyms it uses (taken from
the glossary); it loses what repeats something else on the page or is the book's rather than the
session's (nodes of class `not-in-handout`: the coverage table and chart, the position chart, the
agreement table), the printed chart descriptions, a section left with nothing else, and every sentence
that points to another page of the book. Quotes stand beside their briefs' coded stances. Tables,
figures and sections keep the numbers they have in the book and online (chapter number first), and
every page carries the handout's title, edition and date. A seminar photocopies at most six pages.
"""

from __future__ import annotations

import copy
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from handbook.briefs import Brief

logger = logging.getLogger(__name__)
OMITTED_CLASSES = ("not-in-handout", "chart-description")
PRE_TASK = "Before the session"

# Handouts only: no contents box, a compact title, a header on every page, margins for photocopies.
PREAMBLE = r"""
\makeatletter
\@ifclassloaded{sphinxhowto}{%
  \usepackage{lastpage}
  \usepackage{multicol}
  \geometry{a4paper, hmargin=1.8cm, top=2cm, bottom=1.8cm, headheight=14pt, headsep=0.4cm, footskip=0.8cm}
  \titlespacing*{\section}{0pt}{1.4ex plus 0.5ex minus 0.3ex}{0.6ex}
  % A heading moves to the next page only when fewer than six lines would follow it (Sphinx's titlesec
  % default is a fifth of the page: a handout would lose that much above most headings it moves).
  \renewcommand{\bottomtitlespace}{6\baselineskip}
  % A seminar photocopies at most six pages: body a size smaller, quotes and tables smaller again
  % (9 pt; the position map, the one wide table, 8 pt).
  \AtBeginDocument{\small
    % Lists (objectives, discussion questions) without blank lines between their items.
    \def\@listi{\leftmargin\leftmargini \topsep 3\p@ \@plus1\p@ \parsep\z@ \itemsep 1.5\p@ \@plus1\p@}%
    \let\@listI\@listi}
  \AtBeginEnvironment{quote}{\footnotesize}
  \g@addto@macro\sphinxatlongtablestart{\scriptsize}
  \g@addto@macro\sphinxattablestart{\scriptsize}
  \renewcommand{\sphinxtableofcontents}{}
  \renewcommand{\sphinxmaketitle}{%
    \let\handout@title\@title
    \hypersetup{pdftitle={\@title}, pdfauthor={\@author}}%
    {\py@HeaderFamily\noindent{\LARGE \@title}\par\smallskip
     \noindent{\normalsize \@author\ \textperiodcentered\ edition of \handbookedition\ \textperiodcentered\ \@date}\par}%
    \noindent\rule{\linewidth}{0.6pt}\par\smallskip
    \let\maketitle\relax}
  \def\handout@header{%
    \fancyhf{}%
    \fancyhead[L]{\py@HeaderFamily\small\handout@title}%
    \fancyhead[R]{\py@HeaderFamily\small edition of \handbookedition\ \textperiodcentered\ \@date}%
    \fancyfoot[C]{\py@HeaderFamily\small page \thepage\ of \pageref*{LastPage}}%
    \renewcommand{\headrulewidth}{0.4pt}\renewcommand{\footrulewidth}{0pt}}
  \AtBeginDocument{\let\handout@title\@title
    \fancypagestyle{normal}{\handout@header}\fancypagestyle{plain}{\handout@header}%
    \fancypagestyle{empty}{\handout@header}}
  % A size smaller than the book's: a seminar photocopies a handout.
  \renewcommand\normalsize{\@setfontsize\normalsize{10}{12.4}%
    \abovedisplayskip 10\p@ \@plus2\p@ \@minus5\p@ \belowdisplayskip\abovedisplayskip}
  \normalsize
  % The briefs side by side: each quote beside its brief's label and the stance it is coded as, the
  % brief's words on the right. A quote is not split across pages (they are a few lines each; a longer
  % one would overfill its page, which the print tests report).
  \newlength{\handout@stancewidth}\setlength{\handout@stancewidth}{3.3cm}
  \newenvironment{handoutquote}[2]{%
    \par\addvspace{3pt plus 1pt}\noindent
    \begin{minipage}[t]{\handout@stancewidth}\raggedright\footnotesize
      {\sffamily\bfseries\ignorespaces #1\unskip}\\\textit{\ignorespaces #2\unskip}\end{minipage}\hfill
    \begin{minipage}[t]{\dimexpr\linewidth-\handout@stancewidth-1em\relax}\footnotesize\parskip 2pt}%
   {\end{minipage}\par}
  % Acronyms with their definitions run in, in two columns.
  \newenvironment{sphinxclasshandout-terms}{\footnotesize\parskip 1pt
    \everypar{\hangindent 1em\hangafter 1}\begin{multicols}{2}}{\end{multicols}}
  % The briefs quoted, one short paragraph each.
  \newenvironment{sphinxclasshandout-briefs}{\footnotesize\parskip 1pt
    \everypar{\hangindent 1em\hangafter 1}}{\par}
}{}
\makeatother
"""


NUMBERING = r"""\makeatletter
\counterwithout{table}{section}\counterwithout{figure}{section}
\counterwithout{table}{subsection}\counterwithout{figure}{subsection}
\renewcommand{\thesection}{CHAPTER.\arabic{section}}
\renewcommand{\thetable}{CHAPTER.\arabic{table}}
\renewcommand{\thefigure}{CHAPTER.\arabic{figure}}
\makeatother"""


def edition(briefs: list[Brief]) -> str:
    """The edition is named by the day the latest brief was added: it changes whenever the corpus does."""
    return max((brief.added for brief in briefs if brief.added), default="first edition")


def on_config_inited(app: Sphinx, config) -> None:
    """Runs after handbook.sphinx_ext's hook (priority 600 against 500) and reads the corpus that hook
    checked: parsing every brief a second time took seconds at 200 briefs."""
    elements = dict(config.latex_elements)
    elements["preamble"] = (elements.get("preamble", "") + "\\newcommand{\\handbookedition}{"
                            + edition(app.handbook_corpus.briefs) + "}\n" + PREAMBLE)
    config.latex_elements = elements


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex":
        return
    entry = next((entry for entry in app.config.latex_documents if entry[0] == docname), None)
    if entry is None:
        return
    if entry[4] == "manual":
        _drop_pages(doctree, set(app.config.handbook_online_only_pages))
    else:
        _make_handout(app, doctree, docname)


def _drop_pages(doctree: nodes.document, docnames: set[str]) -> None:
    """The students' book leaves out the editors' and teachers' pages (they are in the HTML edition)."""
    for start in list(doctree.findall(addnodes.start_of_file)):
        if start.get("docname") in docnames:
            start.parent.remove(start)


def _chapter_number(app: Sphinx, docname: str) -> int:
    """The chapter's number in the book: its place among the documents the root's toctrees include."""
    order, includes = [], app.env.toctree_includes

    def walk(name):
        for child in includes.get(name, []):
            order.append(child)
            walk(child)

    walk(app.config.root_doc)
    return order.index(docname) + 1


def _plain(node: nodes.Node) -> nodes.Node:
    """A copy of a node from another page, with its cross-references reduced to their text: the
    page they point to is not in the handout."""
    node = copy.deepcopy(node)
    for xref in list(node.findall(addnodes.pending_xref)):
        xref.replace_self(xref.children)
    for index in list(node.findall(addnodes.index)):
        index.parent.remove(index)
    return node


def _pre_task(app: Sphinx, docname: str) -> list[nodes.Node]:
    """The seminar guide's pre-session task for this chapter: the paragraph that starts "Before the
    session" in the section that links to the chapter."""
    for other in sorted(app.env.found_docs):
        if other == docname:
            continue
        for section in app.env.get_doctree(other).findall(nodes.section):
            links = [x for x in section.findall(addnodes.pending_xref) if x.get("reftarget") == docname]
            tasks = [p for p in section.children
                     if isinstance(p, nodes.paragraph) and p.astext().startswith(PRE_TASK)]
            if links and tasks:
                return [_plain(task) for task in tasks]
    return []


def _glossary(app: Sphinx) -> dict[str, nodes.definition]:
    for other in sorted(app.env.found_docs):
        tree = app.env.get_doctree(other)
        if any(True for _ in tree.findall(addnodes.glossary)):
            return {item.children[0].astext().strip(): item.children[-1]
                    for glossary in tree.findall(addnodes.glossary)
                    for item in glossary.findall(nodes.definition_list_item)}
    return {}


def _briefs_quoted(app: Sphinx, doctree: nodes.document) -> list[Brief]:
    passage_ids = {node.astext() for node in doctree.findall(nodes.inline) if "passage-ref" in node["classes"]}
    return [brief for brief in app.handbook_corpus.briefs if any(p.id in passage_ids for p in brief.passages)]


def _brief_line(brief: Brief) -> nodes.paragraph:
    facts = [brief.author_line, f"“{brief.title}”", brief.institution, brief.date, brief.kind]
    paragraph = nodes.paragraph()
    paragraph += nodes.strong(text=brief.label)
    paragraph += nodes.Text(": " + ", ".join(fact for fact in facts if fact) + ".")
    return paragraph


def _counter_steps(removed: list[nodes.Node]) -> nodes.raw | None:
    """Keep the numbers of the tables and figures after an omitted one as they are in the book."""
    tables = sum(1 for node in removed for table in node.findall(nodes.table) if table.next_node(nodes.title))
    figures = sum(1 for node in removed for figure in node.findall(nodes.figure) if figure.next_node(nodes.caption))
    steps = (f"\\addtocounter{{table}}{{{tables}}}" if tables else "") + (
        f"\\addtocounter{{figure}}{{{figures}}}" if figures else "")
    return nodes.raw("", steps, format="latex") if steps else None


def _shows_something(section: nodes.section) -> bool:
    def shown(node):
        return isinstance(node, (nodes.table, nodes.figure, nodes.section, nodes.list_item)) or (
            isinstance(node, nodes.container) and "brief-comparison" in node["classes"])

    return any(True for _ in section.findall(shown, include_self=False))


def _omit(doctree: nodes.document) -> None:
    """Leave out what the handout does not print; a section left with nothing but the prose that
    introduced what was left out goes whole, its number kept as in the book."""
    def omitted(node):
        return isinstance(node, nodes.Element) and any(cls in node["classes"] for cls in OMITTED_CLASSES)

    emptied = []
    for node in list(doctree.findall(omitted)):
        if node.parent is None:
            continue
        section = next((parent for parent in _ancestors(node) if isinstance(parent, nodes.section)), None)
        if section is not None and section not in emptied:
            emptied.append(section)
        steps = _counter_steps([node])
        if steps is not None:
            node.replace_self(steps)
        else:
            node.parent.remove(node)
    for section in emptied:
        if section.parent is None or section.parent is doctree or _shows_something(section):
            continue
        steps = "".join(raw.astext() for raw in section.findall(nodes.raw) if raw.get("format") == "latex")
        section.replace_self(nodes.raw("", steps + "\\addtocounter{section}{1}", format="latex"))


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _short_attributions(doctree: nodes.document, briefs: list[Brief]) -> None:
    """Each quote ends with its brief's label and passage, in brackets on its last line: the brief's
    title and date are in the handout's list of briefs."""
    for attribution in list(doctree.findall(nodes.attribution)):
        for text in list(attribution.findall(nodes.Text)):
            for brief in briefs:
                long = f"{brief.label}, “{brief.title}” ({brief.date}), "
                if str(text).startswith(long):
                    text.parent.replace(text, nodes.Text(brief.label + ", " + str(text)[len(long):]))
        quote = attribution.parent
        last = quote.children[quote.index(attribution) - 1] if quote.index(attribution) else None
        if isinstance(last, nodes.paragraph):
            last += nodes.Text(" (")
            last.extend(attribution.children)
            last += nodes.Text(")")
            quote.remove(attribution)


def _side_by_side(doctree: nodes.document) -> None:
    """Each quote beside its brief's label and the stance it is coded as (LaTeX `handoutquote`): one
    line fewer per quote than a heading over an indented quotation, and the briefs read down the page."""
    def comparison(node):
        return isinstance(node, nodes.container) and "brief-comparison" in node["classes"]

    for group in list(doctree.findall(comparison)):
        position = next((child for child in group.children if isinstance(child, nodes.paragraph)
                         and "quote-position" in child["classes"]), None)
        quote = next((child for child in group.children if isinstance(child, nodes.block_quote)), None)
        if position is None or quote is None:
            continue
        label, _, stance = position.astext().partition(": ")
        rest = [child for child in group.children if child is not position and child is not quote]
        group.children = []
        group += [nodes.raw("", "\n\\begin{handoutquote}{", format="latex"), nodes.Text(label),
                  nodes.raw("", "}{", format="latex"), nodes.Text(stance), nodes.raw("", "}", format="latex")]
        group += [child.deepcopy() for child in quote.children] + rest
        group += nodes.raw("", "\n\\end{handoutquote}\n", format="latex")


SENTENCE_END = re.compile(r"(?:^|[.!?][”’)]*\s+)$")


def _drop_links_elsewhere(doctree: nodes.document, docname: str) -> None:
    """A handout refers to nothing outside itself. A link to another page of the book (what is left of
    it once the LaTeX builder found no target in the handout) is dropped with its sentence when the
    link is the whole sentence, as the chapters write such pointers; any other is kept as plain text,
    with a warning."""
    def elsewhere(node):
        return isinstance(node, nodes.inline) and "std-doc" in node["classes"]

    for link in list(doctree.findall(elsewhere)):
        parent, text = link.parent, link.astext().strip()
        index = parent.index(link)
        before = parent.children[index - 1].astext() if index else ""
        if text[:1].isupper() and text.endswith(".") and SENTENCE_END.search(before):
            after = parent.children[index + 1] if index + 1 < len(parent.children) else None
            if isinstance(after, nodes.Text):
                parent.replace(after, nodes.Text(str(after).lstrip()))
            elif index and isinstance(parent.children[index - 1], nodes.Text):
                parent.replace(parent.children[index - 1], nodes.Text(before.rstrip()))
            parent.remove(link)
        else:
            logger.warning("a link to another page (%r) is not a sentence of its own, so the handout "
                           "cannot drop it: it prints as text pointing outside the handout", text,
                           location=docname)
            parent.replace(link, nodes.Text(link.astext()))


def _make_handout(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    top = doctree.next_node(nodes.section)
    if top is None:
        return
    _omit(doctree)
    _drop_links_elsewhere(doctree, docname)
    briefs = _briefs_quoted(app, doctree)
    _short_attributions(doctree, briefs)
    _side_by_side(doctree)
    number = _chapter_number(app, docname)
    # Numbers as in the book: the chapter's number first, tables and figures counted through the
    # chapter (not per section). Set here, after Sphinx's own numbering has been set up.
    front: list[nodes.Node] = [nodes.raw("", NUMBERING.replace("CHAPTER", str(number)), format="latex")]

    book = next((entry[2] for entry in app.config.latex_documents if entry[4] == "manual"), app.config.project)
    about = nodes.paragraph()
    about += nodes.strong(text="About this handout. ")
    example = next((node.astext() for node in doctree.findall(nodes.inline) if "passage-ref" in node["classes"]), "")
    about += nodes.Text(
        f"This is chapter {number} of the handbook “{book}”, printed on its own for one "
        "seminar session; tables, figures and sections have the same numbers as in the book, where a number "
        "skipped here belongs to a part the handout leaves out. Each quote stands beside its brief’s label "
        "and, in italics, the stance the handbook codes it as. Quotes are the briefs’ own words, and an "
        "ellipsis (…) marks a cut. ")
    if example:
        brief_id, _, index = example.rpartition("-")
        label = next((brief.label for brief in briefs if brief.id == brief_id), brief_id)
        about += nodes.Text(f"After each quote, a passage identifier such as {example} names the brief and the "
                            f"passage: {example} is paragraph or list item {index} of {label}, counted in order.")
    front.append(about)
    pre_task = _pre_task(app, docname)
    if pre_task:
        front.append(nodes.rubric(text="Before the session"))
        for paragraph in pre_task:
            strong = paragraph.next_node(nodes.strong)
            if strong is not None and strong.astext().startswith(PRE_TASK):
                strong.parent.remove(strong)
            front.append(paragraph)
    if briefs:
        front.append(nodes.rubric(text="The briefs quoted in this handout"))
        front.append(nodes.container("", *[_brief_line(brief) for brief in briefs], classes=["handout-briefs"]))

    first_section = next((index for index, child in enumerate(top.children) if isinstance(child, nodes.section)),
                         len(top.children))
    for offset, node in enumerate(front):
        top.insert(first_section + offset, node)

    text = doctree.astext()
    used = [(term, definition) for term, definition in _glossary(app).items()
            if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text)]
    if used:
        section = nodes.section(ids=["handout-terms"])
        section += nodes.title(text="Acronyms and terms in this handout")
        terms = nodes.container(classes=["handout-terms"])
        for term, definition in used:
            entry = nodes.paragraph()
            entry += nodes.strong(text=term)
            for paragraph in _plain(definition).findall(nodes.paragraph):
                entry += nodes.Text(" ")
                entry.extend(paragraph.children)
            terms += entry
        section += terms
        top += section


def setup(app: Sphinx):
    app.add_config_value("handbook_online_only_pages", [], "env")
    app.connect("config-inited", on_config_inited, priority=600)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
