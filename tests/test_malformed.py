"""Bad input stops with a message naming the file, the line and the problem, and changes no file."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pytest

from handbook.corpus import load_corpus
from handbook.problems import DataError
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


@pytest.fixture
def project(tmp_path):
    """A copy of the project's data/ (and the marker file that makes it a project)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "_config.yml", tmp_path)
    return tmp_path


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
    "invalid YAML": ("test-2025.md", GOOD.replace('title: "A Test Brief"', 'title: "A Test: Brief'), None, "not valid YAML"),
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
    assert any(p.path == path and message in p.message and (line is None or p.line == line) for p in problems), problems
    assert all(p.fix for p in problems)


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


def test_position_pointing_at_missing_passage_is_reported(project):
    path = project / "data" / "positions" / "china.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("passage: uol-2020-", "passage: uol-2020-9", 1), encoding="utf-8")
    problems = _problems(project)
    assert any(p.path == path and "does not exist" in p.message or "is not in passage" in p.message for p in problems)


def test_quote_that_is_not_in_its_passage_is_reported(project):
    path = project / "data" / "positions" / "india.yml"
    text = path.read_text(encoding="utf-8")
    first_quote = text.index("quote:")
    path.write_text(text[:first_quote] + "quote: \"Words the brief never wrote\"\n" + text[text.index("\n", first_quote) + 1:],
                    encoding="utf-8")
    assert any(p.path == path and "quote is not in passage" in p.message for p in _problems(project))


def test_event_and_label_pointing_at_missing_passages_are_reported(project):
    events = project / "data" / "events.csv"
    events.write_text(events.read_text(encoding="utf-8") + '2025-01-01,Invented,nobody-2000-1,"x"\n', encoding="utf-8")
    labels = project / "data" / "labels.csv"
    labels.write_text(labels.read_text(encoding="utf-8") + "nobody-2000-2,china\n", encoding="utf-8")
    messages = [str(p) for p in _problems(project)]
    assert any("events.csv" in m and "nobody-2000-1" in m for m in messages)
    assert any("labels.csv" in m and "nobody-2000-2" in m for m in messages)


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
    assert "5 briefs" in result.stdout or "briefs" in result.stdout


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
