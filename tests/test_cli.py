"""`python -m handbook`, called in this process (handbook.__main__.main), on a copy of the project: what
each command prints and writes, checked against data/ read afresh. tests/test_malformed.py runs the
same commands as a subprocess, the way an editor does."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from handbook.__main__ import main
from tests.conftest import ROOT


@pytest.fixture
def project(project, monkeypatch):
    """The copy of the project (tests/conftest.py) as the working folder, as an editor runs the commands."""
    monkeypatch.delenv("HANDBOOK_ROOT", raising=False)
    monkeypatch.chdir(project)
    return project


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_counts_what_data_holds_and_names_each_briefs_label(project, capsys, corpus):
    code, out, err = run(capsys, "check")
    assert (code, err) == (0, "")
    with (ROOT / "data" / "labels.csv").open(encoding="utf-8", newline="") as file:
        labelled = sum(1 for row in csv.DictReader(file) if row["themes"] is not None)
    notes = yaml.safe_load((ROOT / "data" / "notes.yml").read_text(encoding="utf-8"))
    briefs = sorted((ROOT / "data" / "briefs").glob("*.md"))
    first, *rest = out.splitlines()
    assert first.startswith(f"data/ is valid: {len(briefs)} briefs, {sum(len(b.passages) for b in corpus.briefs)} passages, "
                            f"{len(corpus.questions)} key questions, {labelled} hand-labelled passages, ")
    assert first.endswith(f"{len(notes)} editor's notes."), "one per passage noted in data/notes.yml"
    assert rest == [f"  {b.id}: cited as '{b.label}' ({b.label_origin})" for b in corpus.briefs]


def test_check_reports_every_problem_with_its_file_and_changes_nothing(project, capsys):
    events = project / "data" / "events.csv"
    events.write_text(events.read_text(encoding="utf-8") + '"2020-13","Bad date","uol-2020-1","x"\n', encoding="utf-8")
    before = events.read_bytes()
    code, out, err = run(capsys, "check")
    assert code == 1 and out == ""
    assert err.startswith("data/ has problems; nothing was changed:\n") and "events.csv" in err and "2020-13" in err
    assert events.read_bytes() == before


def test_passages_prints_every_passage_with_its_themes(project, capsys, corpus):
    code, out, _ = run(capsys, "passages")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0] == ["passage_id", "brief_id", "text", "themes"]
    assert [row[:3] for row in rows[1:]] == [[p.id, b.id, p.text] for b in corpus.briefs for p in b.passages]
    assert [row[3] for row in rows[1:]] == list(corpus.passages["themes"])


def test_positions_prints_a_row_per_stance_held_and_per_cell_not_coded(project, capsys, corpus):
    code, out, _ = run(capsys, "positions")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    want = []
    for theme in dict.fromkeys(q.theme for q in corpus.questions):
        raw = yaml.safe_load((ROOT / "data" / "positions" / f"{theme}.yml").read_text(encoding="utf-8"))["positions"]
        for question in corpus.questions_for(theme):
            for brief in corpus.briefs:
                cell = raw[question.id][brief.id]
                held = cell.get("stances") or [{}]
                want += [(theme, question.id, brief.id, h.get("stance", ""), cell["status"], h.get("passage", ""))
                         for h in held]
    assert list(rows[0]) == ["theme", "question_id", "brief_id", "stance", "status", "passage_id"]
    assert [tuple(row.values()) for row in rows] == want


def test_reliability_prints_the_agreement_of_the_two_codings_per_theme(project, capsys):
    code, out, _ = run(capsys, "reliability")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and list(rows[0]) == ["theme", "cells", "agreement", "kappa"]
    themes = sorted(path.stem for path in (ROOT / "data" / "coding" / "second").glob("*.yml"))
    assert sorted(row["theme"] for row in rows) == themes
    assert all(0 <= float(row["agreement"]) <= 1 and -1 <= float(row["kappa"]) <= 1 for row in rows)


NEW = """The weather in Islamabad was mild that spring.

