"""Altair charts of the derived tables. Each function returns the chart, the data drawn and its alt text."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import altair as alt
import pandas as pd

from handbook import tables
from handbook.corpus import Corpus

FONT = "FreeSans, Liberation Sans, Arial, sans-serif"


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
    """One dot plot per key question: the stances in scheme order down the side, the briefs across.

    Where a brief stands is read off the position of its dot, not a colour, so the chart survives a
    grayscale copy; cells not coded sit on grey rows below the stances."""
    data = tables.position_codes(corpus, theme)
    briefs = [b.label for b in corpus.briefs]
    panels = []
    for number, question in enumerate(corpus.questions_for(theme), start=1):
        rows = data[data["question_id"] == question.id]
        extra = [label for label in dict.fromkeys(rows.loc[rows["status"] != "coded", "stance"])]
        order = [stance.label for stance in question.stances.values()] + extra
        base = alt.Chart(rows).encode(
            x=alt.X("brief:N", sort=briefs, title=None, axis=alt.Axis(labelAngle=0, orient="top", labelLimit=90)),
            y=alt.Y("stance:N", sort=order, scale=alt.Scale(domain=order), title=None,
                    axis=alt.Axis(labelLimit=230, grid=True, gridColor="#DDDDDD")),
            tooltip=[alt.Tooltip("brief", title="Brief"), alt.Tooltip("stance", title="Position"),
                     alt.Tooltip("passage_id", title="Passage")],
        )
        held = base.transform_filter(alt.datum.status == "coded").mark_point(
            filled=True, size=160, shape="circle", color="#222222", opacity=1)
        other = base.transform_filter(alt.datum.status != "coded").mark_point(
            filled=False, size=90, shape="square", color="#888888", strokeWidth=1.5)
        title = alt.TitleParams(textwrap.wrap(f"Q{number}. {question.text}", 60), anchor="start", fontSize=12,
                                subtitle="Stances in order along a scale" if question.scale == "ordinal" else "",
                                subtitleFontSize=10)
        panels.append((held + other).properties(width=max(60 * len(briefs), 240), height=22 * len(order), title=title))
    summary = []
    for number, question in enumerate(corpus.questions_for(theme), start=1):
        rows = data[(data["question_id"] == question.id) & (data["status"] == "coded")]
        held = "; ".join(f"{stance}: {', '.join(group['brief'])}" for stance, group in rows.groupby("stance", sort=False))
        summary.append(f"Q{number} ({question.text}) {held or 'no brief coded'}")
    alt_text = (f"Dot plots, one per key question, showing which stance each of {len(briefs)} briefs holds. "
                + ". ".join(summary) + ".")
    chart = alt.vconcat(*panels, spacing=28).resolve_scale(y="independent")
    return Chart(_configure(chart), data.drop(columns=["rank"]), alt_text)


def _event_when(date: str) -> str:
    """An ISO date for plotting: a bare year sits at mid-year, a month on its first day."""
    parts = date.split("-")
    if len(parts) == 1:
        return f"{date}-07-01"
    if len(parts) == 2:
        return f"{date}-01"
    return date
