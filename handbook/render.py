"""A myst-nb output renderer: turns the JSON that handbook.show emits into document nodes.

Brief text only ever becomes docutils Text nodes, which the HTML and LaTeX writers escape. The one
piece of raw HTML is a chart's placeholder, whose JSON is escaped so it cannot close its script tag.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json

from docutils import nodes
from sphinx import addnodes

from handbook.briefs import http_url
from handbook.print_only import printed_table
from handbook.printed_charts import vega_pdf
from handbook.printed_text import LONGEST_CELL_WORD
from handbook.show import MIME_TYPE
from handbook.tables import explorer_query

# About a third of an A4 page of table text: more than this, and a table that cannot break across
# pages may leave most of a page blank, or run into the bottom margin.
LONG_TABLE_CHARACTERS = 900
# A printed line of table text holds about this many characters; a cell's padding takes about three.
LINE_CHARACTERS, CELL_PADDING, SHORT_CELL = 88, 4, 16
WIDE_TABLE_CHARACTERS = 70
ADDRESS_WIDTH = 20
# What _table_node reads of a table's payload.
TABLE_KEYS = ("columns", "rows", "caption", "links", "passage_columns", "link_columns")


class HandbookMime:
    """Registered with myst-nb under the entry point group 'myst_nb.mime_renderers'."""

    mime_priority_overrides = [("*", MIME_TYPE, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != MIME_TYPE or inline:
            return None
        payload = json.loads(data.content) if isinstance(data.content, str) else data.content
        build = {"table": _table, "chart": _chart, "quotes": _quotes, "sources": _sources,
                 "explorer": _explorer, "bibliography": _bibliography, "download": _download}[payload["kind"]]
        output = build(renderer, payload)
        if payload.get("handout") is False:
            for node in output:
                node["classes"].append("not-in-handout")
        return [_verbatim(node) for node in output]


def _verbatim(node: nodes.Node) -> nodes.Node:
    """Keep Sphinx's smartquotes (on for the book's own prose) away from what a cell shows: brief text
    must keep its straight quotes and apostrophes (see sphinx.util.nodes.is_smartquotable)."""
    for element in node.findall(nodes.Element):
        element["support_smartquotes"] = False
    return node


def _docname(renderer) -> str:
    return renderer.renderer.sphinx_env.docname


def _write(renderer, name: str, suffix: str, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()[:16]
    return renderer.write_file([f"{name}-{digest}{suffix}"], content, overwrite=False, exists_ok=True)


def _source_line(renderer, payload) -> nodes.paragraph:
    """The source of a table or chart, and in HTML a download of exactly the data behind it."""
    line = nodes.paragraph(classes=["source-line"])
    line += nodes.Text(payload["source"] + " ")
    uri = _write(renderer, payload["name"], ".csv", payload["csv"].encode("utf-8"))
    download = addnodes.download_reference(
        "", "", nodes.literal("", "Download the data (CSV)"),
        reftarget=uri, refdoc=_docname(renderer), refexplicit=True,
    )
    html_only = addnodes.only(expr="html")
    html_only += nodes.inline("", "", download)
    line += html_only
    return line


def _download(renderer, payload) -> list[nodes.Node]:
    uri = _write(renderer, payload["name"], payload["suffix"], base64.b64decode(payload["data"]))
    line = nodes.paragraph(classes=["download-line"])
    line += addnodes.download_reference("", "", nodes.literal("", payload["label"]),
                                        reftarget=uri, refdoc=_docname(renderer), refexplicit=True)
    online = addnodes.only(expr="html")
    online += line
    return [online]


def _table(renderer, payload) -> list[nodes.Node]:
    return [_table_node(_docname(renderer), payload), _source_line(renderer, payload)]


def _table_node(docname: str, payload) -> nodes.Element:
    columns, rows = payload["columns"], payload["rows"]
    # Browsers size columns by content (colwidths-auto). LaTeX's tabulary does too, but it cannot break
    # across pages: a table that may not fit the rest of a page (many rows, or much text) is a
    # longtable, which breaks, and wraps text only in columns of given widths.
    # A table whose unbreakable words alone would fill a printed line is printed smaller (see
    # _config.yml), in the widths given here: tabulary's own would still overfill the line.
    # An address breaks anywhere in print (xurl): measure it as a cell of ADDRESS_WIDTH, not as one word.
    address_columns = set(payload.get("link_columns", []))
    measured = [[column] + (["x" * ADDRESS_WIDTH] if index in address_columns else [row[index] for row in rows])
                for index, column in enumerate(columns)]
    wide = sum(_longest_word(cells) + CELL_PADDING for cells in measured) > WIDE_TABLE_CHARACTERS
    long = wide or len(rows) > 12 or sum(len(cell) for row in rows for cell in row) > LONG_TABLE_CHARACTERS
    classes = ["handbook-table", "colwidths-auto"] + (["longtable", "colwidths-given"] if long else [])
    table = nodes.table(classes=classes)
    table += nodes.title(text=payload["caption"])
    group = nodes.tgroup(cols=len(columns))
    table += group
    for width in _column_widths(measured):
        group += nodes.colspec(colwidth=width)

    linked = set(payload.get("passage_columns", []))
    links = payload.get("links") or [[] for _ in rows]

    def row_of(cells, header=False, hrefs=()):
        row = nodes.row()
        for index, cell in enumerate(cells):
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            if index in linked and not header:
                for number, passage_id in enumerate(filter(None, cell.split(", "))):
                    if number:
                        paragraph += nodes.Text(", ")
                    paragraph += _passage_link(docname, passage_id)
            elif index in address_columns and not header and cell.startswith(("http://", "https://")):
                paragraph += _link(cell)
            elif index < len(hrefs) and hrefs[index]:
                paragraph += _page_link(docname, hrefs[index], cell)
            else:
                paragraph += nodes.Text(cell)
            entry += paragraph
            row += entry
        return row

    head = nodes.thead()
    head += row_of(columns, header=True)
    body = nodes.tbody()
    for cells, hrefs in zip(rows, links):
        body += row_of(cells, hrefs=hrefs)
    group += head
    group += body
    if wide:
        table = nodes.container("", table, classes=["wide-table"])
    return table


def _longest_word(cells: list[str]) -> int:
    """In characters; a longer word than a cell holds breaks anywhere in print (handbook.printed_text)."""
    return min(LONGEST_CELL_WORD, max(len(word) for cell in cells for word in (cell.split() or [""])))


def _column_widths(columns: list[list[str]]) -> list[int]:
    """Column widths, in characters of a printed line, for a table that breaks across pages (a
    longtable wraps text only in widths it is given): short cells whole, with their padding; long
    text shares the rest of the line, each column keeping room for its longest word."""
    short, long = {}, {}
    for index, cells in enumerate(columns):
        longest = max(len(cell) for cell in cells)
        word = _longest_word(cells)
        if longest <= SHORT_CELL:
            short[index] = longest + CELL_PADDING
        else:
            long[index] = (word + CELL_PADDING, min(longest, 40))
    rest = max(LINE_CHARACTERS - sum(short.values()), sum(minimum for minimum, _ in long.values()))
    wanted = sum(want for _, want in long.values()) or 1
    widths = dict(short)
    for index, (minimum, want) in long.items():
        widths[index] = max(minimum, round(rest * want / wanted))
    return [widths[index] for index in range(len(columns))]


def _explorer(renderer, payload) -> list[nodes.Node]:
    """The interactive table online; in print, the plain table (the full text is in the Sources appendix),
    made by the print build only (handbook.print_only)."""
    interactive = addnodes.only(expr="html")
    interactive += nodes.raw("", payload["html"], format="html")
    printed = addnodes.only(expr="latex")
    table = {key: payload[key] for key in TABLE_KEYS if key in payload}  # not the HTML, nor the CSV
    printed += printed_table(docname=_docname(renderer), payload=table)
    return [interactive, printed, _source_line(renderer, payload)]


def _script_json(value) -> str:
    """JSON that is safe inside <script>: no '<', '>' or '&' can end the element or start a comment.

    Keys are sorted: a spec read back from the execution cache (sorted by nbformat) and one fresh from
    a kernel give the same page.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _chart(renderer, payload) -> list[nodes.Node]:
    spec_json = _script_json(payload["spec"])
    chart_id = "chart-" + hashlib.sha256(spec_json.encode("utf-8")).hexdigest()[:12]
    figure = nodes.figure(classes=["handbook-chart"])
    interactive = addnodes.only(expr="html")
    interactive += nodes.raw(
        "",
        f'<div class="vega-chart" id="{chart_id}" role="img" aria-label="{html.escape(payload["alt"], quote=True)}">'
        f'</div><script type="application/json" class="vega-spec" data-chart="{chart_id}">{spec_json}</script>',
        format="html",
    )
    printed = addnodes.only(expr="latex")
    printed += vega_pdf(spec=payload["spec"], name=payload["name"], alt=payload["alt"])
    figure += interactive
    figure += printed
    figure += nodes.caption(text=payload["caption"])
    description = nodes.paragraph(classes=["chart-description"])
    description += nodes.Text("Chart description: " + payload["alt"])
    return [figure, description, _source_line(renderer, payload)]


