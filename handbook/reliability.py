"""Agreement between the book's coding and an independent second coding of the same cells.

A cell is one brief on one key question. Each coder's value for a cell is its status, or, when coded,
the set of stances held (see Position.value). Where the coders disagreed, data/coding/resolutions.yml
records both values, the value the book settled on and why; agreement is computed on the values as
first coded, so settling a disagreement never raises it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from handbook.positions import Position, Question, check_quotes, load_coding
from handbook.problems import Problem, load_yaml_lines, yaml_problem

SECOND = Path("coding") / "second"
RESOLUTIONS = Path("coding") / "resolutions.yml"


@dataclass(frozen=True)
class Cell:
    theme: str
    question_id: str
    brief_id: str
    first: str  # the book's value as first coded
    second: str
    resolved: str = ""  # the value the book settled on, where the coders disagreed
    reason: str = ""
    second_note: str = ""

    @property
    def agrees(self) -> bool:
        return self.first == self.second


@dataclass(frozen=True)
class Resolution:
    question_id: str
    brief_id: str
    first: str
    second: str
    resolved: str
    reason: str
    line: int | None


def kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa; 1.0 when both coders used one and the same value throughout."""
    if len(set(first) | set(second)) == 1:
        return 1.0
    # Imported here: scikit-learn takes most of a second to import, and Sphinx imports this module on
    # every build (through handbook.corpus) while only pages that show agreement need it.
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(first, second))


def load_resolutions(path: Path) -> tuple[dict[tuple[str, str], Resolution], list[Problem]]:
    if not path.exists():
        return {}, []
    try:
        raw = load_yaml_lines(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        return {}, [yaml_problem(path, error)]
    items = raw.get("resolutions") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        return {}, [Problem(path, 1, "no 'resolutions' list", "list each settled disagreement under 'resolutions:'")]
    found, problems = {}, []
    for item in items:
        line = getattr(item, "line", None)
        keys = ("question", "brief", "first", "second", "resolved", "reason")
        if not isinstance(item, dict) or not all(str(item.get(key) or "").strip() for key in keys):
            problems.append(Problem(path, line, "a resolution lacks " + ", ".join(keys),
                                    "give question, brief, both coders' values, the value settled on and why"))
            continue
        key = (str(item["question"]), str(item["brief"]))
        if key in found:
            problems.append(Problem(path, line, f"cell {key[0]} / {key[1]} is resolved twice", "keep one entry"))
        found[key] = Resolution(*key, *(str(item[k]).strip() for k in keys[2:]), line)
    return found, problems


def second_coding(data: Path, questions: list[Question], passages: dict[str, str],
                  brief_ids: set[str]) -> tuple[list[Cell], list[Problem]]:
    """Every cell both coders coded, with both values; and the problems in the second coding."""
    by_theme: dict[str, dict[str, Question]] = {}
    for question in questions:
        by_theme.setdefault(question.theme, {})[question.id] = question
    resolutions, problems = load_resolutions(data / RESOLUTIONS)
    used = set()
    cells = []
    for path in sorted((data / SECOND).glob("*.yml")):
        scheme = by_theme.get(path.stem)
        if scheme is None:
            problems.append(Problem(path, 1, f"no key questions for theme '{path.stem}'",
                                    "name the file after a file of data/questions/"))
            continue
        coding, found = load_coding(path, scheme)
        problems.extend(found + check_quotes(path, coding, passages, brief_ids))
        for qid, positions in coding.items():
            for brief_id, second in positions.items():
                book: Position = scheme[qid].position(brief_id)
                resolution = resolutions.get((qid, brief_id))
                first = resolution.first if resolution else book.value
                if resolution:
                    used.add((qid, brief_id))
                    if resolution.second != second.value or resolution.resolved != book.value:
                        problems.append(Problem(data / RESOLUTIONS, resolution.line,
                                                f"cell {qid} / {brief_id}: the resolution does not match the codings "
                                                f"(second coding '{second.value}', book '{book.value}')",
                                                "record the second coder's value and the book's current value"))
                cells.append(Cell(path.stem, qid, brief_id, first, second.value,
                                  resolution.resolved if resolution else "", resolution.reason if resolution else "",
                                  second.note))
    for key, resolution in resolutions.items():
        if key not in used:
            problems.append(Problem(data / RESOLUTIONS, resolution.line,
                                    f"cell {key[0]} / {key[1]} is not in the second coding", "remove the entry"))
    return cells, problems


def reliability(cells: list[Cell]) -> pd.DataFrame:
    """Per theme: cells coded twice, share on which the coders agreed, Cohen's kappa (unrounded: the
    tables round them once, for display)."""
    rows = []
    for theme in dict.fromkeys(cell.theme for cell in cells):
        mine = [cell for cell in cells if cell.theme == theme]
        rows.append({"theme": theme, "cells": len(mine),
                     "agreement": sum(cell.agrees for cell in mine) / len(mine),
                     "kappa": kappa([c.first for c in mine], [c.second for c in mine])})
    return pd.DataFrame(rows, columns=["theme", "cells", "agreement", "kappa"])
