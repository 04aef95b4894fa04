"""Every chart of the book drawn by Vega itself (vl-convert's scenegraph, no browser): what a reader would
see go wrong. A layer that draws nothing, a mark off its plot, a tooltip or label that reads "undefined",
or a brief's date line missing all pass a check of the chart's data and fail here."""

from __future__ import annotations

import math

import pytest
import vl_convert
from PIL import ImageColor

from handbook import charts, context_charts

THEMES = ["afghanistan", "china", "economics", "governance", "india", "security"]
CHARTS = {
    "theme heatmap": lambda corpus: charts.theme_heatmap(corpus),
    **{f"coverage {theme}": (lambda corpus, theme=theme: charts.coverage_chart(corpus, theme)) for theme in THEMES},
    **{f"positions {theme}": (lambda corpus, theme=theme: charts.position_chart(corpus, theme)) for theme in THEMES},
    **{f"context {name}": (lambda corpus, name=name: context_charts.CHARTS[name](corpus))
       for name in context_charts.CHARTS},
    "timeline": lambda corpus: context_charts.timeline_chart(corpus),
}
# Charts that put the briefs in time: a dashed rule at each brief's publication date.
DATED = {name for name in CHARTS if name.startswith("context ")} | {"timeline"}
# The one layer that may be empty: a position chart's squares for briefs not coded on a question (every brief
# may be coded). Its dots are counted instead.
MAY_BE_EMPTY = ("positions", "layer_1_marks")
# Vega's own symbol shapes (the charts draw no custom SVG paths).
SHAPES = {"circle", "square", "cross", "diamond", "triangle-up", "triangle-down", "triangle-right", "triangle-left",
          "stroke", "arrow", "wedge", "triangle"}
UNREADABLE = ("undefined", "NaN", "null", "Invalid Date", "Infinity")


def drawn(chart) -> dict:
    return vl_convert.vega_to_scenegraph(vl_convert.vegalite_to_vega(chart.chart.to_dict()))


def marks(node, panel=None, found=None):
    """Each mark of the chart's own layers (not axes or legends), with the panel (group item) it is drawn in."""
    found = [] if found is None else found
    if isinstance(node, dict):
        if node.get("role") == "mark":
            found.append((node, panel))
        if "items" in node and "width" in node and "height" in node:
            panel = node
        for value in node.values():
            marks(value, panel, found)
    elif isinstance(node, list):
        for value in node:
            marks(value, panel, found)
    return found


def parts(node, role: str) -> list[dict]:
    """The parts of a chart's scene with this role: each axis's labels ("axis-label"), a legend's, a title."""
    if isinstance(node, dict):
        return ([node] if node.get("role") == role else []) + [found for value in node.values() for found in parts(value, role)]
    if isinstance(node, list):
        return [found for value in node for found in parts(value, role)]
    return []


def texts(scene, role: str) -> list[str]:
    return [item["text"] for part in parts(scene, role) for item in part["items"]]


def panels(scene) -> list[list[dict]]:
    """The marks of each panel of a chart (one for a layered chart, one per part of a concatenation)."""
    grouped: dict[int, list[dict]] = {}
    for mark, panel in marks(scene):
        grouped.setdefault(id(panel), []).append(mark)
    return list(grouped.values())


def test_the_book_draws_each_chart_that_each_theme_and_context_series_has(corpus):
    assert set(THEMES) == set(corpus.codebook.themes)
    assert set(context_charts.CHARTS) == set(context_charts.CAPTIONS)


def check_every_layer_draws_something_inside_its_plot(name, result, scene, corpus):
    layers = marks(scene)
    assert layers, f"{name}: nothing drawn"
    for mark, panel in layers:
        width, height = panel["width"], panel["height"]
        may_be_empty = name.startswith(MAY_BE_EMPTY[0]) and mark.get("name", "").endswith(MAY_BE_EMPTY[1])
        assert mark["items"] or may_be_empty, f"{name}: layer {mark.get('name')} ({mark['marktype']}) draws nothing"
        for item in mark["items"]:
            for key, limit in (("x", width), ("x2", width), ("y", height), ("y2", height)):
                if key in item:
                    assert math.isfinite(item[key]) and -1 <= item[key] <= limit + 1, \
                        f"{name}: a {mark['marktype']} of {mark.get('name')} at {key}={item[key]}, outside 0–{limit}"