def _page_link(docname: str, href: str, text: str, printed_text: str | None = None) -> nodes.reference:
    """Online, a link to a page of the book (`href` relative to its root, with a query); in print, the
    text (or `printed_text`), which handbook.print_only puts in its place."""
    link = nodes.reference("", text, refuri="../" * docname.count("/") + href, classes=["explorer-link"])
    if printed_text:
        link["printed"] = printed_text
    return link


def _passage_link(docname: str, passage_id: str, text: str | None = None) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "", nodes.inline("", text or passage_id, classes=["passage-ref"]),
        refdomain="std", reftype="ref", reftarget=passage_id, refexplicit=True, refwarn=True,
        refdoc=docname,
    )


def _quote_group(renderer, item, suggested: bool = False) -> nodes.container:
    extra = ["suggested"] if suggested else []
    group = nodes.container(classes=["brief-comparison", f"brief-{item['brief_id']}", *extra])
    position = nodes.paragraph(classes=["quote-position", *extra])
    position += nodes.strong(text=item["label"])
    position += nodes.Text(": " + item["position"])
    group += position
    quote = nodes.block_quote(classes=["brief-quote", f"brief-{item['brief_id']}", *extra])
    quote += nodes.paragraph(text=item["text"])
    attribution = nodes.attribution()
    attribution += nodes.Text(f"{item['label']}, “{item['title']}” ({item['date']}), passage ")
    attribution += _passage_link(_docname(renderer), item["passage_id"])
    quote += attribution
    group += quote
    if item.get("note"):
        group += _note(item["note"])
    return group