Pakistan should keep good relations with both Washington and Beijing and need not choose a side between them.
"""


def test_add_brief_then_suggest_gives_an_editor_a_brief_and_passages_to_review(project, capsys, tmp_path_factory,
                                                                               corpus):
    source = tmp_path_factory.mktemp("incoming") / "later.txt"
    source.write_text(NEW, encoding="utf-8")
    args = ["add-brief", str(source), "--id", "later-2025", "--title", "A Later Brief", "--institution", "Test Institute",
            "--date", "2025-03", "--perspective", "Pakistani", "--authors", "A. Author; B. Author"]
    code, out, _ = run(capsys, *args)
    target = project / "data" / "briefs" / "later-2025.md"
    assert code == 0 and out == f"wrote {target} (2 passages). Check it against the original, then run: make book\n"
    front = yaml.safe_load(target.read_text(encoding="utf-8").split("---\n")[1])
    assert front["authors"] == ["A. Author", "B. Author"] and front["title"] == "A Later Brief"
    with pytest.raises(SystemExit, match="already exists"):
        main(args)
    with pytest.raises(SystemExit, match="is not valid"):
        main([*args[:3], "Later_2025", *args[4:]])
    code, out, _ = run(capsys, "suggest", "later-2025")
    themes = sorted(path.stem for path in (project / "data" / "questions").glob("*.yml"))
    assert code == 0 and sorted(line.split(":")[0] for line in out.splitlines()) == \
        sorted(f"wrote data/positions/{theme}.yml" for theme in themes)
    china = yaml.safe_load((project / "data" / "positions" / "china.yml").read_text(encoding="utf-8"))
    entry = china["positions"]["china-choose"]["later-2025"]
    assert entry["status"] == "suggested" and entry["suggestions"][0]["passage"] == "later-2025-2"
    assert entry["suggestions"][0]["quote"] == NEW.split("\n\n")[1].strip()
    code, out, _ = run(capsys, "suggest", "later-2025")
    assert code == 0, "suggestions are replaced, not refused"
    code, out, _ = run(capsys, "suggest", "mei-2024")
    coded = [q.id for q in corpus.questions if q.position("mei-2024").status not in ("suggested", "not-yet-coded")]
    assert len(coded) > len(themes)
    assert out == f"left alone, already coded: {', '.join(coded)}\n", "every coded question named, none written"
    with pytest.raises(SystemExit, match="no brief 'nobody-2025'"):
        main(["suggest", "nobody-2025"])


LISTED = """A heading line, then its paragraph
running on a second line.
- a dash item
• a bullet item
  that runs on
1. a numbered item
2) and another

The last paragraph.
"""


def test_add_brief_makes_each_paragraph_and_list_item_a_passage_and_keeps_the_short_label_and_url(project, capsys,
                                                                                                  tmp_path_factory):
    source = tmp_path_factory.mktemp("incoming") / "listed.txt"
    source.write_text(LISTED.replace("\n", "\r\n"), encoding="utf-8")
    code, _, _ = run(capsys, "add-brief", str(source), "--id", "listed-2025", "--title", "Listed", "--institution",
                     "Test Institute", "--date", "2025-04", "--perspective", "Pakistani", "--short", "TI 2025",
                     "--url", "https://example.org/listed")
    text = (project / "data" / "briefs" / "listed-2025.md").read_text(encoding="utf-8")
    front, body = text.split("---\n")[1:]
    meta = yaml.safe_load(front)
    assert (meta["short"], meta["url"], meta["authors"]) == ("TI 2025", "https://example.org/listed", [])
    assert code == 0 and body == ("\nA heading line, then its paragraph running on a second line.\n\n- a dash item\n\n"
                                  "- a bullet item that runs on\n\n- a numbered item\n\n- and another\n\n"
                                  "The last paragraph.\n")
    code, _, _ = run(capsys, "add-brief", str(source), "--id", "plain-2025", "--title", "Plain", "--institution",
                     "Test Institute", "--date", "2025-04", "--perspective", "Pakistani")
    meta = yaml.safe_load((project / "data" / "briefs" / "plain-2025.md").read_text(encoding="utf-8").split("---\n")[1])
    assert "short" not in meta and "url" not in meta


def test_add_brief_refuses_a_file_that_is_not_utf8(project, tmp_path_factory):
    source = tmp_path_factory.mktemp("incoming") / "latin1.txt"
    source.write_bytes("Caf\xe9 policy.".encode("latin-1"))
    with pytest.raises(SystemExit, match="not UTF-8"):
        main(["add-brief", str(source), "--id", "latin-2025", "--title", "T", "--institution", "I",
              "--date", "2025-03", "--perspective", "P"])
    assert not (project / "data" / "briefs" / "latin-2025.md").exists()


NEW_QUESTION = """
  - id: china-later
    question: "Should Pakistan host a new China trade office?"
    scale: nominal
    stances:
      - id: host
        label: "Host it"
        definition: "Pakistan should host the office."
        include: "Code when the brief says Pakistan should host it."
      - id: decline
        label: "Decline it"
        definition: "Pakistan should not host the office."
        include: "Code when the brief says Pakistan should not host it."
"""


def test_suggest_fills_in_a_question_added_to_the_scheme_before_any_brief_was_coded_on_it(project, capsys):
    scheme = project / "data" / "questions" / "china.yml"
    scheme.write_text(scheme.read_text(encoding="utf-8") + NEW_QUESTION, encoding="utf-8")
    code, out, _ = run(capsys, "suggest", "mei-2024")
    assert code == 0 and "wrote data/positions/china.yml: suggestions for 1 key questions" in out
    china = yaml.safe_load((project / "data" / "positions" / "china.yml").read_text(encoding="utf-8"))
    assert list(china["positions"]["china-later"]) == ["mei-2024"]
    assert china["positions"]["china-later"]["mei-2024"]["status"] == "suggested"
