"""The ranking behind suggested positions, and its leave-one-brief-out recall@k, on a corpus small
enough to know the answers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from handbook import suggest
from handbook.corpus import MAX_SUGGESTED, load_corpus
from handbook.positions import SUGGESTED
from handbook.suggest import BM25, TFIDF, examples_for, rank, recall_at_k, recall_by_method
from tests.conftest import ROOT

QUESTION = {"id": "drinks-choice", "question": "Should the office buy tea or coffee?",
            "stances": [{"id": "tea", "label": "Buy tea", "definition": "The office should buy tea leaves.",
                         "include": "Code this when the brief asks for tea."},
                        {"id": "coffee", "label": "Buy coffee", "definition": "The office should buy coffee beans.",
                         "include": "Code this when the brief asks for coffee."}]}

PASSAGES = {
    "a": {"a-1": "The roof leaks in winter.", "a-2": "The office should buy tea for everyone.",
          "a-3": "Parking is scarce.", "a-4": "Lunch starts at noon.", "a-5": "The lift is slow."},
    "b": {"b-1": "Printers jam often.", "b-2": "Desks are too small.", "b-3": "Windows face north.",
          "b-4": "Chairs creak.", "b-5": "A warm cup each morning keeps people cheerful."},
    "c": {"c-1": "Coffee beans from a local roaster would suit the office.", "c-2": "Meetings run long.",
          "c-3": "The carpet is new.", "c-4": "Badges open every door.", "c-5": "Plants need water."},
}


def _cell(*passages, status="coded"):
    return {"status": status, "stances": [{"stance": "tea", "passage": pid, "quote": ""} for pid in passages]}


POSITIONS = {"drinks-choice": {"a": _cell("a-2"), "b": _cell("b-5"), "c": _cell("c-1")}}


def test_the_ranking_reads_the_question_and_each_stances_label_definition_and_rule(corpus):
    assert suggest.question_text(QUESTION) == (
        "Should the office buy tea or coffee? Buy tea The office should buy tea leaves. Code this when the brief "
        "asks for tea. Buy coffee The office should buy coffee beans. Code this when the brief asks for coffee.")
    question = corpus.questions[0]
    assert suggest.question_dict(question) == {
        "id": question.id, "question": question.text,
        "stances": [{"id": stance_id, "label": stance.label, "definition": stance.definition, "include": stance.include}
                    for stance_id, stance in question.stances.items()]}


@pytest.mark.parametrize("method", [BM25, TFIDF])
def test_the_passage_that_answers_the_question_ranks_first(method):
    ranking = [suggestion.passage_id for suggestion in rank(QUESTION, PASSAGES["c"], method=method)]
    assert ranking[0] == "c-1"
    assert sorted(ranking) == sorted(PASSAGES["c"])
    # passages that share no word with the question keep the brief's order
    assert ranking[1:] == ["c-2", "c-3", "c-4", "c-5"]


@pytest.mark.parametrize("method", [BM25, TFIDF])
def test_recall_at_3_counts_the_coded_passages_found_in_the_top_three(method):
    # a-2 and c-1 share words with the question and rank first; b-5 shares none with the question or the
    # passages coded in a and c, so it keeps its place, fifth: recall@3 is 2 of 3.
    result = recall_at_k([QUESTION], POSITIONS, PASSAGES, k=3, method=method)
    assert (result["coded"], result["hits"]) == (3, 2)
    assert result["recall"] == pytest.approx(2 / 3)
    assert {(d["brief"], d["passage"], d["rank"]) for d in result["details"]} == {
        ("a", "a-2", 1), ("b", "b-5", 5), ("c", "c-1", 1)}
    assert recall_at_k([QUESTION], POSITIONS, PASSAGES, k=5, method=method)["recall"] == 1.0


def test_a_held_out_brief_is_ranked_without_its_own_coded_passage():
    assert examples_for("drinks-choice", POSITIONS, PASSAGES, except_brief="b") == [
        PASSAGES["a"]["a-2"], PASSAGES["c"]["c-1"]]
    # b-5's words are in none of the other briefs' coded passages: only its own coding could lift it
    leaked = rank(QUESTION, PASSAGES["b"], [PASSAGES["b"]["b-5"]])
    assert leaked[0].passage_id == "b-5"
    assert recall_at_k([QUESTION], POSITIONS, PASSAGES)["details"][1]["rank"] == 5


def test_passages_coded_elsewhere_break_ties_the_question_leaves():
    passages = {"d-1": "Mugs should be washed.", "d-2": "A warm cup each morning is welcome."}
    assert rank(QUESTION, passages)[0].passage_id == "d-1"
    assert rank(QUESTION, passages, [PASSAGES["b"]["b-5"]])[0].passage_id == "d-2"


def test_only_coded_cells_count_and_each_coded_passage_counts_once():
    positions = {"drinks-choice": {
        "a": _cell("a-2", "a-2"),                      # the same passage for two stances
        "b": {"status": "not-addressed"},
        "c": _cell("c-1", status="suggested"),         # a suggestion is not a coder's choice
    }}
    result = recall_at_k([QUESTION], positions, PASSAGES)
    assert [(d["brief"], d["passage"]) for d in result["details"]] == [("a", "a-2")]
    assert recall_at_k([QUESTION], {}, PASSAGES)["recall"] is None


def test_every_method_is_measured():
    results = recall_by_method([QUESTION], POSITIONS, PASSAGES)
    assert set(results) == {BM25, TFIDF}
    assert all(result["coded"] == 3 for result in results.values())


# --- the project's own suggestions: the command, and the method page's figure ------------------

NEW_BRIEF = """---
id: later-2025
title: "A Later Brief"
authors: ["A. Author"]
institution: "Test Institute (TI)"
date: 2025-03
perspective: Pakistani
---

