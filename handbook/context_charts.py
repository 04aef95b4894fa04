"""Charts of the context data that put the briefs in time: each series with every brief's publication
date marked, and the timeline of cited and context events. Same machinery as handbook.charts: each
function returns a Chart whose data is exactly what is drawn, with a source line naming the
publishers and pages (frame.attrs["source"])."""

from __future__ import annotations

import altair as alt
import pandas as pd

from handbook import tables
from handbook.charts import Chart, _configure, _event_when
from handbook.corpus import Corpus

# Three blues far apart in lightness, so that the stacked parts stay apart in grayscale print.
AID_PARTS = {"Security-related aid": "#08306B", "Economic-related aid": "#6BAED6",
             "Coalition Support Fund reimbursements": "#C6DBEF"}
LAYERS = {"Cited by a brief": ("#0072B2", "circle"), "Context: cited by no brief": ("#D55E00", "diamond")}


def _source(frame: pd.DataFrame, corpus: Corpus, files: str) -> pd.DataFrame:
    """Record where every drawn row comes from; a row without a source and URL is a bug upstream."""
    rows = frame[frame["layer"] != "brief"] if "layer" in frame else frame
    if rows.empty or (rows["source"].str.strip() == "").any() or not rows["url"].str.match(r"https?://").all():
        raise ValueError(f"every row drawn from {files} needs its source and http(s) URL")
    cited = "; ".join(f"{source}, {url}" for source, url in dict.fromkeys(zip(rows["source"], rows["url"])))
    labels = ", ".join(brief.label for brief in corpus.briefs)
    frame.attrs = {"source": f"Source: {cited}. Publication dates of the briefs {labels} from data/briefs/. "
                             f"Compiled at build time from {files}.",
                   "files": files, "briefs": [brief.label for brief in corpus.briefs]}
    return frame


def _brief_rows(corpus: Corpus) -> pd.DataFrame:
    ordered = sorted(corpus.briefs, key=lambda brief: brief.date_value)
    return pd.DataFrame([{"layer": "brief", "label": brief.label, "start": brief.date_value.isoformat(),
                          "tier": index % LABEL_TIERS, "source": "", "url": ""} for index, brief in enumerate(ordered)])


LABEL_TIERS = 3


def _brief_marks(base: alt.Chart) -> alt.LayerChart:
    """A dashed rule at each brief's publication date, its label at the top; labels of briefs published
    close together are set one below the other (by date order) so that they do not collide."""
    briefs = base.transform_filter(alt.datum.layer == "brief")
    marks = briefs.mark_rule(color="black", strokeDash=[4, 3]).encode(x="start:T", tooltip=["label:N", "start:T"])
    for tier in range(LABEL_TIERS):
        marks += briefs.transform_filter(alt.datum.tier == tier).mark_text(
            align="left", baseline="top", dx=3, dy=2 + 12 * tier, fontSize=10).encode(
            x="start:T", y=alt.value(0), text="label:N")
    return marks


