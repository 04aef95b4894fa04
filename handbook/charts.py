"""Altair charts of the derived tables. Each function returns the chart, the data drawn and its alt text."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from handbook import tables
from handbook.corpus import Corpus
from handbook.positions import NOT_CODED

FONT = "FreeSans, Liberation Sans, Arial, sans-serif"
STATUS_COLOURS = {"coded": "#0072B2", "not addressed": "#BBBBBB", NOT_CODED: "#E69F00"}


@dataclass
class Chart:
    chart: alt.TopLevelMixin
    data: pd.DataFrame
    alt_text: str


def _configure(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(font=FONT).configure_view(stroke=None)


def _brief_scale(corpus: Corpus) -> alt.Scale:
    return alt.Scale(domain=[b.label for b in corpus.briefs], range=[corpus.colours[b.id] for b in corpus.briefs])


def theme_heatmap(corpus: Corpus) -> Chart:
    matrix = tables.theme_matrix(corpus)
    themes = [theme.label for theme in corpus.codebook.themes.values()]
    data = matrix.melt(id_vars=["Brief"], value_vars=themes, var_name="Theme", value_name="Share (%)")
    base = alt.Chart(data).encode(
        x=alt.X("Theme:N", sort=themes, axis=alt.Axis(labelAngle=0, title=None)),
        y=alt.Y("Brief:N", sort=list(matrix["Brief"]), title=None),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("Share (%):Q", scale=alt.Scale(scheme="blues", domain=[0, 100]), title="Share (%)"),
        tooltip=["Brief", "Theme", "Share (%)"],
    )
    text = base.mark_text().encode(
        text="Share (%):Q",
        color=alt.condition(alt.datum["Share (%)"] > 50, alt.value("white"), alt.value("black")),
    )
    top = data.sort_values("Share (%)", ascending=False).iloc[0]
    alt_text = (f"Heat map of the share of each brief's passages on each theme, for {len(matrix)} briefs and "
                f"{len(themes)} themes. The largest share is {top['Theme']} in {top['Brief']} ({top['Share (%)']}%).")
    return Chart(_configure((heat + text).properties(width=480, height=max(120, 28 * len(matrix)))), data, alt_text)


def coverage_chart(corpus: Corpus, theme: str) -> Chart:
    data = tables.theme_coverage(corpus, theme)
    data["Date"] = [b.date_value.isoformat() for b in corpus.briefs]
    label = corpus.codebook.themes[theme].label
    base = alt.Chart(data).encode(
        x=alt.X("Date:T", title="Publication date", axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("Share (%):Q", title=f"Passages on {label} (%)", scale=alt.Scale(domain=[0, 100])),
    )
    points = base.mark_circle(size=140, opacity=1).encode(
        color=alt.Color("Brief:N", scale=_brief_scale(corpus), legend=None),
        tooltip=["Brief", "Published", "Passages", "On this theme", "Share (%)"],
    )
    # Point labels only while they fit; with many briefs the tooltip names each point instead.
    names = base.mark_text(align="left", dx=9, dy=-6).encode(text="Brief:N" if len(data) <= 12 else alt.value(""))
    ordered = data.sort_values("Date")
    alt_text = (f"Scatter chart of the share of each brief's passages on {label}, by publication date: "
                + "; ".join(f"{row.Brief} ({row.Published}) {row._5}%" for row in ordered.itertuples()) + ".")
    chart = (points + names).properties(width=520, height=240)
    return Chart(_configure(chart), data.drop(columns=["Date"]), alt_text)


def position_chart(corpus: Corpus, theme: str) -> Chart:
    """A grid of briefs (rows) by key questions (columns, Q1… in chapter order), coloured by status."""
    data = tables.position_codes(corpus, theme)
    numbers = list(dict.fromkeys(data["number"]))
    briefs = [b.label for b in corpus.briefs]
    base = alt.Chart(data).encode(
        x=alt.X("number:N", sort=numbers, title="Key question", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("brief:N", sort=briefs, title=None),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("status:N", scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                        title="Position"),
        tooltip=["brief", "number", "question", "position", "passage_id"],
    )
    codes = base.mark_text(fontSize=10, color="white").encode(text="code:N")
    counts = data["status"].value_counts()
    alt_text = (f"Grid of {len(briefs)} briefs by {len(numbers)} key questions "
                + "; ".join(f"{number}: {question}" for number, question in dict(zip(data["number"], data["question"])).items())
                + f". {counts.get('coded', 0)} cells carry a coded position, {counts.get('not addressed', 0)} say the "
                f"brief does not address the question, {counts.get(NOT_CODED, 0)} are not coded yet.")
    chart = (cells + codes).properties(width=100 * len(numbers), height=30 * len(briefs))
    return Chart(_configure(chart), data, alt_text)


def _event_when(date: str) -> str:
    """An ISO date for plotting: a bare year sits at mid-year, a month on its first day."""
    parts = date.split("-")
    if len(parts) == 1:
        return f"{date}-07-01"
    if len(parts) == 2:
        return f"{date}-01"
    return date
