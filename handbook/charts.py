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


def theme_heatmap(corpus: Corpus) -> Chart:
    """The brief × theme matrix; online, each cell opens the explorer on the passages it counts."""
    matrix = tables.theme_matrix(corpus)
    themes = {theme.label: theme.id for theme in corpus.codebook.themes.values()}
    data = matrix.melt(id_vars=["Brief"], value_vars=list(themes), var_name="Theme", value_name="Share (%)")
    data["Passages"] = [tables.explorer_query(brief, themes[theme]) for brief, theme in zip(data["Brief"], data["Theme"])]
    data["Cell"] = [f"{brief}, {theme}: {share}% of passages (opens them in the passage explorer)"
                    for brief, theme, share in zip(data["Brief"], data["Theme"], data["Share (%)"])]
    most = max(int(data["Share (%)"].max()), 1)
    # Cell and number both open the cell's passages, and read as one item.
    base = alt.Chart(data).encode(
        x=alt.X("Theme:N", sort=list(themes), axis=alt.Axis(labelAngle=0, title=None, labelLimit=110)),
        y=alt.Y("Brief:N", sort=list(matrix["Brief"]), title=None),
        href=alt.Href("Passages:N"), description=alt.Description("Cell:N"),
    )
    # The ramp ends at the largest share, so that it reads as the darkest cell.
    heat = base.mark_rect(cursor="pointer").encode(
        color=alt.Color("Share (%):Q", scale=alt.Scale(scheme="blues", domain=[0, most]), title="Share (%)"),
        tooltip=["Brief", "Theme", "Share (%)"],
    )
    text = base.mark_text(cursor="pointer", aria=False).encode(
        text="Share (%):Q",
        color=alt.condition(alt.datum["Share (%)"] > most * 0.55, alt.value("white"), alt.value("black")),
    )
    top = data.sort_values("Share (%)", ascending=False).iloc[0]
    alt_text = (f"Heat map of the share of each brief's passages on each theme, for {len(matrix)} briefs and "
                f"{len(themes)} themes. The largest share is {top['Theme']} in {top['Brief']} ({top['Share (%)']}%).")
    chart = (heat + text).properties(width=480, height=max(120, 28 * len(matrix)))
    return Chart(_configure(chart), data.drop(columns=["Passages", "Cell"]), alt_text)


MEASURES = {"By passages (%)": "share of passages", "By words (%)": "share of words"}


def coverage_chart(corpus: Corpus, theme: str) -> Chart:
    """Each brief's share on the theme by passages and by words, side by side: the table counts
    passages only, and briefs written as short list items look less (or more) focused than they are.
    Told apart by shape and fill, not colour, so it survives a black-and-white copy."""
    wide = tables.theme_share_by_words(corpus, theme)
    wide["Passages on the theme"] = [tables.explorer_query(brief, theme) for brief in wide["Brief"]]
    wide["Shares"] = [f"{row['By passages (%)']}% / {row['By words (%)']}%" for _, row in wide.iterrows()]
    wide["Right"] = wide[list(MEASURES)].max(axis=1)
    long = wide.melt(id_vars=["Brief", "Passages on the theme"], value_vars=list(MEASURES),
                     var_name="Measure", value_name="Share (%)")
    long["Measure"] = long["Measure"].map(MEASURES)
    long["Point"] = [f"{brief}: {share}% {measure} (opens its passages in the passage explorer)"
                     for brief, share, measure in zip(long["Brief"], long["Share (%)"], long["Measure"])]
    label = corpus.codebook.themes[theme].in_text
    briefs = list(wide["Brief"])
    top = 10 * -(-max(int(wide["Right"].max()), 1) // 10)
    x = alt.X("Share (%):Q", title=f"Share of the brief on {label} (%)", scale=alt.Scale(domain=[0, top]))
    y = alt.Y("Brief:N", sort=briefs, title=None)
    rules = alt.Chart(wide).mark_rule(color="#777777", strokeWidth=2).encode(
        x=alt.X("By passages (%):Q", scale=alt.Scale(domain=[0, top])), x2="By words (%):Q", y=y)
    points = alt.Chart(long).mark_point(size=110, strokeWidth=2, opacity=1, cursor="pointer").encode(
        x=x, y=y,
        shape=alt.Shape("Measure:N", scale=alt.Scale(domain=list(MEASURES.values()), range=["circle", "square"]),
                        legend=alt.Legend(title=None, orient="top", direction="horizontal")),
        fill=alt.Fill("Measure:N", scale=alt.Scale(domain=list(MEASURES.values()), range=["white", "black"]),
                      legend=alt.Legend(title=None, orient="top", direction="horizontal")),
        stroke=alt.value("black"),
        href=alt.Href("Passages on the theme:N"), description=alt.Description("Point:N"),
        tooltip=["Brief", "Measure", "Share (%)"],
    )
    values = alt.Chart(wide).mark_text(align="left", dx=10, fontSize=11).encode(
        x=alt.X("Right:Q", scale=alt.Scale(domain=[0, top])), y=y, text="Shares:N")
    alt_text = (f"Dot chart of each brief's share on {label}, by passages and by words: "
                + "; ".join(f"{row['Brief']} {row['By passages (%)']}% of passages, {row['By words (%)']}% of words"
                            for _, row in wide.iterrows()) + ".")
    chart = (rules + points + values).properties(width=250, height=26 * len(briefs))
    return Chart(_configure(chart), wide.drop(columns=["Passages on the theme", "Shares", "Right"]), alt_text)


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
        # The marks carry no ARIA roles of their own: the chart's description (its alt text) says what
        # every dot says, and a layer with no dots (every brief coded) would be an image without a name.
        held = base.transform_filter(alt.datum.status == "coded").mark_point(
            filled=True, size=160, shape="circle", color="#222222", opacity=1, aria=False)
        other = base.transform_filter(alt.datum.status != "coded").mark_point(
            filled=False, size=90, shape="square", color="#888888", strokeWidth=1.5, aria=False)
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