def check_a_position_chart_draws_a_dot_for_each_stance_each_brief_holds_or_its_status(name, result, scene, corpus):
    assert sum(len(mark["items"]) for mark, _ in marks(scene)) == len(result.data)
    cells = result.data[["question_id", "brief"]].drop_duplicates()
    assert len(cells) == result.data["brief"].nunique() * result.data["question_id"].nunique(), "every brief, every question"
    assert not result.data.duplicated(["question_id", "brief", "stance"]).any()


def check_no_label_or_tooltip_reads_as_a_missing_value(name, result, scene, corpus):
    for mark, _ in marks(scene):
        for item in mark["items"]:
            for key in ("description", "text"):
                text = item.get(key)
                if key == "text" or text is not None:
                    shown = " ".join(text) if isinstance(text, list) else str(text)
                    assert shown.strip() and not any(word in shown for word in UNREADABLE), \
                        f"{name}: a {mark['marktype']} {key} reads {shown!r}"


def check_a_chart_in_time_marks_every_brief_once_at_its_date(name, result, scene, corpus):
    by_date = [brief.label for brief in sorted(corpus.briefs, key=lambda brief: brief.date_value)]
    for mark, panel in marks(scene):
        if mark["marktype"] != "text":
            xs = [x for item in mark["items"] for x in (item.get("x"), item.get("x2")) if x is not None]
            assert 0 < min(xs) and max(xs) < panel["width"], f"{name}: the time axis runs beyond the first and last mark"
            assert len(mark["items"]) == 1 or len(set(xs)) > 1, f"{name}: {mark['name']} drawn at one moment"
    for panel in panels(scene):
        rules = [item for mark in panel if mark["marktype"] == "rule" for item in mark["items"]]
        at = {item["description"].split("label: ")[1].split(";")[0]: item["x"] for item in rules}
        assert len(rules) == len(at) and sorted(at) == sorted(by_date), f"{name}: one date line per brief"
        assert [at[label] for label in by_date] == sorted(at.values()), f"{name}: briefs out of date order"
        assert len(set(at.values())) == len({brief.date_value for brief in corpus.briefs}), f"{name}: dates apart"
        if name != "timeline":
            texts = sorted(item["text"] for mark in panel if mark["marktype"] == "text" for item in mark["items"])
            assert texts == sorted(by_date), f"{name}: each date line labelled once"


def check_an_axis_of_briefs_lists_them_oldest_first_as_every_table_does(name, result, scene, corpus):
    order = [brief.label for brief in corpus.briefs]
    axes = [labels for labels in (part["items"] for part in parts(scene, "axis-label")) if {item["text"] for item in labels} == set(order)]
    if name.startswith(("theme heatmap", "coverage", "positions")):
        assert axes, f"{name}: an axis of the briefs"
    for labels in axes:
        along = "y" if len({item["x"] for item in labels}) == 1 else "x"
        assert [item["text"] for item in sorted(labels, key=lambda item: item[along])] == order, name


def every_item(node):
    if isinstance(node, dict):
        if "items" not in node or "marktype" not in node:
            yield node
        for value in node.values():
            yield from every_item(value)
    elif isinstance(node, list):
        for value in node:
            yield from every_item(value)


def check_every_colour_and_shape_is_one_a_browser_and_a_printer_can_draw(name, result, scene, corpus):
    colours = shapes = 0
    for item in every_item(scene):
        for key in ("fill", "stroke"):
            colour = item.get(key)
            if isinstance(colour, str) and colour != "transparent":
                ImageColor.getrgb(colour)  # raises on anything but a CSS colour
                colours += 1
        if "shape" in item and "x" in item:
            assert item["shape"] in SHAPES, f"{name}: shape {item['shape']!r}"
            inked = [item.get(key) for key in ("fill", "stroke") if item.get(key) not in (None, "transparent")]
            assert any(ImageColor.getrgb(colour)[:3] != (255, 255, 255) for colour in inked), \
                f"{name}: a symbol with no ink on a white page"
            shapes += 1
    assert colours, name


def check_a_position_charts_dots_are_described_by_the_chart_not_one_by_one(name, result, scene, corpus):
    """Each dot is named in the chart's alt text; dots with roles of their own would be read out twice, and a
    layer with none (every brief coded) would be an image without a name."""
    for mark, _ in marks(scene):
        assert mark.get("aria") is False or not any("description" in item for item in mark["items"]), name