def _x(first: str, last: str, step: int = 2) -> alt.X:
    return alt.X("start:T", title=None, scale=alt.Scale(domain=[first, last], nice=False),
                 axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": step}, labelFlush=False))


def _last_date(corpus: Corpus, *dates: str) -> str:
    latest = max([brief.date_value.isoformat() for brief in corpus.briefs] + list(dates))
    return (pd.Timestamp(latest) + pd.DateOffset(months=9)).date().isoformat()


def aid_chart(corpus: Corpus) -> Chart:
    """U.S. aid to Pakistan by fiscal year, stacked by kind, with the briefs' publication dates."""
    aid = corpus.context.frame("us-aid-pakistan")
    drawn = aid[aid["indicator"].isin(AID_PARTS)].copy()
    rows = pd.DataFrame({
        "layer": "data", "label": drawn["indicator"], "fiscal_year": drawn["year"].astype(int),
        # A U.S. fiscal year N runs from 1 October of N-1 to 30 September of N.
        "start": [f"{year - 1}-10-01" for year in drawn["year"].astype(int)],
        "end": [f"{year}-09-30" for year in drawn["year"].astype(int)],
        "value": drawn["value"], "unit": drawn["unit"], "source": drawn["source"], "url": drawn["url"],
    })
    data = _source(pd.concat([rows, _brief_rows(corpus)], ignore_index=True), corpus, "data/context/us-aid-pakistan.csv")
    first = rows["start"].min()
    base = alt.Chart(data)
    bars = base.transform_filter(alt.datum.layer == "data").mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=_x(first, _last_date(corpus)), x2="end:T",
        y=alt.Y("sum(value):Q", title="US$ million (current)", stack="zero"),
        color=alt.Color("label:N", title=None, sort=list(AID_PARTS),
                        scale=alt.Scale(domain=list(AID_PARTS), range=list(AID_PARTS.values())),
                        legend=alt.Legend(orient="top", direction="vertical", labelLimit=320)),
        order=alt.Order("label:N", sort="descending"),
        tooltip=[alt.Tooltip("fiscal_year:O", title="Fiscal year"), "label:N", "value:Q", "unit:N", "source:N"],
    )
    totals = rows.groupby("fiscal_year")["value"].sum()
    years = sorted(rows["fiscal_year"].unique())
    peak = int(totals.idxmax())
    missing = sorted(set(years) - set(rows.loc[rows["label"] == "Coalition Support Fund reimbursements", "fiscal_year"]))
    alt_text = (f"Stacked bar chart of U.S. aid appropriations for and military reimbursements to Pakistan by fiscal "
                f"year, FY{years[0]} to FY{years[-1]}, in US$ million: security-related aid, economic-related aid "
                f"and Coalition Support Fund reimbursements, as compiled by the Congressional Research Service. "
                f"The drawn total is highest in FY{peak} ({totals[peak]:,.0f}) and lowest in FY{int(totals.idxmin())} "
                f"({totals.min():,.0f}). "
                + (f"The source gives no reimbursement figure for FY{', FY'.join(map(str, missing))}. " if missing else "")
                + "Dashed lines mark the briefs' publication dates: "
                + "; ".join(f"{b.label} ({b.date})" for b in corpus.briefs) + ".")
    chart = (bars + _brief_marks(base)).properties(width=560, height=260)
    return Chart(_configure(chart), data, alt_text)


def imf_chart(corpus: Corpus) -> Chart:
    """Pakistan's IMF arrangements as bars from approval to expiry (or approved length), with the briefs."""
    imf = corpus.context.frame("imf-programmes")
    ends = [end or (pd.Timestamp(start) + pd.DateOffset(months=int(months))).date().isoformat()
            for start, end, months in zip(imf["start"], imf["end"], imf["months"])]
    rows = pd.DataFrame({
        "layer": "data", "label": [f"{facility}, {start[:4]}" for facility, start in zip(imf["facility"], imf["start"])],
        "start": imf["start"], "end": ends,
        "length": ["until the expiry date" if end else f"approved length: {months} months"
                   for end, months in zip(imf["end"], imf["months"])],
        "value": imf["value"], "unit": imf["unit"], "source": imf["source"], "url": imf["url"],
    })
    data = _source(pd.concat([rows, _brief_rows(corpus)], ignore_index=True), corpus, "data/context/imf-programmes.csv")
    order = list(rows.sort_values("start")["label"])
    base = alt.Chart(data)
    bars = base.transform_filter(alt.datum.layer == "data").mark_bar(color="#08306B", height=10).encode(
        x=_x(rows["start"].min()[:4] + "-01-01", _last_date(corpus, max(ends)), step=4), x2="end:T",
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        tooltip=["label:N", "start:T", "end:T", "length:N", "value:Q", "unit:N", "source:N"],
    )
    alt_text = (f"Bar chart of Pakistan's {len(rows)} IMF lending arrangements from {rows['start'].min()[:4]} to "
                f"{rows['start'].max()[:4]}, each drawn from its approval to its expiry date or, for the latest "
                f"arrangements, over its approved length: "
                + "; ".join(f"{label} ({start} to {end})" for label, start, end in
                            zip(rows["label"], rows["start"], rows["end"]))
                + ". Dashed lines mark the briefs' publication dates: "
                + "; ".join(f"{b.label} ({b.date})" for b in corpus.briefs) + ".")
    chart = (bars + _brief_marks(base)).properties(width=460, height=22 * len(rows))
    return Chart(_configure(chart), data, alt_text)


