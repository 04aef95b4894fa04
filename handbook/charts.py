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
    label = corpus.codebook.themes[theme].label
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


def timeline_chart(corpus: Corpus) -> Chart:
    data = tables.events(corpus)
    data["When"] = [_event_when(date) for date in data["Date"]]
    data["Citations"] = [len(passages.split(", ")) if passages else 0 for passages in data["Passages"]]
    years = [int(date[:4]) for date in data["Date"]]
    first, last = 5 * (min(years) // 5), 5 * (max(years) // 5 + 1)  # whole lustra, with room for the dots
    most = max(int(data["Citations"].max()), 1)
    sizes = sorted({1, *(n for n in (5, 10, 20, 50) if n < most), most})
    base = alt.Chart(data).encode(
        x=alt.X("When:T", title=None,
                scale=alt.Scale(domain=[f"{first}-01-01", f"{last}-01-01"], nice=False),
                axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 5}, labelFlush=False)),
        y=alt.Y("Event:N", sort=list(data["Event"]), title=None, axis=alt.Axis(labelLimit=270, grid=True,
                                                                            gridColor="#EEEEEE")),
    )
    dots = base.mark_circle(color="#0072B2", opacity=1).encode(
        size=alt.Size("Citations:Q", title="Passages citing it",
                      scale=alt.Scale(domain=[1, most], range=[50, 400], zero=False),
                      legend=alt.Legend(values=sizes, orient="top", direction="horizontal")),
        tooltip=["Date", "Event", "Cited by", "Passages", "What happened"],
    )
    # Each event's date beside its dot: most events fall within a few years, where the axis alone is too coarse.
    dates = base.mark_text(align="left", dx=13, fontSize=10, color="#555555").encode(text="Date:N")
    chart = (dots + dates).properties(width=300, height=24 * len(data))
    alt_text = (f"Timeline of {len(data)} events the briefs cite, from {data['Date'].iloc[0]} "
                f"({data['Event'].iloc[0]}) to {data['Date'].iloc[-1]} ({data['Event'].iloc[-1]}); "
                "dot size shows how many passages cite each event.")
    return Chart(_configure(chart), data.drop(columns=["When"]), alt_text)
