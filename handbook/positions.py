"""Key questions per theme and each brief's coded position on them, from data/positions/<theme>.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handbook.problems import DataError, Problem, load_yaml, yaml_problem

NOT_ADDRESSED = "not-addressed"
NOT_CODED = "not coded yet"


@dataclass(frozen=True)
class Position:
    brief_id: str
    code: str
    passage_id: str = ""
    quote: str = ""


@dataclass
class Question:
    id: str
    theme: str
    text: str
    codes: dict[str, str]
    positions: dict[str, Position] = field(default_factory=dict)
    line: int | None = None

    def label(self, code: str) -> str:
        if code == NOT_ADDRESSED:
            return "does not address the question"
        return self.codes.get(code, code)


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    return None


def load_questions(path: Path) -> list[Question]:
    text = path.read_text(encoding="utf-8")
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as error:
        raise DataError([yaml_problem(path, error)]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
        raise DataError([Problem(path, 1, "no 'questions' list", "see data/positions/china.yml for the layout")])
    theme = raw.get("theme") or path.stem
    questions, problems = [], []
    for spec in raw["questions"]:
        if not isinstance(spec, dict) or not all(spec.get(key) for key in ("id", "question", "codes")):
            problems.append(Problem(path, None, "a question lacks 'id', 'question' or 'codes'",
                                    "give each question an id, its text and its position codes"))
            continue
        question = Question(spec["id"], theme, spec["question"], dict(spec["codes"]),
                            line=_line_of(text, f"id: {spec['id']}"))
        for brief_id, entry in (spec.get("positions") or {}).items():
            entry = entry or {}
            question.positions[brief_id] = Position(brief_id, str(entry.get("code", "")),
                                                    str(entry.get("passage") or ""), str(entry.get("quote") or ""))
        questions.append(question)
    if problems:
        raise DataError(problems)
    return questions


def validate(questions: list[Question], passages: dict[str, str], brief_ids: set[str], path_of) -> list[Problem]:
    """Every position names a known brief, a defined code and a passage whose words contain the quote."""
    from handbook.passages import quote_in_passage

    problems = []
    seen = {}
    for question in questions:
        path = path_of(question)
        if question.id in seen:
            problems.append(Problem(path, question.line, f"question id '{question.id}' is used twice",
                                    "give each question its own id"))
        seen[question.id] = path
        for brief_id, position in question.positions.items():
            where = f"question '{question.id}', brief '{brief_id}'"
            line = question.line
            if brief_id not in brief_ids:
                problems.append(Problem(path, line, f"{where}: no brief has this id",
                                        "use the id of a file in data/briefs/"))
            if position.code != NOT_ADDRESSED and position.code not in question.codes:
                problems.append(Problem(path, line, f"{where}: unknown code '{position.code}'",
                                        "use one of: " + ", ".join([*question.codes, NOT_ADDRESSED])))
            if position.code == NOT_ADDRESSED:
                continue
            if position.passage_id not in passages:
                problems.append(Problem(path, line, f"{where}: passage '{position.passage_id}' does not exist",
                                        "use a passage id shown in the sources appendix or by 'python -m handbook passages'"))
            elif not position.quote or not quote_in_passage(position.quote, passages[position.passage_id]):
                problems.append(Problem(path, line, f"{where}: the quote is not in passage '{position.passage_id}'",
                                        "copy the quote exactly from the passage; mark cuts with ' … '"))
    return problems