def violence_chart(corpus: Corpus) -> Chart:
    """PIPS counts of militant violence, one panel per measure, points only (years are missing)."""
    violence = corpus.context.frame("militant-violence")
    rows = pd.DataFrame({
        "layer": "data", "label": violence["indicator"], "year": violence["year"].astype(int),
        "start": [f"{year}-07-01" for year in violence["year"].astype(int)],  # a year's count at mid-year
        "value": violence["value"], "unit": violence["unit"], "source": violence["source"], "url": violence["url"],
    })
    data = _source(pd.concat([rows, _brief_rows(corpus)], ignore_index=True), corpus, "data/context/militant-violence.csv")
    first, last = f"{rows['year'].min()}-01-01", _last_date(corpus)
    panels = []
    for measure in dict.fromkeys(rows["label"]):
        base = alt.Chart(data).transform_filter((alt.datum.label == measure) | (alt.datum.layer == "brief"))
        points = base.transform_filter(alt.datum.layer == "data").mark_point(filled=True, size=70, color="#08306B").encode(
            x=_x(first, last), y=alt.Y("value:Q", title=measure, scale=alt.Scale(zero=True)),
            tooltip=["year:O", "label:N", "value:Q", "unit:N", "source:N"])
        panels.append((points + _brief_marks(base)).properties(width=520, height=120))
    chart = alt.vconcat(*panels, spacing=18)
    alt_text = ("Dot charts, one per measure, of militant violence in Pakistan as counted by the Pak Institute "
                f"for Peace Studies: "
                + "; ".join(f"{measure}: " + ", ".join(f"{r.year} {r.value:,.0f}" for r in group.itertuples())
                            for measure, group in rows.groupby("label", sort=False))
                + ". Years without a published figure are left out. Dashed lines mark the briefs' publication "
                  "dates: " + "; ".join(f"{b.label} ({b.date})" for b in corpus.briefs) + ".")
    return Chart(_configure(chart), data, alt_text)


CHARTS = {"us-aid-pakistan": aid_chart, "imf-programmes": imf_chart, "militant-violence": violence_chart}


