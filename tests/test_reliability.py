"""The second coding and the resolutions of disagreements (data/coding/): each rule with the file, line,
message and fix; agreement and Cohen's kappa on codings small enough to count by hand."""

from __future__ import annotations

import pytest

from handbook.positions import load_coding, load_scheme
from handbook.reliability import Cell, kappa, load_resolutions, reliability, second_coding
from tests.test_positions_rules import CODING, PASSAGES, SCHEME, write

BRIEFS = {"aa-2020", "bb-2021"}
# The second coder: agrees on china-choose / bb-2021, disagrees on china-choose / aa-2020 (one stance,
# not two) and on china-aid / bb-2021 (coded, where the book has not-addressed).
SECOND = """positions:
  china-choose:
    aa-2020:
      status: coded
      stances:
        - stance: balance
          passage: aa-2020-1
          quote: "both sides"
    bb-2021:
      status: not-applicable
      reason: "Too early."
      note: "Second coder's note."
  china-aid:
    bb-2021:
      status: coded
      stances:
        - stance: more
          passage: bb-2021-1
          quote: "Both sides"
"""
RESOLVED = """resolutions:
  - question: china-choose
    brief: aa-2020
    first: balance
    second: balance
    resolved: balance+lean-us
    reason: "The second stance is in passage 2."
"""


@pytest.fixture
def data(tmp_path):
    data = tmp_path / "data"
    write(data, "questions/china.yml", SCHEME)
    write(data, "coding/second/china.yml", SECOND)
    return data


def questions(data):
    scheme = load_scheme(data / "questions" / "china.yml")
    coding, problems = load_coding(write(data, "positions/china.yml", CODING.replace('        - "junk"\n', "")),
                                   {q.id: q for q in scheme})
    assert problems == []
    for question in scheme:
        question.positions.update(coding.get(question.id, {}))
    return scheme


def test_cells_pair_the_book_with_the_second_coder(data):
    cells, problems = second_coding(data, questions(data), PASSAGES, BRIEFS)
    assert problems == []
    assert cells == [
        Cell("china", "china-choose", "aa-2020", "balance+lean-us", "balance"),
        Cell("china", "china-choose", "bb-2021", "not-applicable", "not-applicable", second_note="Second coder's note."),
        Cell("china", "china-aid", "bb-2021", "not-addressed", "more"),
    ]
    assert [cell.agrees for cell in cells] == [False, True, False]


def test_a_resolved_cell_counts_as_first_coded(data):
    write(data, "coding/resolutions.yml", RESOLVED)
    cells, problems = second_coding(data, questions(data), PASSAGES, BRIEFS)
    assert problems == []
    assert cells[0] == Cell("china", "china-choose", "aa-2020", "balance", "balance", "balance+lean-us",
                            "The second stance is in passage 2.")
    assert cells[0].agrees


def test_a_resolution_that_does_not_match_the_codings_is_reported(data):
    path = write(data, "coding/resolutions.yml", "# settled\n" + RESOLVED.replace("resolved: balance+lean-us",
                                                                                  "resolved: balance"))
    _, problems = second_coding(data, questions(data), PASSAGES, BRIEFS)
    assert [str(p) for p in problems] == [
        f"{path}:3: cell china-choose / aa-2020: the resolution does not match the codings (second coding "
        "'balance', book 'balance+lean-us'). To fix: record the second coder's value and the book's current value."]
    write(data, "coding/resolutions.yml", RESOLVED.replace("second: balance", "second: lean-us"))
    _, problems = second_coding(data, questions(data), PASSAGES, BRIEFS)
    assert len(problems) == 1 and "(second coding 'balance', book 'balance+lean-us')" in problems[0].message


def test_a_resolution_of_a_cell_nobody_coded_twice_is_reported(data):
    path = write(data, "coding/resolutions.yml", RESOLVED.replace("brief: aa-2020", "brief: cc-2022"))
    _, problems = second_coding(data, questions(data), PASSAGES, BRIEFS)
    assert [str(p) for p in problems] == [
        f"{path}:2: cell china-choose / cc-2022 is not in the second coding. To fix: remove the entry."]


def test_a_second_coding_for_a_theme_without_questions_is_reported(data):
    path = write(data, "coding/second/mars.yml", SECOND)
    _, problems = second_coding(data, questions(data), PASSAGES, BRIEFS)
    assert [str(p) for p in problems] == [
        f"{path}:1: no key questions for theme 'mars'. To fix: name the file after a file of data/questions/."]


