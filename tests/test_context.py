"""Context data, editor's notes and context charts: every figure sourced, every bad row named with
its file, line and fix, every chart with its source line and the briefs' dates."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import pandas as pd
import pytest

from handbook import context_charts, show
from handbook.corpus import load_corpus
from handbook.problems import DataError
from tests.conftest import CHAPTERS, ROOT

AID = "us-aid-pakistan.csv"


def _problems(project):
    with pytest.raises(DataError) as caught:
        load_corpus(project)
    return caught.value.problems


def _edit_row(project, name, line, **changes):
    """Change cells of one data row (line counts the header as 1), keeping the rest of the file."""
    path = project / "data" / "context" / name
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    for key, value in changes.items():
        rows[line - 1][header.index(key)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _only(problems, path, line):
    assert problems, "the bad row was accepted"
    assert all(p.path == path and p.line == line for p in problems), [str(p) for p in problems]
    return " ".join(str(p) for p in problems)


def test_the_context_data_loads_with_at_least_three_sourced_series(corpus):
    assert len(corpus.context.datasets) >= 3
    for dataset in corpus.context.datasets.values():
        assert not dataset.frame.empty
        assert dataset.frame["url"].str.match(r"https?://").all()
        assert (dataset.frame["source"].str.len() > 0).all()
    assert corpus.context.events


def test_a_row_without_a_source_and_url_is_refused(project):
    path = _edit_row(project, AID, 3, source="", url="")
    message = _only(_problems(project), path, 3)
    assert "no source" in message and "http(s)" in message and "To fix" in message


@pytest.mark.parametrize("url", ["javascript:alert(1)", "www.census.gov", "ftp://example.org/x", "https://"])
def test_a_url_that_is_not_http_is_refused(project, url):
    path = _edit_row(project, AID, 2, url=url)
    assert "not an http(s) address" in _only(_problems(project), path, 2)


@pytest.mark.parametrize("value, hint", [("1,019", "thousands separators"), ("about 500", "plain number"),
                                         ("", "plain number"), ("nan", "plain number")])
def test_a_value_that_is_not_a_number_is_refused(project, value, hint):
    path = _edit_row(project, AID, 4, value=value)
    assert hint in _only(_problems(project), path, 4)


def test_a_row_without_a_unit_is_refused(project):
    path = _edit_row(project, AID, 5, unit="")
    assert "no unit" in _only(_problems(project), path, 5)


@pytest.mark.parametrize("year", ["1901", "2099", "FY2010", "10"])
def test_a_year_out_of_range_or_malformed_is_refused(project, year):
    path = _edit_row(project, AID, 6, year=year)
    assert "year" in _only(_problems(project), path, 6)


def test_a_figure_given_twice_is_refused(project):
    path = project / "data" / "context" / AID
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    assert "given twice" in _only(_problems(project), path, len(lines) + 1)


def test_a_wrong_header_is_refused(project):
    path = project / "data" / "context" / AID
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("year,indicator", "fy,indicator", 1), encoding="utf-8")
    assert "use the header" in _only(_problems(project), path, 1)


def test_a_series_without_metadata_is_refused(project):
    meta = project / "data" / "context" / "us-aid-pakistan.yml"
    meta.unlink()
    problems = _problems(project)
    assert any(p.path == meta and "metadata file is missing" in str(p) for p in problems)


def test_metadata_without_its_licence_or_retrieved_date_is_refused(project):
    meta = project / "data" / "context" / "us-aid-pakistan.yml"
    text = re.sub(r"(?m)^licence:.*\n", "", meta.read_text(encoding="utf-8"))
    meta.write_text(text.replace("retrieved: 2026-12-02", "retrieved: last week"), encoding="utf-8")
    message = " ".join(str(p) for p in _problems(project))
    assert "lacks licence" in message and "is not a date" in message


META_PROBLEMS = {
    "not a mapping": (lambda text: "- title\n- kind\n", 1,
                      "the metadata is not a mapping of keys to values. To fix: write one 'key: value' line for "
                      "each of title, kind, years, coverage, description, left_out, licence, retrieved"),
    "a key left empty": (lambda text: re.sub(r"(?m)^title:.*$", "title:", text), None,
                         "the metadata lacks title. To fix: give every key a value; say in left_out what the source lacks"),
    "unknown kind": (lambda text: text.replace("kind: series", "kind: table"), None,
                     "kind 'table' is not one of series, programmes, events. To fix: write kind: series, programmes or events"),
    "years not a pair": (lambda text: text.replace("years: [2008, 2018]", "years: [2018, 2008]"), None,
                         "years [2018, 2008] is not a [first, last] pair of years. To fix: write the years the file "
                         "covers, e.g. years: [2008, 2018]"),
}


@pytest.mark.parametrize("case", META_PROBLEMS)
def test_each_metadata_rule_reports_the_file_line_and_fix(project, case):
    edit, line, message = META_PROBLEMS[case]
    meta = project / "data" / "context" / "us-aid-pakistan.yml"
    meta.write_text(edit(meta.read_text(encoding="utf-8")), encoding="utf-8")
    problems = [p for p in _problems(project) if p.path == meta]
    assert [(p.line, f"{p.message}. To fix: {p.fix}") for p in problems] == [(line, message)]


IMF, EVENTS = "imf-programmes.csv", "events.csv"
ROW_PROBLEMS = {
    "year not four digits": (AID, {"year": "08"}, "year '08' is not a four-digit year. To fix: write the year as e.g. 2014"),
    "no indicator": (AID, {"indicator": ""}, "the row has no indicator. To fix: name what the figure measures"),
    "no source": (AID, {"source": " "}, "the row has no source. To fix: name the publisher and the document the "
                                        "figure was read from"),
    "a figure twice": (AID, {"year": "2008", "indicator": "Security-related aid"},
                       "'Security-related aid' for 2008 is given twice (also line 2). To fix: keep one row per year "
                       "and indicator"),
    "no facility": (IMF, {"facility": ""}, "the row has no facility. To fix: name the IMF facility"),
    "start not a day": (IMF, {"start": "1988-12"}, "start '1988-12' is not a date YYYY-MM-DD. To fix: write the date "
                                                  "of approval, e.g. 2013-09-04"),
    "months not whole": (IMF, {"months": "3.5"}, "months '3.5' is not a whole number of months. To fix: write the "
                                                 "approved length, e.g. 37"),
    "months zero": (IMF, {"months": "0"}, "months '0' is not a whole number of months. To fix: write the approved "
                                          "length, e.g. 37"),
    "event date": (EVENTS, {"date": "1985/08"}, "date '1985/08' is not YYYY, YYYY-MM or YYYY-MM-DD. To fix: write "
                                                "the date as e.g. 2011-05-02"),
    "event year out of range": (EVENTS, {"date": "1946"}, "year 1946 is outside the years 1947-2026 the metadata "
                                                          "declares. To fix: correct the year, or the years in the "
                                                          "metadata file"),
    "no event": (EVENTS, {"event": ""}, "the row has no event. To fix: write the event's event"),
    "no description": (EVENTS, {"description": ""}, "the row has no description. To fix: write the event's description"),
    "no themes": (EVENTS, {"themes": ";"}, "the row has no themes. To fix: list the themes it belongs to, separated "
                                          "by ';', e.g. india;security"),
}


@pytest.mark.parametrize("case", ROW_PROBLEMS)
def test_each_context_row_rule_reports_the_file_line_and_fix_and_nothing_else(project, case):
    name, changes, message = ROW_PROBLEMS[case]
    path = _edit_row(project, name, 3, **changes)
    (problem,) = _problems(project)
    assert (problem.path, problem.line) == (path, 3)
    assert f"{problem.message}. To fix: {problem.fix}" == message


def test_a_csv_without_rows_or_metadata_without_its_csv_is_reported(project):
    folder = project / "data" / "context"
    (folder / IMF).write_text((folder / IMF).read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    (folder / "imports.yml").write_text((folder / "us-aid-pakistan.yml").read_text(encoding="utf-8"), encoding="utf-8")
    assert sorted(str(problem) for problem in _problems(project)) == [
        f"{folder / IMF}: the file has no rows. To fix: enter the figures, or remove the file.",
        f"{folder / 'imports.yml'}: there is no CSV beside this metadata file. To fix: add imports.csv, or remove "
        "the metadata file."]


def test_a_value_is_read_by_year_and_indicator_and_a_missing_one_is_named(corpus):
    with open(ROOT / "data" / "context" / AID, encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    assert corpus.context.value("us-aid-pakistan", int(first["year"]), first["indicator"]) == float(first["value"])
    with pytest.raises(KeyError, match="no 'Nothing' for 1900 in data/context/us-aid-pakistan.csv"):
        corpus.context.value("us-aid-pakistan", 1900, "Nothing")


def test_an_imf_programme_without_end_or_length_is_refused(project):
    path = _edit_row(project, "imf-programmes.csv", 2, end="", months="")
    assert "neither an end date nor a length" in _only(_problems(project), path, 2)


def test_an_imf_programme_ending_before_it_starts_is_refused(project):
    path = _edit_row(project, "imf-programmes.csv", 2, end="1980-01-01")
    assert "on or after the start" in _only(_problems(project), path, 2)


def test_a_context_event_with_an_unknown_theme_or_bad_date_is_refused(project):
    path = _edit_row(project, "events.csv", 3, themes="india;weather", date="May 2011")
    message = _only(_problems(project), path, 3)
    assert "'weather'" in message and "is not YYYY" in message


def test_a_context_event_without_a_source_is_refused(project):
    path = _edit_row(project, "events.csv", 2, source="", url="see Wikipedia")
    message = _only(_problems(project), path, 2)
    assert "no source" in message and "http(s)" in message


def test_check_reports_context_problems_and_changes_nothing(project):
    _edit_row(project, AID, 3, source="")
    before = (project / "data" / "context" / AID).read_bytes()
    result = subprocess.run([sys.executable, "-m", "handbook", "check"], cwd=project,
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "HANDBOOK_ROOT": str(project)})
    assert result.returncode == 1
    assert f"{AID}:3: the row has no source" in result.stderr
    assert (project / "data" / "context" / AID).read_bytes() == before


# Editor's notes


def test_the_pressler_note_is_on_issras_passage_and_cites_its_record(corpus):
    note = corpus.notes["issra-2024-16"]
    assert "Pressler" in corpus.passage_text("issra-2024-16")
    assert "1985" in note.text and "1990" in note.text
    assert all(url.startswith("https://") for _, url in note.sources)


def _write_notes(project, text):
    path = project / "data" / "notes.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_note_on_an_unknown_passage_is_refused(project):
    path = _write_notes(project, "issra-2024-16:\n  kind: sic\n  note: As received.\n"
                                 "issra-2024-999:\n  kind: sic\n  note: As received.\n")
    problems = _problems(project)
    assert [(p.path, p.line) for p in problems] == [(path, 4)]
    assert "does not exist" in str(problems[0]) and "python -m handbook passages" in str(problems[0])


def test_a_correction_without_a_source_is_refused(project):
    path = _write_notes(project, "issra-2024-16:\n  kind: correction\n  note: The record differs.\n")
    assert "has no source" in _only(_problems(project), path, 1)


def test_a_note_source_without_an_http_url_is_refused(project):
    path = _write_notes(project, "issra-2024-16:\n  kind: correction\n  note: The record differs.\n"
                                 "  sources:\n    - source: A book\n      url: file:///etc/passwd\n")
    assert "http(s) URL" in _only(_problems(project), path, 1)


def test_a_note_given_twice_is_refused(project):
    path = _write_notes(project, "issi-2024-3:\n  kind: sic\n  note: a\nissi-2024-3:\n  kind: sic\n  note: b\n")
    problems = _problems(project)
    assert problems[0].path == path and "duplicate key" in str(problems[0])


def test_a_quote_from_a_noted_passage_carries_its_note_and_no_other_quote_does(corpus):
    for question in corpus.questions:
        for item in show.comparison(corpus, question.id).payload["quotes"]:
            note = corpus.notes.get(item["passage_id"])
            assert item["note"] == (note.payload() if note else None)
    assert all(note.sources for note in corpus.notes.values() if note.kind == "correction")


def test_the_sources_appendix_carries_each_note_beside_its_passage(corpus):
    blocks = {block["passage_id"]: block for brief in show.sources(corpus).payload["briefs"]
              for block in brief["blocks"] if block["passage_id"]}
    for passage_id in corpus.notes:
        assert blocks[passage_id]["note"]["text"] == corpus.notes[passage_id].text
    assert sum(1 for block in blocks.values() if block["note"]) == len(corpus.notes)


# Context charts


@pytest.mark.parametrize("name", sorted(context_charts.CHARTS))
def test_each_context_chart_has_its_sources_the_briefs_dates_and_its_data(corpus, name):
    display = context_charts.show_chart(corpus, name)
    payload = display.payload
    rows = corpus.context.frame(name)
    cited = "; ".join(f"{source}, {url}" for source, url in dict.fromkeys(zip(rows["source"], rows["url"])))
    labels = ", ".join(brief.label for brief in corpus.briefs)
    assert payload["source"] == (f"Source: {cited}. Publication dates of the briefs {labels} from data/briefs/. "
                                 f"Compiled at build time from data/context/{name}.csv.")
    drawn = pd.read_csv(io.StringIO(payload["csv"]))
    assert set(drawn.loc[drawn["layer"] == "brief", "label"]) == {brief.label for brief in corpus.briefs}
    for brief in corpus.briefs:
        assert brief.label in payload["alt"] and brief.date in payload["alt"]
    assert payload["spec"] and len(payload["alt"]) > 80  # the print build draws its PDF from the spec


def test_the_timelines_source_line_names_each_context_events_source_once(corpus):
    with (ROOT / "data" / "context" / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: row["date"])
    outside = "; ".join(dict.fromkeys(f"{row['source']}, {row['url']}" for row in rows))
    data = context_charts.timeline_chart(corpus).data
    assert data.attrs["source"] == ("Source: the passages of the briefs that cite each event (data/events.csv); for "
                                    f"the context events, {outside}. Compiled at build time from data/events.csv and "
                                    "data/context/events.csv.")
    assert data.attrs["files"] == "data/events.csv, data/context/events.csv"
    assert data.attrs["briefs"] == [brief.label for brief in corpus.briefs]
    context = data[data["Layer"] == list(context_charts.LAYERS)[1]]
    assert list(context["Citations"]) == [0] * len(rows), "a context event is cited by no passage"


def test_a_context_chart_without_a_source_line_is_refused(corpus):
    frame = corpus.context.frame("militant-violence")
    saved = frame["source"].copy()
    frame["source"] = ""
    try:
        with pytest.raises(ValueError, match="source"):
            context_charts.violence_chart(corpus)
    finally:
        frame["source"] = saved


def test_the_aid_chart_spans_each_fiscal_year_from_october_to_september(corpus):
    data = context_charts.aid_chart(corpus).data
    fy2010 = data[(data["layer"] == "data") & (data["fiscal_year"] == 2010)]
    assert set(fy2010["start"]) == {"2009-10-01"} and set(fy2010["end"]) == {"2010-09-30"}
    assert "Grand total" not in set(data["label"])  # the parts are drawn; their sum is not a fourth part


def test_the_timeline_tells_cited_from_context_events_by_shape_and_fill(corpus):
    result = context_charts.timeline_chart(corpus)
    spec = result.chart.to_dict()
    marks = [layer["mark"] for layer in spec["layer"] if isinstance(layer["mark"], dict) and layer["mark"]["type"] == "point"]
    assert {mark.get("filled") for mark in marks} == {True, False}
    shapes = next(layer["encoding"]["shape"]["scale"]["range"] for layer in spec["layer"] if "shape" in layer.get("encoding", {}))
    assert len(set(shapes)) == 2
    context_rows = result.data[result.data["Layer"] == list(context_charts.LAYERS)[1]]
    assert len(context_rows) == len(corpus.context.events)
    assert (context_rows["Passages"] == "").all() and context_rows["url"].str.match(r"https?://").all()
    cited = result.data[result.data["Layer"] == list(context_charts.LAYERS)[0]]
    assert (cited["Passages"] != "").all()


# Background pages

BACKGROUNDS = sorted((ROOT / "chapters").glob("*-background.md"))


def test_every_chapter_has_a_background_page_in_the_outline():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for chapter in CHAPTERS:
        assert f"chapters/{chapter}-background" in toc


@pytest.mark.parametrize("path", BACKGROUNDS, ids=lambda p: p.stem)
def test_a_background_page_cites_only_the_context_data_and_types_no_figures(corpus, path):
    text = path.read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", text.split("---", 2)[2], flags=re.S)
    links = re.findall(r"\]\((https?://(?:[^()\s]|\([^()\s]*\))+)\)", prose)  # CommonMark: balanced parentheses
    assert links, "a background page names the source of its statements"
    assert set(links) <= corpus.context.urls, set(links) - corpus.context.urls
    # Figures come from data/ through {glue}; years and days of events are dates, not figures.
    # Names that contain numbers (section 508, Article 370) are not figures either.
    words = re.sub(r"\{glue:text\}`\w+`|(?:section|Article) \d+|\]\((?:[^()\s]|\([^()\s]*\))+\)", "", prose)
    figures = re.findall(r"(?<![\w/.-])\d+(?:[,.]\d+)*(?![\w/%-])", words)
    assert all(re.fullmatch(r"(1[89]|20)\d\d|[1-9]|[12]\d|3[01]", figure) for figure in figures), figures
