"""What a chapter cell displays: quotes, tables, charts and the sources, as one JSON output.

A cell never emits HTML or Markdown built from brief text. It emits data under MIME_TYPE, which
handbook.render turns into document nodes that every Sphinx builder escapes: text stays text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import vl_convert

from handbook.charts import Chart
from handbook.corpus import Corpus
from handbook.positions import NOT_ADDRESSED

MIME_TYPE = "application/vnd.handbook+json"


class Display:
    def __init__(self, payload: dict, summary: str):
        self.payload = payload
        self.summary = summary

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {MIME_TYPE: self.payload, "text/plain": self.summary}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _source_line(frame: pd.DataFrame) -> str:
    briefs = frame.attrs.get("briefs") or []
    named = f"the briefs {', '.join(briefs)}; " if briefs else ""
    return f"Source: {named}computed at build time from {frame.attrs.get('files', 'data/')}."


def table(frame: pd.DataFrame, caption: str, name: str | None = None, csv_frame: pd.DataFrame | None = None,
          passage_columns: tuple[str, ...] = ()) -> Display:
    """A typeset table with a caption, a source line and a CSV download of the same data.

    Cells of `passage_columns` hold passage ids separated by ', ', each shown as a link to its passage.
    """
    name = name or _slug(caption)
    text = frame.astype(object).where(frame.notna(), "").astype(str)
    csv_source = csv_frame if csv_frame is not None else frame
    return Display({
        "kind": "table", "caption": caption, "name": name,
        "columns": [str(column) for column in frame.columns], "rows": text.values.tolist(),
        "passage_columns": [list(frame.columns).index(column) for column in passage_columns],
        "source": _source_line(frame), "csv": csv_source.to_csv(index=False),
    }, f"{caption} ({len(frame)} rows)")


def chart(result: Chart, caption: str, name: str | None = None) -> Display:
    """An interactive chart for HTML and a vector PDF figure for print, with alt text, source and CSV.

    The PDF figure is drawn from the same Vega spec by the print build alone (handbook.render).
    """
    name = name or _slug(caption)
    spec = result.chart.to_dict()
    spec["description"] = result.alt_text  # Vega makes this the drawn chart's accessible name
    return Display({
        "kind": "chart", "caption": caption, "name": name, "alt": result.alt_text,
        "spec": vl_convert.vegalite_to_vega(spec), "source": _source_line(result.data),
        "csv": result.data.to_csv(index=False),
    }, f"{caption}: {result.alt_text}")


def _quote_item(corpus: Corpus, brief_id: str, passage_id: str, text: str, position: str = "") -> dict:
    brief = corpus.brief(brief_id)
    return {"brief_id": brief_id, "label": brief.label, "title": brief.title, "date": brief.date,
            "passage_id": passage_id, "text": text, "position": position}


def comparison(corpus: Corpus, question_id: str) -> Display:
    """Side by side: each brief's coded position on a question, in its own words."""
    question = corpus.question(question_id)
    theme_passages = corpus.passages[corpus.on_theme(question.theme)]
    quotes, silent, uncoded = [], [], []
    for brief in corpus.briefs:
        position = question.positions.get(brief.id)
        if position is None:
            on_theme = int((theme_passages["brief_id"] == brief.id).sum())
            if on_theme:
                uncoded.append(f"{brief.label} ({on_theme} passages on this theme)")
        elif position.code == NOT_ADDRESSED:
            silent.append(brief.label)
        else:
            quotes.append(_quote_item(corpus, brief.id, position.passage_id, position.quote,
                                      question.label(position.code)))
    if len(uncoded) > 8:  # name them in the position map rather than in a paragraph-long list
        uncoded = [f"{len(uncoded)} briefs with passages on this theme (see the position map)"]
    return Display({"kind": "quotes", "quotes": quotes, "silent": silent, "uncoded": uncoded},
                   f"{question.text}: {len(quotes)} briefs quoted")


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
    interactive = bundle + to_html_datatable(
        frame, connected=False, column_filters="header", pageLength=10, lengthMenu=[10, 25, 50, 100, 500],
        classes="display compact", display_logo_when_loading=False, caption="Every passage of every brief",
        style="width:100%; table-layout:fixed", autoWidth=False,
        columnDefs=[{"width": "13%", "targets": [0, 2]}, {"width": "10%", "targets": 1}, {"width": "17%", "targets": 3}],
    )
    printed = table(frame[["Passage", "Brief", "Themes"]], "Every passage and its themes", "passages",
                    csv_frame=frame)
    printed.payload.update(kind="explorer", html=interactive)
    return Display(printed.payload, f"{len(frame)} passages")


def sources(corpus: Corpus) -> Display:
    """Every brief in full, each passage anchored by its id so that quotes can link to it."""
    briefs = [{
        "id": b.id, "label": b.label, "title": b.title, "authors": b.author_line, "editors": ", ".join(b.editors),
        "institution": b.institution, "date": b.date, "perspective": b.perspective, "kind": b.kind, "url": b.url,
        "blocks": [{"kind": block.kind, "text": block.text, "level": block.level, "passage_id": block.passage_id}
                   for block in b.blocks],
        "notes": [list(note) for note in b.notes],
    } for b in corpus.briefs]
    return Display({"kind": "sources", "briefs": briefs}, f"{len(briefs)} briefs in full")