def test_the_second_coding_is_held_to_the_rules_of_the_first(data):
    path = write(data, "coding/second/china.yml", SECOND.replace('quote: "Both sides"', 'quote: "Both side"')
                 .replace("stance: balance", "stance: middle"))
    _, problems = second_coding(data, questions(data), PASSAGES, BRIEFS)
    assert [(p.path, p.line, p.message) for p in problems] == [
        (path, 6, "question 'china-choose', brief 'aa-2020': unknown stance 'middle'"),
        (path, 14, "question 'china-aid', brief 'bb-2021': the quote is not in passage 'bb-2021-1'")]


def test_no_resolutions_file_settles_nothing(tmp_path):
    assert load_resolutions(tmp_path / "resolutions.yml") == ({}, [])


@pytest.mark.parametrize("text", ["", "resolutions: none\n", "- a\n"])
def test_a_resolutions_file_without_a_list_is_reported(text, tmp_path):
    path = write(tmp_path, "resolutions.yml", text)
    assert [str(p) for p in load_resolutions(path)[1]] == [
        f"{path}:1: no 'resolutions' list. To fix: list each settled disagreement under 'resolutions:'."]


@pytest.mark.parametrize("key", ["question", "brief", "first", "second", "resolved", "reason"])
def test_a_resolution_lacking_a_field_is_reported_at_its_line(key, tmp_path):
    path = write(tmp_path, "resolutions.yml", RESOLVED.replace(f"    {key}: ", f"    {key}: ' ' #", 1)
                 .replace(f"  - {key}: ", f"  - {key}: ' ' #", 1))
    resolutions, problems = load_resolutions(path)
    assert resolutions == {}
    assert [str(p) for p in problems] == [
        f"{path}:2: a resolution lacks question, brief, first, second, resolved, reason. "
        "To fix: give question, brief, both coders' values, the value settled on and why."]


def test_a_cell_resolved_twice_is_reported_at_the_second(tmp_path):
    path = write(tmp_path, "resolutions.yml", RESOLVED + RESOLVED.split("\n", 1)[1])
    resolutions, problems = load_resolutions(path)
    assert [str(p) for p in problems] == [
        f"{path}:8: cell china-choose / aa-2020 is resolved twice. To fix: keep one entry."]
    assert resolutions[("china-choose", "aa-2020")].line == 8


def test_broken_yaml_in_the_resolutions_is_reported_at_its_line(tmp_path):
    path = write(tmp_path, "resolutions.yml", RESOLVED.replace('"The second', "The: second: stance"))
    [problem] = load_resolutions(path)[1]
    assert problem.line == 7 and problem.message.startswith("not valid YAML")


def test_a_resolution_is_read_as_written(tmp_path):
    path = write(tmp_path, "resolutions.yml", RESOLVED.replace("first: balance", "first: ' balance '"))
    [(key, resolution)] = load_resolutions(path)[0].items()
    assert key == ("china-choose", "aa-2020")
    assert (resolution.first, resolution.second, resolution.resolved, resolution.reason, resolution.line) == (
        "balance", "balance", "balance+lean-us", "The second stance is in passage 2.", 2)


def test_kappa_by_hand():
    # 6 cells; both say "a" in 2, both "b" in 2, they differ in 2: po = 4/6; each coder says "a" half the
    # time, so pe = 1/2 and kappa = (2/3 - 1/2) / (1/2) = 1/3.
    assert kappa(list("aabbab"), list("aabbba")) == pytest.approx(1 / 3)
    assert kappa(list("aaa"), list("aaa")) == 1.0
    assert kappa(list("ab"), list("ba")) == pytest.approx(-1.0)


def test_reliability_per_theme_in_the_order_first_seen():
    cells = [Cell("t2", "q", "b1", "a", "a"), Cell("t1", "q", "b1", "a", "b"), Cell("t2", "q", "b2", "b", "b"),
             Cell("t2", "q", "b3", "a", "b"), Cell("t1", "q", "b2", "b", "b")]
    rows = reliability(cells).to_dict("records")
    # t2: agreement 2/3; table [[a,a],[b,b],[a,b]]: po 2/3, pe = (2/3)(1/3) + (1/3)(2/3) = 4/9, kappa = 0.4
    # t1: agreement 1/2; first [a,b], second [b,b]: po 1/2, pe = (1/2)(0) + (1/2)(1) = 1/2, kappa = 0
    assert rows == [{"theme": "t2", "cells": 3, "agreement": pytest.approx(2 / 3), "kappa": pytest.approx(0.4)},
                    {"theme": "t1", "cells": 2, "agreement": 0.5, "kappa": 0.0}]
    assert list(reliability([]).columns) == ["theme", "cells", "agreement", "kappa"], "a book with no second coding yet"