def timeline_chart(corpus: Corpus) -> Chart:
    """Every event on one time axis: the events the briefs cite (filled circles, sized by the passages
    citing them) and the context events none cites (hollow diamonds), with the briefs' dates."""
    cited = tables.events(corpus)
    extra = pd.DataFrame([{"Date": e.date, "Event": e.name, "What happened": e.description,
                           "Cited by": "", "Passages": "", "Source": e.source, "URL": e.url}
                          for e in sorted(corpus.context.events, key=lambda e: e.date)])
    cited["Layer"], extra["Layer"] = list(LAYERS)
    cited["Citations"] = [len(passages.split(", ")) if passages else 0 for passages in cited["Passages"]]
    extra["Citations"] = 0
    events = pd.concat([cited, extra], ignore_index=True).sort_values("Date", kind="stable")
    events["layer"], events["start"] = "data", [_event_when(date) for date in events["Date"]]
    events["source"] = events["Source"].fillna("the passages that cite it")
    events["url"] = events["URL"].fillna("")
    briefs = _brief_rows(corpus).assign(Event="").drop(columns="tier")
    data = pd.concat([events, briefs], ignore_index=True)
    years = [int(date[:4]) for date in events["Date"]]
    first, last = f"{5 * (min(years) // 5)}-01-01", f"{5 * (max(years) // 5 + 1)}-01-01"
    context_rows = data[data["Layer"] == list(LAYERS)[1]]
    cited_sources = "the passages of the briefs that cite each event (data/events.csv)"
    outside = "; ".join(f"{s}, {u}" for s, u in dict.fromkeys(zip(context_rows["source"], context_rows["url"])))
    data.attrs = {"source": f"Source: {cited_sources}; for the context events, {outside}. Compiled at build time "
                            "from data/events.csv and data/context/events.csv.",
                  "files": "data/events.csv, data/context/events.csv",
                  "briefs": [brief.label for brief in corpus.briefs]}
    order = list(events["Event"])
    base = alt.Chart(data)
    x = alt.X("start:T", title=None, scale=alt.Scale(domain=[first, last], nice=False),
              axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 5}, labelFlush=False, orient="top"))
    y = alt.Y("Event:N", sort=order, title=None, axis=alt.Axis(labelLimit=270, grid=True, gridColor="#EEEEEE"))
    layer = alt.Color("Layer:N", title=None, scale=alt.Scale(domain=list(LAYERS), range=[c for c, _ in LAYERS.values()]),
                      legend=alt.Legend(orient="top", direction="vertical"))
    shape = alt.Shape("Layer:N", title=None, scale=alt.Scale(domain=list(LAYERS), range=[s for _, s in LAYERS.values()]))
    most = max(int(cited["Citations"].max()), 1)
    tooltip = ["Date:N", "Event:N", "Layer:N", "Cited by:N", "Passages:N", "What happened:N", "source:N"]
    dots = base.transform_filter(alt.datum.Layer == list(LAYERS)[0]).mark_point(filled=True, opacity=1).encode(
        x=x, y=y, color=layer, shape=shape, tooltip=tooltip,
        size=alt.Size("Citations:Q", title="Passages citing it", scale=alt.Scale(domain=[1, most], range=[50, 400], zero=False),
                      legend=alt.Legend(orient="top", direction="horizontal",
                                        values=sorted({1, *(n for n in (5, 10, 20) if n < most), most}))))
    diamonds = base.transform_filter(alt.datum.Layer == list(LAYERS)[1]).mark_point(
        filled=False, strokeWidth=2, size=110, opacity=1).encode(x=x, y=y, color=layer, shape=shape, tooltip=tooltip)
    dates = base.transform_filter(alt.datum.layer == "data").mark_text(align="left", dx=12, fontSize=10,
                                                                      color="#555555").encode(x=x, y=y, text="Date:N")
    briefs_marks = base.transform_filter(alt.datum.layer == "brief").mark_rule(color="#999999", strokeDash=[4, 3]).encode(
        x=x, tooltip=["label:N", "start:T"])
    chart = (briefs_marks + dots + diamonds + dates).properties(width=320, height=22 * len(events))
    alt_text = (f"Timeline of {len(cited)} events the briefs cite (filled circles, sized by the number of passages "
                f"citing each) and {len(extra)} context events that no brief cites (hollow diamonds), from "
                f"{events['Date'].iloc[0]} ({events['Event'].iloc[0]}) to {events['Date'].iloc[-1]} "
                f"({events['Event'].iloc[-1]}). Dashed lines mark the briefs' publication dates.")
    return Chart(_configure(chart), data, alt_text)


CAPTIONS = {
    "us-aid-pakistan": "U.S. aid appropriations for and military reimbursements to Pakistan, by fiscal year, "
                       "with the briefs' publication dates",
    "imf-programmes": "Pakistan's IMF lending arrangements, with the briefs' publication dates",
    "militant-violence": "Militant violence in Pakistan as counted by PIPS, with the briefs' publication dates",
}


def show_chart(corpus: Corpus, name: str):
    """A context chart as a chapter or background page shows it: caption, alt text, source line, CSV."""
    from handbook import show

    return show.chart(CHARTS[name](corpus), CAPTIONS[name], f"context-{name}")


def events_table(corpus: Corpus, theme: str | None = None):
    """The context events (of one theme, or all), each with its source and a link to the page it is from."""
    from handbook import show

    events = corpus.context.events_for(theme) if theme else sorted(corpus.context.events, key=lambda e: e.date)
    frame = pd.DataFrame([{"Date": e.date, "Event": e.name, "What happened": e.description, "Source": e.source,
                           "Link": e.url} for e in events], columns=["Date", "Event", "What happened", "Source", "Link"])
    frame.attrs = {"source": "Source: the report named on each row. Compiled at build time from data/context/events.csv.",
                   "files": "data/context/events.csv"}
    label = corpus.codebook.themes[theme].in_text if theme in corpus.codebook.themes else theme
    caption = f"Context events on {label} that none of the briefs cites" if theme else \
        "Context events that none of the briefs cites"
    return show.table(frame, caption, f"context-events-{theme or 'all'}", link_columns=("Link",))
