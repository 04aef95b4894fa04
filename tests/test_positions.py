"""Key questions, stance schemes and coded positions: the scheme is checked, the coding compares, the
command-line interfaces keep their contract, and agreement is computed as Cohen defined it."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import Counter

import pytest

from handbook.corpus import load_corpus
from handbook.passages import quote_in_passage
from handbook.positions import CODED, NOT_YET_CODED
from handbook.problems import DataError
from handbook.reliability import Cell, kappa, reliability
from tests.conftest import ROOT

THEMES = sorted(path.stem for path in (ROOT / "data" / "questions").glob("*.yml"))


def _cli(*args: str, cwd=ROOT) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "handbook", *args], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


# --- the coding as the book publishes it -------------------------------------------------------

def test_every_codebook_theme_has_key_questions(corpus):
    assert set(THEMES) == set(corpus.codebook.themes)
    for theme in THEMES:
        assert 3 <= len(corpus.questions_for(theme)) <= 6, theme


def test_every_original_brief_is_coded_on_every_question(corpus):
    for question in corpus.questions:
        for brief in corpus.briefs:
            assert question.position(brief.id).status != NOT_YET_CODED, (question.id, brief.id)


def test_coded_stances_are_shared_and_every_theme_diverges_somewhere():
    rows = [row for row in _cli("positions") if row["status"] == CODED]
    holders = Counter((row["question_id"], row["stance"]) for row in rows)
    shared = sum(holders[row["question_id"], row["stance"]] >= 2 for row in rows)
    assert shared / len(rows) >= 0.75, f"only {shared} of {len(rows)} coded stances are held by another brief"
    for theme in THEMES:
        in_use = Counter()
        for question_id, stance in {(r["question_id"], r["stance"]) for r in rows if r["theme"] == theme}:
            in_use[question_id] += 1
        assert max(in_use.values()) >= 2, f"{theme}: on no question do the briefs take different stances"


def test_every_quote_is_verbatim_in_its_passage_of_its_brief(corpus):
    for question in corpus.questions:
        for position in question.coded():
            for held in position.held:
                assert held.passage_id.startswith(position.brief_id + "-")
                assert quote_in_passage(held.quote, corpus.passage_text(held.passage_id)), (question.id, held)


def test_a_coded_passage_carries_its_chapter_theme_or_says_why_not(corpus):
    themes = dict(zip(corpus.passages["passage_id"], corpus.passages["themes"].str.split(";")))
    for question in corpus.questions:
        for position in question.coded():
            for held in position.held:
                assert question.theme in themes[held.passage_id] or held.off_theme, (question.id, held.passage_id)


def test_positions_csv_contract(corpus):
    rows = _cli("positions")
    assert list(rows[0]) == ["theme", "question_id", "brief_id", "stance", "status", "passage_id"]
    for row in rows:
        question = corpus.question(row["question_id"])
        assert row["theme"] == question.theme
        if row["status"] == CODED:
            assert row["stance"] in question.stances and row["passage_id"].startswith(row["brief_id"] + "-")
        else:
            assert row["stance"] == row["passage_id"] == ""
    cells = {(row["question_id"], row["brief_id"]) for row in rows}
    assert len(cells) == len(corpus.questions) * len(corpus.briefs)


def test_reliability_meets_the_bar_on_every_theme():
    rows = _cli("reliability")
    assert list(rows[0]) == ["theme", "cells", "agreement", "kappa"]
    assert {row["theme"] for row in rows} == set(THEMES)
    for row in rows:
        assert int(row["cells"]) >= 15, row
        assert float(row["kappa"]) >= 0.70, row


# --- agreement, on examples worked by hand ----------------------------------------------------

def test_kappa_on_a_worked_example():
    # Observed agreement 3/4; chance 1/2·1/4 + 1/2·3/4 = 1/2; kappa = (3/4 − 1/2) / (1 − 1/2) = 1/2.
    assert kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"]) == pytest.approx(0.5)
    # Cohen's (1960) kind of table: 10 cells, 7 agreements, margins 5/5 and 4/6 → pe = .5, kappa = .4.
    first = ["x"] * 5 + ["y"] * 5
    second = ["x", "x", "x", "y", "y", "x", "y", "y", "y", "y"]
    assert kappa(first, second) == pytest.approx(0.4)
    assert kappa(["a", "a"], ["a", "a"]) == 1.0


def test_reliability_counts_cells_as_first_coded():
    cells = [Cell("t", "q1", "b1", "yes", "yes"), Cell("t", "q1", "b2", "no", "yes", resolved="yes", reason="r"),
             Cell("t", "q2", "b1", "no", "no"), Cell("t", "q2", "b2", "yes", "yes")]
    frame = reliability(cells)
    assert frame.to_dict("records") == [{"theme": "t", "cells": 4, "agreement": 0.75, "kappa": 0.5}]


# --- the scheme and the coding are checked ----------------------------------------------------

def _problems(project) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_corpus(project)
    return [str(problem) for problem in caught.value.problems]


def _first_coded(project):
    """The text of the first coded stance in china.yml, and where it is."""
    path = project / "data" / "positions" / "china.yml"
    corpus = load_corpus(project)
    question = corpus.questions_for("china")[0]
    position = question.coded()[0]
    return path, question, position, position.held[0]


def _replace(path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_unknown_stance(project):
    path, question, position, held = _first_coded(project)
    line = _replace(path, f"stance: {held.stance}", "stance: no-such-stance")
    (problem,) = _problems(project)
    assert problem.startswith(f"{path}:{line}: question '{question.id}', brief '{position.brief_id}': unknown stance 'no-such-stance'")
    assert "use one of: " + ", ".join(question.stances) in problem


def test_stance_without_passage(project):
    path, question, position, held = _first_coded(project)
    _replace(path, f"passage: {held.passage_id}", "passage: ''")
    assert any(f"stance '{held.stance}' has no passage" in p and str(path) in p for p in _problems(project))


def test_quote_not_in_passage(project):
    path, question, position, held = _first_coded(project)
    word = held.quote.split()[1]
    _replace(path, held.quote.split("\n")[0][:60], held.quote.split("\n")[0][:60].replace(word, word + " not", 1))
    (problem,) = _problems(project)
    assert f"the quote is not in passage '{held.passage_id}'" in problem and problem.startswith(str(path))


def test_empty_or_ellipsis_only_quote(project):
    path, question, position, held = _first_coded(project)
    text = path.read_text(encoding="utf-8")
    start = text.index("quote:", text.index(f"passage: {held.passage_id}"))
    end = text.index("\n", start)
    path.write_text(text[:start] + 'quote: " … "' + text[end:], encoding="utf-8")
    assert any(f"the quote from '{held.passage_id}' is empty" in p for p in _problems(project))


def test_quote_from_another_briefs_passage(project):
    path, question, position, held = _first_coded(project)
    other = next(b.id for b in load_corpus(project).briefs if b.id != position.brief_id)
    _replace(path, f"passage: {held.passage_id}", f"passage: {other}-1")
    assert any(f"passage '{other}-1' is not a passage of this brief" in p for p in _problems(project))


def test_unknown_brief_and_unknown_question(project):
    path = project / "data" / "positions" / "china.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "  china-no-such-question:\n    wilson-2019:\n      status: not-addressed\n", encoding="utf-8")
    problems = _problems(project)
    assert any("unknown question 'china-no-such-question'" in p and f"{path}:" in p for p in problems)
    path.write_text(text.replace("    wilson-2019:\n", "    wilson-2091:\n", 1), encoding="utf-8")
    assert any("brief 'wilson-2091': no brief has this id" in p for p in _problems(project))


def test_not_applicable_needs_a_reason(project):
    path, question, position, held = _first_coded(project)
    text = path.read_text(encoding="utf-8")
    start = text.index(f"    {position.brief_id}:", text.index(question.id))
    lines = text[start:].split("\n")
    block_end = start + len(lines[0]) + 1
    for line in lines[1:]:
        if line.startswith("      ") or not line.strip():
            block_end += len(line) + 1
        else:
            break
    path.write_text(text[:start] + f"    {position.brief_id}:\n      status: not-applicable\n" + text[block_end:], encoding="utf-8")
    (problem,) = _problems(project)
    assert f"brief '{position.brief_id}': not-applicable without a reason" in problem
    assert problem.startswith(f"{path}:{text[:start].count(chr(10)) + 1}:")


def test_unknown_status(project):
    path, question, position, held = _first_coded(project)
    _replace(path, "status: coded", "status: agreed")
    assert any("unknown status 'agreed'" in p for p in _problems(project))


def test_scheme_rules(project):
    path = project / "data" / "questions" / "china.yml"
    text = path.read_text(encoding="utf-8")
    first_stance = load_corpus(project).questions_for("china")[0].stances
    stance_id = next(iter(first_stance))
    path.write_text(text.replace("scale: ", "scale: circular #", 1), encoding="utf-8")
    assert any("unknown scale 'circular" in p and str(path) in p for p in _problems(project))
    path.write_text(text.replace(f"id: {stance_id}\n", "id: Upper Case\n", 1), encoding="utf-8")
    assert any("stance id 'Upper Case' is not a lower-case slug" in p for p in _problems(project))
    label_line = next(line for line in text.split("\n") if line.strip().startswith("label:"))
    path.write_text(text.replace(label_line, label_line.split("label:")[0] + "label: " + "x" * 41, 1), encoding="utf-8")
    assert any("is longer than 40 characters" in p for p in _problems(project))


def test_several_problems_in_several_files_are_all_reported(project):
    path, question, position, held = _first_coded(project)
    _replace(path, f"stance: {held.stance}", "stance: no-such-stance")
    other = project / "data" / "positions" / "india.yml"
    _replace(other, "status: coded", "status: agreed")
    problems = _problems(project)
    assert any(p.startswith(str(path)) and "no-such-stance" in p for p in problems)
    assert any(p.startswith(str(other)) and "unknown status 'agreed'" in p for p in problems)


def test_a_brief_added_later_is_not_yet_coded(project):
    (project / "data" / "briefs" / "later-2025.md").write_text(
        '---\nid: later-2025\ntitle: "A Later Brief"\nauthors: ["A. Author"]\ninstitution: "Test Institute"\n'
        'date: 2025-03\nperspective: Pakistani\n---\n\nA paragraph about CPEC and China.\n', encoding="utf-8")
    corpus = load_corpus(project)
    assert all(q.position("later-2025").status == NOT_YET_CODED for q in corpus.questions)
    rows = [r for r in _cli("positions", cwd=project) if r["brief_id"] == "later-2025"]
    assert len(rows) == len(corpus.questions) and {r["status"] for r in rows} == {NOT_YET_CODED}