The weather in Islamabad was mild that spring.

Pakistan should keep good relations with both Washington and Beijing and need not choose a side between them.
"""


def _suggest(project, brief_id):
    return subprocess.run([sys.executable, "-m", "handbook", "suggest", brief_id], cwd=project,
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_suggest_writes_suggestions_for_a_new_brief_and_names_the_files(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "_config.yml", tmp_path)
    (tmp_path / "data" / "briefs" / "later-2025.md").write_text(NEW_BRIEF, encoding="utf-8")
    result = _suggest(tmp_path, "later-2025")
    assert result.returncode == 0, result.stderr
    corpus = load_corpus(tmp_path)
    themes = {q.theme for q in corpus.questions}
    assert {f"wrote data/positions/{theme}.yml" for theme in themes} <= {line.split(":")[0] for line in result.stdout.splitlines()}
    question = corpus.question("china-choose")
    position = question.position("later-2025")
    assert position.status == SUGGESTED and position.suggestions[0].passage_id == "later-2025-2"
    assert not question.position("later-2025").held and question.agreement() == load_corpus(ROOT).question("china-choose").agreement()


def test_a_brief_not_coded_on_every_question_awaits_coding(tmp_path, corpus):
    """What decides whether a build ranks passages for every comparison (handbook.corpus.cached_corpus)."""
    assert not corpus.awaiting_coding(), "every brief of the book is coded on every key question"
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data" / "briefs" / "later-2025.md").write_text(NEW_BRIEF, encoding="utf-8")
    assert load_corpus(tmp_path).awaiting_coding()
    for number in range(MAX_SUGGESTED):
        (tmp_path / "data" / "briefs" / f"later-{number}.md").write_text(
            NEW_BRIEF.replace("later-2025", f"later-{number}").replace("(TI)", f"(TI{number})"), encoding="utf-8")
    assert not load_corpus(tmp_path).awaiting_coding(), "comparisons list more briefs than this without quoting"


def test_suggest_refuses_to_overwrite_a_coded_position(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "_config.yml", tmp_path)
    before = {p: p.read_bytes() for p in (tmp_path / "data" / "positions").glob("*.yml")}
    result = _suggest(tmp_path, "wilson-2019")
    assert result.returncode == 0 and "left alone, already coded" in result.stdout and "wrote" not in result.stdout
    assert before == {p: p.read_bytes() for p in (tmp_path / "data" / "positions").glob("*.yml")}
    assert _suggest(tmp_path, "no-such-brief").returncode != 0


def test_method_page_shows_the_suggestions_recall_the_data_give(page, corpus):
    results = recall_by_method([suggest.question_dict(q) for q in corpus.questions],
                               suggest.positions_dict(corpus.questions), suggest.passages_by_brief(corpus))
    table = next(t for t in page("method.html").select("table")
                 if t.caption and "Suggestions against the coders' choices" in t.caption.get_text())
    header = [cell.get_text(" ", strip=True) for cell in table.select("thead th")]
    rows = [dict(zip(header, (c.get_text(" ", strip=True) for c in row.select("td")))) for row in table.select("tbody tr")]
    names = {"BM25": BM25, "TF-IDF similarity": TFIDF}
    assert {names[row["Ranking"]] for row in rows} == set(results)
    for row in rows:
        result = results[names[row["Ranking"]]]
        assert (int(row["Coded passages"]), int(row["Among the first three"])) == (result["coded"], result["hits"])
        assert float(row["Recall@3"]) == pytest.approx(result["recall"], abs=0.005)
    best = max(results.values(), key=lambda r: r["recall"])
    assert [row for row in rows if row["Used"] == "yes"][0]["Recall@3"] == f"{best['recall']:.2f}"


@pytest.mark.skipif("MUTANT_UNDER_TEST" in os.environ, reason="under mutation testing nothing is read from _build/cache")
def test_a_brief_added_and_not_yet_coded_finds_the_evaluation_of_the_coded_briefs_kept(project, monkeypatch):
    before = suggest.evaluation(load_corpus(project))
    (project / "data" / "briefs" / "later-2025.md").write_text(NEW_BRIEF, encoding="utf-8")
    evaluated = []
    recall = suggest.recall_by_method
    monkeypatch.setattr(suggest, "recall_by_method", lambda *args: evaluated.append(args) or recall(*args))
    added = load_corpus(project)
    assert suggest.evaluation(added) == before and not evaluated, "the new brief has no coded cell to evaluate"
    question = added.questions[0]
    question.positions.pop(next(iter(question.positions)))
    del added.__dict__["suggestions"]
    assert suggest.evaluation(added) != before and evaluated, "a coding changed: evaluated again"
