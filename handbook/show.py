"""What a chapter cell displays: quotes, tables, charts and the sources, as one JSON output.

A cell never emits HTML or Markdown built from brief text. It emits data under MIME_TYPE, which
handbook.render turns into document nodes that every Sphinx builder escapes: text stays text.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert

from handbook.charts import Chart
from handbook.tables import explorer_query
from handbook.corpus import MAX_SUGGESTED, Corpus
from handbook.positions import CODED, NOT_ADDRESSED, NOT_APPLICABLE, Question

MIME_TYPE = "application/vnd.handbook+json"


class Display:
    """What a cell shows. The book renders MIME_TYPE (handbook.render); plain Jupyter, which does not
    know it, shows tables as HTML (escaped by pandas) and charts as SVG and Vega-Lite.

    The SVG is drawn by IPython's SVG formatter (`_repr_svg_`), which the book's kernels switch off
    (handbook.sphinx_ext): the book never shows it, and drawing it is most of a chart's cost."""

    def __init__(self, payload: dict, summary: str, fallback: dict | None = None, svg=None):
        self.payload = payload
        self.summary = summary
        self.fallback = fallback or {}
        self.svg = svg

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The payload as JSON text: the execution cache stores a notebook as indented JSON, which Python
        # writes a value at a time, and one string is written at once (seconds at 200 briefs).
        return {MIME_TYPE: json.dumps(self.payload, ensure_ascii=False), **self.fallback, "text/plain": self.summary}

    def _repr_svg_(self):
        return self.svg() if self.svg else None


def _html_table(caption: str, columns: list[str], rows: list[list[str]], source: str) -> str:
    frame = pd.DataFrame(rows, columns=columns)
    return (f"<p><strong>{html.escape(caption)}</strong></p>" + frame.to_html(index=False, escape=True)
            + f"<p><small>{html.escape(source)}</small></p>")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _source_line(frame: pd.DataFrame) -> str:
    if frame.attrs.get("source"):  # data from outside the briefs names its own publishers and pages
        return frame.attrs["source"]
    briefs = frame.attrs.get("briefs") or []
    named = f"the briefs {', '.join(briefs)}; " if briefs else ""
    return f"Source: {named}computed at build time from {frame.attrs.get('files', 'data/')}."


def table(frame: pd.DataFrame, caption: str, name: str | None = None, csv_frame: pd.DataFrame | None = None,
          passage_columns: tuple[str, ...] = (), link_columns: tuple[str, ...] = (),
          theme_columns: dict[str, str] | None = None, handout: bool = True) -> Display:
    """A typeset table with a caption, a source line and a CSV download of the same data.

    Cells of `passage_columns` hold passage ids separated by ', ', each shown as a link to its passage;
    cells of `link_columns` hold one http(s) address (checked by handbook.context), shown as a link.
    Online, each cell of a column in `theme_columns` (column -> theme id; by default the frame's
    attrs["theme_columns"]) opens the passage explorer on the passages of that row's brief (column
    "Brief") on that theme. `handout=False` leaves the table out of the chapter's handout.
    """
    name = name or _slug(caption)
    text = frame.astype(object).where(frame.notna(), "").astype(str)
    csv_source = csv_frame if csv_frame is not None else frame
    columns = list(frame.columns)
    theme_columns = frame.attrs.get("theme_columns", {}) if theme_columns is None else theme_columns
    links = [[explorer_query(brief, theme_columns[column]) if column in theme_columns else "" for column in columns]
             for brief in frame["Brief"]] if theme_columns else []
    header, rows, source = [str(column) for column in frame.columns], text.values.tolist(), _source_line(frame)
    return Display({
        "kind": "table", "caption": caption, "name": name, "columns": header, "rows": rows,
        "passage_columns": [columns.index(column) for column in passage_columns],
        "link_columns": [columns.index(column) for column in link_columns],
        "links": links, "handout": handout, "source": source, "csv": csv_source.to_csv(index=False),
    }, f"{caption} ({len(frame)} rows)", {"text/html": _html_table(caption, header, rows, source)})


