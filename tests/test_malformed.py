"""Bad input stops with a message naming the file, the line and the problem, and changes no file."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import pytest

from handbook.corpus import load_corpus
from handbook.events import load_events
from handbook.problems import DataError
from handbook.themes import load_codebook, load_labels
from tests.conftest import ROOT

GOOD = """---
id: test-2025
title: "A Test Brief"
authors: ["A. Author"]
institution: "Test Institute"
date: 2025-03
perspective: Pakistani
---

## Heading

A first paragraph about CPEC and China.
"""


def _fingerprint(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _problems(project):
    with pytest.raises(DataError) as caught:
        load_corpus(project)
    return caught.value.problems


def _write(project, name, content: str | bytes):
    path = project / "data" / "briefs" / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_a_good_new_brief_loads(project):
    _write(project, "test-2025.md", GOOD)
    corpus = load_corpus(project)
    assert corpus.brief("test-2025").passages[0].id == "test-2025-1"


CASES = {
    "no front matter": ("test-2025.md", GOOD.replace("---\n", "", 1), 1, "does not start with YAML front matter"),
    "front matter never closed": ("test-2025.md", GOOD.replace("\n---\n\n##", "\n\n##"), 1, "never closed"),
    "invalid YAML": ("test-2025.md", GOOD.replace('title: "A Test Brief"', 'title: A Test: Brief'), 3, "not valid YAML"),
    "missing field": ("test-2025.md", GOOD.replace("perspective: Pakistani\n", ""), 1, "required field 'perspective' is missing"),
    "unknown field": ("test-2025.md", GOOD.replace("date: 2025-03\n", "date: 2025-03\npublisher: X\n"), 7, "unknown field 'publisher'"),
    "id does not match file name": ("other-2025.md", GOOD, 2, "does not match the file name"),
    "key given twice": ("test-2025.md", GOOD.replace("date: 2025-03\n", "date: 2025-03\ndate: 2025-04\n"), 7, "duplicate key 'date'"),
    "unparseable date": ("test-2025.md", GOOD.replace("date: 2025-03", "date: March 2025"), 6, "is not a date"),
    "impossible date": ("test-2025.md", GOOD.replace("date: 2025-03", "date: 2025-13"), 6, "is not a date"),
    "empty body": ("test-2025.md", GOOD.split("## Heading")[0], 9, "has no text"),
    "bad id": ("Test_2025.md", GOOD.replace("id: test-2025", "id: Test_2025"), 2, "is not valid"),
    "authors not a list": ("test-2025.md", GOOD.replace('authors: ["A. Author"]', "authors: A. Author"), 4, "not a list of names"),
}


@pytest.mark.parametrize("case", CASES)
def test_malformed_brief_is_reported_with_file_line_and_fix(project, case):
    name, content, line, message = CASES[case]
    path = _write(project, name, content)
    problems = _problems(project)
    assert any(p.path == path and message in p.message and p.line == line for p in problems), problems


def test_file_not_utf8_is_reported(project):
    path = _write(project, "test-2025.md", GOOD.replace("A first", "Caf\u00e9 first").encode("latin-1"))
    (problem,) = _problems(project)
    assert problem.path == path and "not UTF-8" in problem.message and problem.line == 12


def test_duplicate_id_is_reported(project):
    first = _write(project, "test-2025.md", GOOD)
    second = _write(project, "test-2025-copy.md", GOOD)
    duplicates = [p for p in _problems(project) if "duplicate id 'test-2025'" in p.message]
    assert len(duplicates) == 1
    assert {duplicates[0].path.name, duplicates[0].message.rsplit(" ", 1)[-1]} == {first.name, second.name}


def test_check_command_exits_non_zero_and_changes_nothing(project):
    _write(project, "test-2025.md", GOOD.replace("date: 2025-03", "date: soon"))
    before = _fingerprint(project)
    result = subprocess.run([sys.executable, "-m", "handbook", "check"], cwd=project, capture_output=True, text=True)
    assert result.returncode != 0
    assert "test-2025.md:6" in result.stderr and "not a date" in result.stderr and "To fix" in result.stderr
    assert _fingerprint(project) == before


def test_check_command_passes_on_the_real_data():
    result = subprocess.run([sys.executable, "-m", "handbook", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    briefs = len(list((ROOT / "data" / "briefs").glob("*.md")))
    labelled = len((ROOT / "data" / "labels.csv").read_text(encoding="utf-8").strip().split("\n")) - 1
    assert result.stdout.startswith(f"data/ is valid: {briefs} briefs, ")
    assert f" {labelled} hand-labelled passages" in result.stdout.split("\n")[0]


def test_add_brief_writes_a_valid_file_and_refuses_to_overwrite(project, tmp_path):
    source = tmp_path / "brief.txt"
    source.write_text("A title line\n\nFirst paragraph about CPEC\ncontinued on a new line.\n\n- a bullet point\n- another one\n",
                      encoding="utf-8")
    args = [sys.executable, "-m", "handbook", "add-brief", str(source), "--id", "new-2025", "--title", "New: a brief",
            "--institution", "Inst", "--date", "2025-05", "--perspective", "American", "--authors", "A; B"]
    first = subprocess.run(args, cwd=project, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    corpus = load_corpus(project)
    brief = corpus.brief("new-2025")
    assert brief.authors == ["A", "B"] and brief.title == "New: a brief"
    assert [p.text for p in brief.passages] == ["A title line", "First paragraph about CPEC continued on a new line.",
                                                 "a bullet point", "another one"]
    target = project / "data" / "briefs" / "new-2025.md"
    before = target.read_bytes()
    second = subprocess.run(args, cwd=project, capture_output=True, text=True)
    assert second.returncode != 0 and "already exists" in second.stderr
    assert target.read_bytes() == before


# -- codebook, labels and events: every rule the loaders enforce, with file, line and message -----------

CODEBOOK = """threshold: 2
themes:
  china:
    label: China
    definition: Ties with China.
    examples: [mei-2024-3]
    terms:
      strong: [cpec, "china"]
      weak: [beijing]
      other_senses: []