def _quotes(renderer, payload) -> list[nodes.Node]:
    output = []
    if payload.get("agreement"):
        summary = nodes.paragraph(classes=["quote-agreement"])
        summary += nodes.Text(payload["agreement"])
        output.append(summary)
    output += [_quote_group(renderer, item) for item in payload["quotes"]]
    output += [_quote_group(renderer, item, suggested=True) for item in payload.get("suggested", [])]
    for label, names in (("Does not address this question", payload["silent"]),
                         ("Not applicable", payload.get("inapplicable", []))):
        if names:
            note = nodes.paragraph(classes=["quote-others"])
            note += nodes.strong(text=label + ": ")
            note += nodes.Text(", ".join(names) + ".")
            output.append(note)
    if payload["uncoded"]:
        note = nodes.paragraph(classes=["quote-others"])
        note += nodes.strong(text="Not coded yet: ")
        for number, brief in enumerate(payload["uncoded"]):
            note += nodes.Text(("; " if number else "") + brief["label"] + " (")
            note += _uncoded_passages(renderer, brief, payload["theme"])
            note += nodes.Text(")")
        note += nodes.Text(".")
        output.append(note)
    return output


def _uncoded_passages(renderer, brief, theme: str) -> nodes.Node:
    """How many passages of a brief not yet coded are on the theme: online, a link to the explorer showing
    them, to be read and coded there; in print, their ids as well when they are few. (A link to each
    passage made the chapters of a book of 200 briefs three times as large, and its build slower.)"""
    passages = brief["passages"]
    count = f"{len(passages)} passages on this theme"
    if not passages:
        return nodes.Text(count)
    printed = count + (": " + ", ".join(passages) if len(passages) <= 12 else "")
    return _page_link(_docname(renderer), explorer_query(brief["label"], theme), count, printed)


def _link(url: str) -> nodes.Node:
    """A link for an http(s) address, checked again here as at loading; anything else stays text."""
    if http_url(url):
        return nodes.reference("", url, refuri=url)
    return nodes.Text(url)


