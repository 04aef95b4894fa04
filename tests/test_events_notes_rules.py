"""data/events.csv and data/notes.yml on small files written here: each problem with file, line, message and
fix, every problem at once, and a good file read as written."""

from __future__ import annotations

import pytest

from handbook.events import Event, load_events
from handbook.notes import Note, load_notes, validate
from handbook.problems import DataError

EVENTS = ('date,event,passages,description\n"1971","War","a-1;b-2","A war."\n"1988-04","Accords","","Signed."\n'
          '"2021-08-30","Exit","c-3;","An exit."\n')


def refused(load, path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load(path)
    assert str(caught.value) == "\n".join(map(str, caught.value.problems))
    return [str(problem) for problem in caught.value.problems]


def test_events_are_read_as_written(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS, encoding="utf-8")
    assert load_events(path) == [Event("1971", "War", ("a-1", "b-2"), "A war.", 2),
                                 Event("1988-04", "Accords", (), "Signed.", 3),
                                 Event("2021-08-30", "Exit", ("c-3",), "An exit.", 4)]


def test_no_events_file_is_no_events(tmp_path):
    assert load_events(tmp_path / "events.csv") == []


@pytest.mark.parametrize("date", ["71", "1971-7", "1971-00", "1971-13", "2021-02-29", "2020-02-30", "1971--01",
                                  "1971-07-01x", " 1971", "", "1971-07-1"])
def test_every_bad_date_is_reported_at_its_row_with_the_fix(date, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS + f'"{date}","Late","","Late."\n', encoding="utf-8")
    assert refused(load_events, path) == [
        f"{path}:5: date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD. To fix: write the date as e.g. 1988-04-14."]


def test_a_leap_day_is_a_date(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS + '"2020-02-29","Leap","",""\n', encoding="utf-8")
    assert load_events(path)[-1].date == "2020-02-29"


def test_every_bad_row_is_reported_at_once_and_a_bad_header_alone(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS.replace('"1971"', '"soon"').replace('"1988-04"', '"1988-4"'), encoding="utf-8")
    assert [problem.split(": ", 1)[0] for problem in refused(load_events, path)] == [f"{path}:2", f"{path}:3"]
    path.write_text("date,event,description\n", encoding="utf-8")
    assert refused(load_events, path) == [
        f"{path}:1: the columns are ['date', 'event', 'description']. "
        "To fix: use the header: date,event,passages,description."]


NOTES = """# editor's notes
a-1:
  kind: correction
  note: " The record says otherwise. "
  sources:
    - source: " Archive, doc "
      url: "https://example.org/doc"
b-2:
  kind: sic
  note: "As printed."
"""


def test_notes_are_read_as_written(tmp_path):
    path = tmp_path / "notes.yml"
    path.write_text(NOTES, encoding="utf-8")
    notes = load_notes(path)
    assert notes == {"a-1": Note("a-1", "correction", "The record says otherwise.",
                                 (("Archive, doc", "https://example.org/doc"),), 2),
                     "b-2": Note("b-2", "sic", "As printed.", (), 8)}
    assert notes["b-2"].payload() == {"passage_id": "b-2", "label": "Editor's note [sic]", "text": "As printed.",
                                      "sources": []}
    assert notes["a-1"].payload()["label"] == "Editor's note"
    assert notes["a-1"].payload()["sources"] == [["Archive, doc", "https://example.org/doc"]]


def test_no_notes_file_or_an_empty_one_is_no_notes(tmp_path):
    assert load_notes(tmp_path / "notes.yml") == {}
    (tmp_path / "notes.yml").write_text("# none yet\n", encoding="utf-8")
    assert load_notes(tmp_path / "notes.yml") == {}


@pytest.mark.parametrize("old, new, line, expected", [
    ("  kind: sic", "  kind: remark", 8, "the note on 'b-2' has kind 'remark'. To fix: use kind: correction or sic."),
    ('  note: "As printed."', '  note: "  "', 8,
     "the note on 'b-2' has no text. To fix: write what the record says under 'note:'."),
    ('      url: "https://example.org/doc"', '      url: "javascript:x"', 2,
     "a source of the note on 'a-1' lacks a name or an http(s) URL. To fix: give each source as "
     "'- source: <publisher, document>' and 'url: https://…'."),
    ('    - source: " Archive, doc "', '    - source: " "', 2,
     "a source of the note on 'a-1' lacks a name or an http(s) URL. To fix: give each source as "
     "'- source: <publisher, document>' and 'url: https://…'."),
    ('  sources:\n    - source: " Archive, doc "\n      url: "https://example.org/doc"\n', "", 2,
     "the correction of 'a-1' has no source. To fix: add sources: with the publisher, document and http(s) URL "
     "of the record."),
    ("b-2:\n  kind: sic\n  note: \"As printed.\"\n", "b-2: As printed.\n", 8,
     "the note on 'b-2' is not a mapping. To fix: give it the keys kind, note and (for a correction) sources."),
])
def test_each_note_problem_is_reported_at_its_passage_with_the_fix(old, new, line, expected, tmp_path):
    path = tmp_path / "notes.yml"
    assert old in NOTES
    path.write_text(NOTES.replace(old, new), encoding="utf-8")
    assert refused(load_notes, path) == [f"{path}:{line}: {expected}"]


def test_a_source_without_its_name_and_every_later_problem_are_reported(tmp_path):
    path = tmp_path / "notes.yml"
    text = NOTES.replace('    - source: " Archive, doc "\n', "    - ").replace("b-2:\n  kind: sic\n", "b-2:\n  kind: odd\n")
    path.write_text("z-9: not a mapping\n" + text, encoding="utf-8")
    assert [problem.split(": ", 2)[1][:40] for problem in refused(load_notes, path)] == [
        "the note on 'z-9' is not a mapping. To f", "a source of the note on 'a-1' lacks a na",
        "the note on 'b-2' has kind 'odd'. To fix"]


def test_a_source_that_is_not_a_mapping_is_reported(tmp_path):
    path = tmp_path / "notes.yml"
    path.write_text(NOTES.replace('    - source: " Archive, doc "\n      url: "https://example.org/doc"\n',
                                  "    - Archive\n"), encoding="utf-8")
    assert [problem.split(": ", 1)[0] for problem in refused(load_notes, path)] == [f"{path}:2"]


def test_notes_that_are_not_a_mapping_are_reported_at_line_1(tmp_path):
    path = tmp_path / "notes.yml"
    path.write_text("- a-1\n", encoding="utf-8")
    assert refused(load_notes, path) == [
        f"{path}:1: the notes are not a mapping of passage ids to notes. "
        "To fix: start each note with its passage id, e.g. 'issra-2024-16:'."]


def test_a_note_on_a_passage_that_does_not_exist_is_reported(tmp_path):
    path = tmp_path / "notes.yml"
    path.write_text(NOTES, encoding="utf-8")
    assert [str(p) for p in validate(load_notes(path), {"a-1": "text"}, path)] == [
        f"{path}:8: passage 'b-2' does not exist. To fix: key the note by the id of a passage in data/briefs/ "
        "(python -m handbook passages lists them)."]