def chart(result: Chart, caption: str, name: str | None = None, handout: bool = True) -> Display:
    """An interactive chart for HTML and a vector PDF figure for print, with alt text, source and CSV.

    The PDF figure is drawn from the same Vega spec by the print build alone (handbook.render). Links in
    the chart (an `href` encoding) are relative to the book's root, as the chart is drawn."""
    name = name or _slug(caption)
    # Not validated against the Vega-Lite schema here: that took 1.7 s of every build's 12 s of page
    # work, for charts whose code changes only with this package. tests/test_chart_drawing.py validates
    # and draws every chart the book makes.
    spec = result.chart.to_dict(validate=False)
    spec["description"] = result.alt_text  # Vega makes this the drawn chart's accessible name
    return Display({
        "kind": "chart", "caption": caption, "name": name, "alt": result.alt_text,
        "spec": vl_convert.vegalite_to_vega(spec), "handout": handout, "source": _source_line(result.data),
        "csv": result.data.to_csv(index=False),
    }, f"{caption}: {result.alt_text}", {
        f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.split('.')[0].lstrip('v')}+json": spec,
    }, svg=lambda: vl_convert.vegalite_to_svg(spec))


def download(content: bytes, name: str, suffix: str, label: str) -> Display:
    """Online, a file to download (in print, nothing: a printed page cannot hand over a file)."""
    return Display({"kind": "download", "name": name, "suffix": suffix, "label": label,
                    "data": base64.b64encode(content).decode("ascii")}, label)


def exercise_kit(page: str, heading: str = "## Exercises") -> Display:
    """The page's exercises as a notebook with the data beside it (handbook.exercises), to download."""
    from handbook import exercises

    title = "Pakistan–U.S. Relations: A Comparative Policy Handbook"
    return download(exercises.kit(page, heading, title), f"{Path(page).stem}-exercises", ".zip",
                    "Download the exercises: a notebook with the data (zip)")


def _quote_item(corpus: Corpus, brief_id: str, passage_id: str, text: str, position: str = "") -> dict:
    """A quote with its attribution, and the editor's note on its passage where the record differs."""
    brief = corpus.brief(brief_id)
    note = corpus.notes.get(passage_id)
    return {"brief_id": brief_id, "label": brief.label, "title": brief.title, "date": brief.date,
            "passage_id": passage_id, "text": text, "position": position,
            "note": note.payload() if note else None}


def agreement_sentence(question: Question) -> str:
    """How far the coded briefs agree on a question, in one sentence computed from the coding."""
    figures = question.agreement()
    if not figures.coded:
        return "No brief has been coded on this question yet."
    held = f"{figures.holders} of the {figures.coded} briefs coded hold “{question.label(figures.top)}”"
    if figures.in_use == 1:
        return held + ", the only stance taken."
    return held + f"; {figures.in_use} different stances are taken in all."


def comparison(corpus: Corpus, question_id: str) -> Display:
    """Side by side: each brief's coded stances on a question, in its own words; for a brief not yet
    coded, the passage that best matches the question, marked as a suggestion."""
    from handbook import suggest

    question = corpus.question(question_id)
    on_theme = corpus.passages[corpus.on_theme(question.theme)].groupby("brief_id")["passage_id"]
    quotes, suggested, silent, inapplicable, uncoded = [], [], [], [], []
    waiting = corpus.waiting(question)
    for brief in corpus.briefs:
        position = question.position(brief.id)
        if position.status == CODED:
            quotes += [_quote_item(corpus, brief.id, held.passage_id, held.quote, question.label(held.stance))
                       for held in position.held]
        elif position.status == NOT_ADDRESSED:
            silent.append(brief.label)
        elif position.status == NOT_APPLICABLE:
            inapplicable.append(f"{brief.label} ({position.reason})")
        else:
            passages = list(on_theme.get_group(brief.id)) if brief.id in on_theme.groups else []
            uncoded.append({"label": brief.label, "passages": passages})
            if len(waiting) > MAX_SUGGESTED:
                continue
            if position.suggestions:
                best = position.suggestions[0].passage_id
            else:
                ranked = [s for s in suggest.for_brief(corpus, question, brief.id, k=1) if s.score > 0]
                best = ranked[0].passage_id if ranked else None
            if best:
                suggested.append(_quote_item(corpus, brief.id, best, corpus.passage_text(best),
                                             "suggested passage, not yet reviewed by an editor"))
    return Display({"kind": "quotes", "agreement": agreement_sentence(question), "quotes": quotes,
                    "suggested": suggested, "silent": silent, "inapplicable": inapplicable, "uncoded": uncoded,
                    "theme": question.theme},
                   f"{question.text}: {len(quotes)} quotes")