def _bibliography(renderer, payload) -> list[nodes.Node]:
    entries = nodes.definition_list(classes=["handbook-bibliography"])
    for item in payload["entries"]:
        entry = nodes.definition_list_item()
        entry += nodes.term("", item["label"])
        text = nodes.paragraph()
        if item["authors"]:
            text += nodes.Text(item["authors"] + ", ")
        text += nodes.emphasis("", item["title"])
        facts = [f"edited by {item['editors']}" if item["editors"] else "", item["institution"], item["kind"],
                 item["date"]]
        text += nodes.Text(", " + ", ".join(fact for fact in facts if fact) + ". ")
        if item["url"]:
            text += _link(item["url"])
            text += nodes.Text(". ")
        text += nodes.Text("Full text: ")
        text += _passage_link(_docname(renderer), item["id"], "Sources appendix")
        text += nodes.Text(".")
        definition = nodes.definition()
        definition += text
        entry += definition
        entries += entry
    download = nodes.paragraph(classes=["source-line"])
    uri = _write(renderer, "briefs", ".bib", payload["bibtex"].encode("utf-8"))
    html_only = addnodes.only(expr="html")
    html_only += nodes.inline("", "", addnodes.download_reference(
        "", "", nodes.literal("", "Download these entries (BibTeX)"),
        reftarget=uri, refdoc=_docname(renderer), refexplicit=True))
    download += html_only
    return [entries, download]


def _note(note: dict) -> nodes.container:
    """An editor's note: the handbook's own words, set apart from the brief's by a label and a frame."""
    box = nodes.container(classes=["editor-note"])
    paragraph = nodes.paragraph()
    paragraph += nodes.strong(text=f"{note['label']} ({note['passage_id']}): ")
    paragraph += nodes.Text(note["text"])
    for number, (label, url) in enumerate(note["sources"]):
        paragraph += nodes.Text(" Source: " if number == 0 else "; ")
        paragraph += nodes.Text(f"{label}, ")
        paragraph += _link(url)
    if note["sources"]:
        paragraph += nodes.Text(".")
    box += paragraph
    return box


def _anchored(renderer, node: nodes.Element, anchor: str) -> nodes.Element:
    """Give a node an id that other pages can link to (a label for Sphinx's :ref:)."""
    node["ids"].append(anchor)
    node["names"].append(anchor)
    renderer.renderer.document.note_explicit_target(node)
    return node


def _sources(renderer, payload) -> list[nodes.Node]:
    output = []
    contents = nodes.bullet_list(classes=["sources-contents"])
    for brief in payload["briefs"]:
        item = nodes.list_item()
        line = nodes.paragraph()
        line += nodes.reference("", f"{brief['label']}: {brief['title']}", refid=brief["id"])
        item += line
        contents += item
    output.append(contents)
    for brief in payload["briefs"]:
        section = _anchored(renderer, nodes.container(classes=["source-brief", f"brief-{brief['id']}"]), brief["id"])
        section += nodes.rubric(text=f"{brief['label']}: {brief['title']}", classes=["source-title"])
        facts = [brief["authors"], f"edited by {brief['editors']}" if brief["editors"] else "",
                 brief["institution"], brief["date"], brief["kind"], f"perspective: {brief['perspective']}"]
        meta = nodes.paragraph(classes=["brief-meta"])
        meta += nodes.Text(" · ".join(fact for fact in facts if fact))
        if brief["url"]:
            meta += nodes.Text(" · ")
            meta += _link(brief["url"])
        section += meta
        for block in brief["blocks"]:
            if block["kind"] == "heading":
                section += nodes.rubric(text=block["text"], classes=["source-heading"])
                continue
            passage = nodes.paragraph(classes=["passage", f"passage-{block['kind']}"])
            passage += nodes.inline("", f"[{block['passage_id']}]", classes=["passage-id"])
            passage += nodes.Text(" " + block["text"])
            section += _anchored(renderer, passage, block["passage_id"])
            if block.get("note"):
                section += _note(block["note"])
        if brief["notes"]:
            section += nodes.rubric(text="Notes", classes=["source-heading"])
            notes = nodes.enumerated_list(classes=["brief-notes"])
            for _, text in brief["notes"]:
                note = nodes.list_item()
                note += nodes.paragraph(text=text)
                notes += note
            section += notes
        output.append(section)
    return output
