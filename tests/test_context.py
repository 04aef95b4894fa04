"""Context data, editor's notes and context charts: every figure sourced, every bad row named with
its file, line and fix, every chart with its source line and the briefs' dates."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys

import pytest

from handbook import context_charts, notes, show
from handbook.corpus import load_corpus
from handbook.problems import DataError
from tests.conftest import CHAPTERS, ROOT

AID = "us-aid-pakistan.csv"


@pytest.fixture
def project(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "_config.yml", tmp_path)
    return tmp_path


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


def test_notes_display_shows_only_the_notes_of_the_passages_asked_for(corpus):
    payload = notes.display(corpus, "issra-2024-16", "issra-2024-1").payload
    assert [note["passage_id"] for note in payload["notes"]] == ["issra-2024-16"]
    assert payload["notes"][0]["sources"]


def test_the_sources_appendix_carries_each_note_beside_its_passage(corpus):
    blocks = {block["passage_id"]: block for brief in show.sources(corpus).payload["briefs"]
              for block in brief["blocks"] if block["passage_id"]}
    for passage_id in corpus.notes:
        assert blocks[passage_id]["note"]["text"] == corpus.notes[passage_id].text
    assert sum(1 for block in blocks.values() if block["note"]) == len(corpus.notes)
