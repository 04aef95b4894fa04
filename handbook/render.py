"""A myst-nb output renderer: turns the JSON that handbook.show emits into document nodes.

Brief text only ever becomes docutils Text nodes, which the HTML and LaTeX writers escape. The one
piece of raw HTML is a chart's placeholder, whose JSON is escaped so it cannot close its script tag.
"""

from __future__ import annotations

import hashlib
import html
import json

from docutils import nodes
from sphinx import addnodes

from handbook.printed_charts import vega_pdf
from handbook.show import MIME_TYPE


class HandbookMime:
    """Registered with myst-nb under the entry point group 'myst_nb.mime_renderers'."""

    mime_priority_overrides = [("*", MIME_TYPE, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != MIME_TYPE or inline:
            return None
        payload = json.loads(data.content) if isinstance(data.content, str) else data.content
        build = {"table": _table, "chart": _chart, "quotes": _quotes, "sources": _sources,
                 "explorer": _explorer}[payload["kind"]]
        return build(renderer, payload)


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


def _table(renderer, payload) -> list[nodes.Node]:
    columns, rows = payload["columns"], payload["rows"]
    # Browsers size columns by content (colwidths-auto). LaTeX's tabulary does too, but a table long
    # enough to break across pages is a longtable, which only wraps text in columns of given widths.
    classes = ["handbook-table", "colwidths-auto"] + (["longtable", "colwidths-given"] if len(rows) > 12 else [])
    table = nodes.table(classes=classes)
    table += nodes.title(text=payload["caption"])
    group = nodes.tgroup(cols=len(columns))
    table += group
    for index, column in enumerate(columns):
        # Room for the longest word twice over, and for short cells whole; long text shares the rest.
        cells = [column] + [row[index] for row in rows]
        longest_word = max(len(word) for cell in cells for word in (cell.split() or [""]))
        group += nodes.colspec(colwidth=max(2 * longest_word, min(max(len(cell) for cell in cells), 40), 6))

    linked = set(payload.get("passage_columns", []))

    def row_of(cells, header=False):
        row = nodes.row()
        for index, cell in enumerate(cells):
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            if index in linked and not header:
                for number, passage_id in enumerate(filter(None, cell.split(", "))):
                    if number:
                        paragraph += nodes.Text(", ")
                    paragraph += _passage_link(renderer, passage_id)
            else:
                paragraph += nodes.Text(cell)
            entry += paragraph
            row += entry
        return row

    head = nodes.thead()
    head += row_of(columns, header=True)
    body = nodes.tbody()
    for cells in rows:
        body += row_of(cells)
    group += head
    group += body
    return [table, _source_line(renderer, payload)]


def _explorer(renderer, payload) -> list[nodes.Node]:
    """The interactive table online; in print, the plain table (the full text is in the Sources appendix)."""
    interactive = addnodes.only(expr="html")
    interactive += nodes.raw("", payload["html"], format="html")
    printed = addnodes.only(expr="latex")
    table, source = _table(renderer, payload)
    printed += table
    return [interactive, printed, source]


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


def _passage_link(renderer, passage_id: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "", nodes.inline("", passage_id, classes=["passage-ref"]),
        refdomain="std", reftype="ref", reftarget=passage_id, refexplicit=True, refwarn=True,
        refdoc=_docname(renderer),
    )


def _quotes(renderer, payload) -> list[nodes.Node]:
    output = []
    for item in payload["quotes"]:
        group = nodes.container(classes=["brief-comparison", f"brief-{item['brief_id']}"])
        if item["position"]:
            position = nodes.paragraph(classes=["quote-position"])
            position += nodes.strong(text=item["label"])
            position += nodes.Text(": " + item["position"])
            group += position
        quote = nodes.block_quote(classes=["brief-quote", f"brief-{item['brief_id']}"])
        quote += nodes.paragraph(text=item["text"])
        attribution = nodes.attribution()
        attribution += nodes.Text(f"{item['label']}, “{item['title']}” ({item['date']}), passage ")
        attribution += _passage_link(renderer, item["passage_id"])
        quote += attribution
        group += quote
        output.append(group)
    for label, names in (("Does not address this question", payload["silent"]),
                         ("Not coded yet", payload["uncoded"])):
        if names:
            note = nodes.paragraph(classes=["quote-others"])
            note += nodes.strong(text=label + ": ")
            note += nodes.Text(", ".join(names) + ".")
            output.append(note)
    return output


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
        section += meta
        for block in brief["blocks"]:
            if block["kind"] == "heading":
                section += nodes.rubric(text=block["text"], classes=["source-heading"])
                continue
            passage = nodes.paragraph(classes=["passage", f"passage-{block['kind']}"])
            passage += nodes.inline("", f"[{block['passage_id']}]", classes=["passage-id"])
            passage += nodes.Text(" " + block["text"])
            section += _anchored(renderer, passage, block["passage_id"])
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
