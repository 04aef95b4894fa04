"""How a problem in data/ reads, and the YAML reading every loader shares: a key given twice is refused,
and every line a message names is the line an editor must open."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handbook.problems import DataError, Problem, load_yaml, load_yaml_lines, yaml_lines, yaml_problem


def test_a_problem_reads_file_line_message_and_fix():
    assert str(Problem(Path("data/x.yml"), 3, "it is wrong", "do this")) == "data/x.yml:3: it is wrong. To fix: do this."
    assert str(Problem(Path("data/x.yml"), None, "it is wrong", "do this")) == "data/x.yml: it is wrong. To fix: do this."


def test_a_data_error_carries_and_prints_every_problem():
    problems = [Problem(Path("a"), 1, "one", "fix one"), Problem(Path("b"), None, "two", "fix two")]
    error = DataError(problems)
    assert error.problems == problems
    assert str(error) == "a:1: one. To fix: fix one.\nb: two. To fix: fix two."


@pytest.mark.parametrize("load", [load_yaml, load_yaml_lines])
def test_a_key_given_twice_is_refused_at_the_second(load):
    with pytest.raises(yaml.YAMLError) as caught:
        load("a: 1\nb:\n  c: 2\n  c: 3\n")
    problem = yaml_problem(Path("f.yml"), caught.value)
    assert str(problem) == ("f.yml:4: not valid YAML: duplicate key 'c'. "
                            "To fix: check quotes, colons and indentation; give each key only once.")


def test_yaml_errors_name_the_line_of_the_file_or_of_the_document_inside_it():
    with pytest.raises(yaml.YAMLError) as caught:
        load_yaml('a: 1\nb: "open\n')
    assert yaml_problem(Path("f.yml"), caught.value).line == 3
    assert yaml_problem(Path("f.md"), caught.value, line_offset=2).line == 4  # front matter starts on line 2
    assert yaml_problem(Path("f.yml"), caught.value).message.startswith("not valid YAML: ")


def test_a_yaml_error_without_a_place_has_no_line():
    problem = yaml_problem(Path("f.yml"), yaml.YAMLError("something\nmore"))
    assert (problem.line, problem.message) == (None, "not valid YAML: something")


def test_located_mappings_know_their_lines_and_each_keys_line():
    data = load_yaml_lines("# c\ntop:\n  a: 1\n\n  b:\n    - x: 1\n      y: 2\n")
    assert data.line == 2 and data["top"].line == 3
    assert (data["top"].line_of("a"), data["top"].line_of("b"), data["top"].line_of("zz")) == (3, 5, 3)
    item = data["top"]["b"][0]
    assert (item.line, item.line_of("y")) == (6, 7)
    assert data == {"top": {"a": 1, "b": [{"x": 1, "y": 2}]}}


def test_yaml_lines_gives_the_line_of_every_key_and_item():
    lines = yaml_lines("themes:\n  china:\n    terms:\n      - a\n\n      - b\n")
    assert lines == {("themes",): 1, ("themes", "china"): 2, ("themes", "china", "terms"): 3,
                     ("themes", "china", "terms", 0): 4, ("themes", "china", "terms", 1): 6}


def test_an_impossible_date_stays_text_and_a_real_one_is_a_date():
    import datetime as dt

    assert load_yaml("d: 2025-02-30\ne: 2025-02-28\n") == {"d": "2025-02-30", "e": dt.date(2025, 2, 28)}
    assert load_yaml_lines("d: 2025-13-01\n") == {"d": "2025-13-01"}