# Opened as explorer.html?brief=<label>&theme=<theme id> (from the brief × theme matrix and the coverage
# tables), the explorer shows exactly that brief's passages on that theme: the same passages those tables
# count. Plain page scripts, so that it works from file:// too.
EXPLORER_FILTER = """
<p id="explorer-filter" class="explorer-filter" role="status" hidden></p>
<script>
(function () {
  var params = new URLSearchParams(window.location.search);
  var brief = params.get('brief'), theme = params.get('theme'), themes = THEMES;
  if (!brief && !theme) { return; }
  function exactly(text) { return text.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&'); }
  Promise.resolve(window[BUNDLE]).then(function (bundle) {
    var $ = bundle.jQuery, table = document.getElementById(TABLE);
    (function filter() {
      if (!$.fn.dataTable.isDataTable(table)) { window.setTimeout(filter, 50); return; }
      var rows = $(table).DataTable();
      if (brief) { rows.column(1).search('^' + exactly(brief) + '$', true, false); }
      if (theme) { rows.column(2).search('(^|, )' + exactly(theme) + '(,|$)', true, false); }
      rows.draw();
      var note = document.getElementById('explorer-filter');
      note.textContent = 'Showing ' + rows.rows({search: 'applied'}).count() + ' passages'
        + (brief ? ' of ' + brief : '') + (theme ? ' on the theme ' + (themes[theme] || theme) : '') + '. ';
      var all = document.createElement('a');
      all.href = window.location.pathname;
      all.textContent = 'Show every passage';
      note.appendChild(all);
      note.hidden = false;
    })();
  });
})();
</script>
"""
EXPLORER_TABLE = "every-passage-table"  # not an id Sphinx gives a section


def explorer(corpus: Corpus) -> Display:
    """Every passage in a searchable, filterable table (itables, fully offline); a plain table in print."""
    from itables import javascript, to_html_datatable

    labels = {brief.id: brief.label for brief in corpus.briefs}
    passages = corpus.passages
    frame = pd.DataFrame({
        "Passage": passages["passage_id"], "Brief": passages["brief_id"].map(labels),
        "Themes": passages["themes"].str.replace(";", ", "), "Why these themes": passages["reasons"],
        "Text": passages["text"],
    })
    frame.attrs = {"briefs": list(labels.values()), "files": "data/briefs/, data/codebook.yml"}
    # itables escapes cell text (allow_html is off), so brief text stays text in the browser.
    bundle = javascript.generate_init_offline_itables_html(Path(javascript.__file__).parent / "html" / "dt_bundle.js")
    themes = json.dumps({theme.id: theme.label for theme in corpus.codebook.themes.values()}).replace("<", "\\u003c")
    interactive = bundle + to_html_datatable(
        frame, connected=False, column_filters="header", pageLength=10, lengthMenu=[10, 25, 50, 100, 500],
        classes="display compact", display_logo_when_loading=False, caption="Every passage of every brief",
        style="width:100%; table-layout:fixed", autoWidth=False, table_id=EXPLORER_TABLE,
        columnDefs=[{"width": "13%", "targets": [0, 2]}, {"width": "10%", "targets": 1}, {"width": "17%", "targets": 3}],
    ) + (EXPLORER_FILTER.replace("THEMES", themes).replace("TABLE", json.dumps(EXPLORER_TABLE))
         .replace("BUNDLE", json.dumps(re.search(r"window\.(_itables_\w+) =", bundle).group(1))))
    printed = table(frame[["Passage", "Brief", "Themes"]], "Every passage and its themes", "passages",
                    csv_frame=frame)
    printed.payload.update(kind="explorer", html=interactive)
    return Display(printed.payload, f"{len(frame)} passages")


def bibliography(corpus: Corpus) -> Display:
    """The briefs under the labels the book cites them by, alphabetically, with the BibTeX to download."""
    from handbook.bib import bibtex

    entries = [{
        "id": b.id, "label": b.label, "authors": ", ".join(b.authors), "editors": ", ".join(b.editors),
        "title": b.title, "institution": b.institution, "kind": b.kind, "date": b.date_text, "url": b.url,
    } for b in sorted(corpus.briefs, key=lambda b: (b.label.casefold(), b.id))]
    return Display({"kind": "bibliography", "entries": entries, "bibtex": bibtex(corpus.briefs)},
                   f"{len(entries)} briefs")


def sources(corpus: Corpus) -> Display:
    """Every brief in full, each passage anchored by its id so that quotes can link to it."""
    briefs = [{
        "id": b.id, "label": b.label, "title": b.title, "authors": b.author_line, "editors": ", ".join(b.editors),
        "institution": b.institution, "date": b.date, "perspective": b.perspective, "kind": b.kind, "url": b.url,
        "blocks": [{"kind": block.kind, "text": block.text, "level": block.level, "passage_id": block.passage_id,
                    "note": corpus.notes[block.passage_id].payload() if block.passage_id in corpus.notes else None}
                   for block in b.blocks],
        "notes": [list(note) for note in b.notes],
    } for b in corpus.briefs]
    return Display({"kind": "sources", "briefs": briefs}, f"{len(briefs)} briefs in full")