def check_a_coverage_chart_names_its_two_measures_in_its_legend(name, result, scene, corpus):
    assert sorted(texts(scene, "legend-label")) == sorted(charts.MEASURES.values())


def check_a_position_chart_tells_stances_held_from_cells_not_coded_by_shape_too(name, result, scene, corpus):
    """Grey ink alone would not survive a grayscale photocopy."""
    held, other = ({item["shape"] for mark, _ in marks(scene) if mark["name"].endswith(layer) for item in mark["items"]}
                   for layer in ("layer_0_marks", "layer_1_marks"))
    assert held and not held & other


def check_a_coverage_chart_draws_each_brief_once_per_measure_in_that_measures_shape_and_fill(name, result, scene, corpus):
    points = [item for mark, _ in marks(scene) if mark["marktype"] == "symbol" for item in mark["items"]]
    for measure in charts.MEASURES.values():
        own = [item for item in points if f"% {measure} (" in item["description"]]
        assert len(own) == len(corpus.briefs), measure
        assert len({(item["shape"], item["fill"]) for item in own}) == 1, f"{measure}: one look"
    assert len({(item["shape"], item["fill"]) for item in points}) == len(charts.MEASURES), "the two look apart"
    inks = {ImageColor.getrgb(item[key])[:3] for item in points for key in ("fill", "stroke")}
    assert all(r == g == b for r, g, b in inks), "black and white: the measures are told apart in a grayscale copy"


def check_a_chart_in_time_reads_its_years_off_an_axis_that_needs_no_title(name, result, scene, corpus):
    years = [[item["text"] for item in part["items"]] for part in parts(scene, "axis-label")
             if part["items"] and all(str(item["text"]).isdigit() and len(str(item["text"])) == 4 for item in part["items"])]
    assert years and all(len(found) > 1 and found == sorted(found) for found in years), f"{name}: a time axis in years"
    titles = texts(scene, "axis-title")
    assert not [title for title in titles if "start" in str(title)], f"{name}: a field's name as an axis title"


def check_the_timelines_description_runs_from_its_first_event_to_its_last(name, result, scene, corpus):
    import csv

    from tests.conftest import ROOT

    events = []
    for name, date, event in (("events.csv", "date", "event"), ("context/events.csv", "date", "event")):
        with (ROOT / "data" / name).open(encoding="utf-8", newline="") as handle:
            events += [(row[date], row[event]) for row in csv.DictReader(handle)]
    events.sort(key=lambda pair: pair[0])
    (first_date, first), (last_date, last) = events[0], events[-1]
    assert f"from {first_date} ({first}) to {last_date} ({last})." in result.alt_text


# Which checks apply to which charts. The checks run in one test per chart, so that mutation testing
# (which maps a function to the tests that call it) charges every check to the chart's own code.
CHECKS = [
    (lambda name: True, check_every_layer_draws_something_inside_its_plot),
    (lambda name: True, check_no_label_or_tooltip_reads_as_a_missing_value),
    (lambda name: True, check_an_axis_of_briefs_lists_them_oldest_first_as_every_table_does),
    (lambda name: True, check_every_colour_and_shape_is_one_a_browser_and_a_printer_can_draw),
    (lambda name: name in DATED, check_a_chart_in_time_marks_every_brief_once_at_its_date),
    (lambda name: name in DATED, check_a_chart_in_time_reads_its_years_off_an_axis_that_needs_no_title),
    (lambda name: name == "timeline", check_the_timelines_description_runs_from_its_first_event_to_its_last),
    (lambda name: name.startswith("positions"),
     check_a_position_chart_draws_a_dot_for_each_stance_each_brief_holds_or_its_status),
    (lambda name: name.startswith("positions"), check_a_position_charts_dots_are_described_by_the_chart_not_one_by_one),
    (lambda name: name.startswith("positions"), check_a_position_chart_tells_stances_held_from_cells_not_coded_by_shape_too),
    (lambda name: name.startswith("coverage"), check_a_coverage_chart_names_its_two_measures_in_its_legend),
    (lambda name: name.startswith("coverage"),
     check_a_coverage_chart_draws_each_brief_once_per_measure_in_that_measures_shape_and_fill),
]


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_every_chart_draws_what_a_reader_expects(corpus, name):
    result = CHARTS[name](corpus)
    scene = drawn(result)
    checks = [check for applies, check in CHECKS if applies(name)]
    assert len(checks) >= 4
    for check in checks:
        check(name, result, scene, corpus)