"""

# name -> (old, new, line of the problem, message)
CODEBOOK_CASES = {
    "key given twice": ("threshold: 2\n", "threshold: 2\nthreshold: 3\n", 2, "not valid YAML: duplicate key 'threshold'"),
    "not a mapping": (CODEBOOK, "- china\n", 1, "the codebook has no 'themes' mapping"),
    "no themes": ("themes:", "topics:", 1, "the codebook has no 'themes' mapping"),
    "threshold not a number": ("threshold: 2", "threshold: two", 1, "threshold 'two' is not a whole number of at least 1"),
    "threshold below 1": ("threshold: 2", "threshold: 0", 1, "threshold 0 is not a whole number of at least 1"),
    "theme without label": ("    label: China\n", "", 3, "theme 'china' lacks label"),
    "theme without definition and terms": (
        "    definition: Ties with China.\n", "", 3, "theme 'china' lacks definition"),
    "theme not a mapping": (CODEBOOK.split("  china:")[1], " yes\n", 3, "theme 'china' lacks label, definition"),
    "passing phrases": ("other_senses: []", "passing: [in passing]", 10, "theme 'china' lists 'passing' phrases"),
    "unknown key in a theme": ("    label: China\n", "    label: China\n    colour: red\n", 3,
                               "theme 'china' has unknown key(s) colour"),
    "unknown kind of term": ("strong:", "stronk:", 3, "theme 'china' has unknown key(s) terms: stronk"),
    "terms not lists": ('strong: [cpec, "china"]', "strong: cpec", 7, "the terms of theme 'china' are not lists"),
    "terms a list": ("    terms:\n      strong: [cpec, \"china\"]\n      weak: [beijing]\n      other_senses: []\n",
                     "    terms: [cpec]\n", 7, "the terms of theme 'china' are not lists"),
    "no strong or weak terms": ('strong: [cpec, "china"]\n      weak: [beijing]', "strong: []\n      weak: []", 7,
                                "theme 'china' has no strong or weak terms"),
    "term not text": ('[cpec, "china"]', "[cpec, 12]", 8, "term 12 of theme 'china' is not text"),
    "empty term": ("weak: [beijing]", 'weak: [""]', 9, "term '' of theme 'china' is not text"),
    "invalid pattern": ('"china"', '"(china"', 8, "term '(china' of theme 'china' is not a valid pattern (missing ), "
                                                  "unterminated subpattern at position 0)"),
    "examples not a list": ("examples: [mei-2024-3]", "examples: mei-2024-3", 6,
                            "the examples of theme 'china' are not a list of passage ids"),
}


def _problem_list(error):
    return [(problem.path.name, problem.line, problem.message) for problem in error.value.problems]


@pytest.mark.parametrize("case", CODEBOOK_CASES)
def test_each_codebook_rule_reports_file_line_and_message(case, tmp_path):
    old, new, line, message = CODEBOOK_CASES[case]
    assert old in CODEBOOK
    path = tmp_path / "codebook.yml"
    path.write_text(CODEBOOK.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_codebook(path)
    assert _problem_list(error) == [("codebook.yml", line, message)]


def test_the_synthetic_codebook_itself_is_valid(tmp_path):
    (tmp_path / "codebook.yml").write_text(CODEBOOK, encoding="utf-8")
    codebook = load_codebook(tmp_path / "codebook.yml")
    assert codebook.threshold == 2 and codebook.themes["china"].strong == ["cpec", "china"]


def test_a_codebook_with_several_problems_reports_all_of_them(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text(CODEBOOK.replace("threshold: 2", "threshold: 0").replace('"china"', '"(china"')
                    .replace("weak: [beijing]", "weak: [beijing, 3]"), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_codebook(path)
    assert [(line, message.split(" (")[0]) for _, line, message in _problem_list(error)] == [
        (1, "threshold 0 is not a whole number of at least 1"),
        (8, "term '(china' of theme 'china' is not a valid pattern"),
        (9, "term 3 of theme 'china' is not text")]
    assert len(str(error.value).split("\n")) == 3


LABELS = "passage_id,themes\nmei-2024-1,china\nmei-2024-2,\n"
LABEL_CASES = {
    "wrong header": ("passage_id,themes", "id,themes", 1, "the columns are ['id', 'themes']"),
    "no passage id": ("mei-2024-2,", ",china", 3, "the row names no passage"),
    "unknown theme": ("mei-2024-1,china", "mei-2024-1,china;chine", 2, "unknown theme(s) ['chine']"),
    "labelled twice": ("mei-2024-2,", "mei-2024-1,", 3, "passage 'mei-2024-1' is labelled twice"),
}


@pytest.mark.parametrize("case", LABEL_CASES)
def test_each_label_rule_reports_file_line_and_message(case, tmp_path):
    old, new, line, message = LABEL_CASES[case]
    (tmp_path / "codebook.yml").write_text(CODEBOOK, encoding="utf-8")
    path = tmp_path / "labels.csv"
    path.write_text(LABELS.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_labels(path, load_codebook(tmp_path / "codebook.yml"))
    assert _problem_list(error) == [("labels.csv", line, message)]


EVENTS = 'date,event,passages,description\n"1971-07","Trip","issi-2024-3","A trip."\n"2021-08-30","Exit","","An exit."\n'
EVENT_CASES = {
    "wrong header": ("date,event,passages,description", "when,event,passages,description", 1,
                     "the columns are ['when', 'event', 'passages', 'description']"),
    "not a date": ('"1971-07"', '"July 1971"', 2, "date 'July 1971' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    "no such month": ('"1971-07"', '"1971-13"', 2, "date '1971-13' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    "no such day": ('"2021-08-30"', '"2021-02-30"', 3, "date '2021-02-30' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    "empty date": ('"2021-08-30"', '""', 3, "date '' is not YYYY, YYYY-MM or YYYY-MM-DD"),
}


@pytest.mark.parametrize("case", EVENT_CASES)
def test_each_event_rule_reports_file_line_and_message(case, tmp_path):
    old, new, line, message = EVENT_CASES[case]
    path = tmp_path / "events.csv"
    path.write_text(EVENTS.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_events(path)
    assert _problem_list(error) == [("events.csv", line, message)]


def test_good_events_and_labels_load(tmp_path):
    (tmp_path / "events.csv").write_text(EVENTS, encoding="utf-8")
    (tmp_path / "labels.csv").write_text(LABELS, encoding="utf-8")
    (tmp_path / "codebook.yml").write_text(CODEBOOK, encoding="utf-8")
    assert [event.passages for event in load_events(tmp_path / "events.csv")] == [("issi-2024-3",), ()]
    assert load_labels(tmp_path / "labels.csv", load_codebook(tmp_path / "codebook.yml")) == {
        "mei-2024-1": {"china"}, "mei-2024-2": set()}


def _append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return len(path.read_text(encoding="utf-8").rstrip("\n").split("\n"))


def test_every_problem_in_codebook_labels_and_events_is_reported_at_once(project):
    data = project / "data"
    example_line, theme = _add_missing_example(data / "codebook.yml")
    unknown = _append(data / "labels.csv", "mei-2024-1000,chine\n")
    twice = _append(data / "labels.csv", "mei-2024-1000,\n")
    month = _append(data / "events.csv", '"2025-13","Invented","","x"\n')
    day = _append(data / "events.csv", '"2025-02-30","Invented too","","x"\n')
    before = _fingerprint(project)
    result = subprocess.run([sys.executable, "-m", "handbook", "check"], cwd=project, capture_output=True, text=True)
    assert result.returncode != 0 and _fingerprint(project) == before
    reported = [line.split(". To fix: ")[0] for line in result.stderr.split("\n")[1:] if line]
    assert sorted(reported) == sorted([
        f"{data / 'codebook.yml'}:{example_line}: example 'nobody-2000-3' of theme '{theme}' does not exist",
        f"{data / 'labels.csv'}:{unknown}: unknown theme(s) ['chine']",
        f"{data / 'labels.csv'}:{twice}: passage 'mei-2024-1000' is labelled twice",
        f"{data / 'events.csv'}:{month}: date '2025-13' is not YYYY, YYYY-MM or YYYY-MM-DD",
        f"{data / 'events.csv'}:{day}: date '2025-02-30' is not YYYY, YYYY-MM or YYYY-MM-DD",
    ])


def _add_missing_example(codebook):
    """Name a passage that does not exist as the first example of the first theme; return its line and theme."""
    text = codebook.read_text(encoding="utf-8")
    first_example = text.index("examples: [") + len("examples: [")
    codebook.write_text(text[:first_example] + "nobody-2000-3, " + text[first_example:], encoding="utf-8")
    theme = re.findall(r"^  ([a-z-]+):$", text[:first_example], re.MULTILINE)[-1]
    return text[:first_example].count("\n") + 1, theme


def test_passages_that_do_not_exist_are_reported_where_they_are_named(project):
    data = project / "data"
    example_line, theme = _add_missing_example(data / "codebook.yml")
    label_line = _append(data / "labels.csv", "nobody-2000-2,china\n")
    event_line = _append(data / "events.csv", '"2025-01-01","Invented","nobody-2000-1","x"\n')
    assert sorted((p.path.name, p.line, p.message) for p in _problems(project)) == sorted([
        ("codebook.yml", example_line, f"example 'nobody-2000-3' of theme '{theme}' does not exist"),
        ("labels.csv", label_line, "passage 'nobody-2000-2' does not exist"),
        ("events.csv", event_line, "event 'Invented' cites passage 'nobody-2000-1', which does not exist"),
    ])
