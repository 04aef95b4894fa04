"""The codebook's themes, the rule that tags passages with them, and how well it agrees with hand labels."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from handbook.problems import DataError, Problem, load_yaml, yaml_lines, yaml_problem

STRONG, WEAK = 2, 1


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    definition: str
    include: list[str]
    exclude: list[str]
    examples: list[str]
    strong: list[str]
    weak: list[str]
    passing: list[str]

    @staticmethod
    def _patterns(terms):
        return [(term, re.compile(rf"(?<!\w){term}(?!\w)", re.IGNORECASE)) for term in terms]

    def matches(self, text: str) -> list[tuple[str, int]]:
        """The codebook terms found in the text, each with its weight: the reason for a tag.

        Phrases listed as `passing` (a theme named only as a time marker or in a list) are set aside first.
        """
        for _, pattern in self._patterns(self.passing):
            text = pattern.sub(" ", text)
        found = [(term, STRONG) for term, pattern in self._patterns(self.strong) if pattern.search(text)]
        found += [(term, WEAK) for term, pattern in self._patterns(self.weak) if pattern.search(text)]
        return found


@dataclass(frozen=True)
class Codebook:
    threshold: int
    themes: dict[str, Theme]

    def tag(self, text: str) -> dict[str, list[str]]:
        """Themes whose terms score at least the threshold, each with the terms that gave it."""
        tags = {}
        for theme in self.themes.values():
            found = theme.matches(text)
            if sum(weight for _, weight in found) >= self.threshold:
                tags[theme.id] = [term for term, _ in found]
        return tags


TERM_KINDS = ("strong", "weak", "passing")
THEME_KEYS = ("label", "definition", "include", "exclude", "examples", "terms")


def load_codebook(path: Path) -> Codebook:
    text = path.read_text(encoding="utf-8")
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as error:
        raise DataError([yaml_problem(path, error)]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("themes"), dict) or not raw["themes"]:
        raise DataError([Problem(path, 1, "the codebook has no 'themes' mapping",
                                 "list the themes under a top-level 'themes:' key")])
    lines = yaml_lines(text)
    problems = []
    threshold = raw.get("threshold", 2)
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 1:
        problems.append(Problem(path, lines.get(("threshold",), 1), f"threshold {threshold!r} is not a whole number "
                                "of at least 1", "write e.g. 'threshold: 2'"))
    themes = {}
    for theme_id, spec in raw["themes"].items():
        where = ("themes", theme_id)
        spec = spec if isinstance(spec, dict) else {}
        missing = [key for key in ("label", "definition", "terms") if not spec.get(key)]
        if missing:
            problems.append(Problem(path, lines[where], f"theme '{theme_id}' lacks {', '.join(missing)}",
                                    "give every theme a label, a definition and terms"))
            continue
        unknown = [key for key in spec if key not in THEME_KEYS]
        terms = spec["terms"]
        unknown += [f"terms: {key}" for key in (terms if isinstance(terms, dict) else {}) if key not in TERM_KINDS]
        if unknown:
            problems.append(Problem(path, lines[where], f"theme '{theme_id}' has unknown key(s) {', '.join(map(str, unknown))}",
                                    "use only " + ", ".join(THEME_KEYS) + ", and under terms: " + ", ".join(TERM_KINDS)))
        if not isinstance(terms, dict) or not all(isinstance(terms.get(kind, []), list) for kind in TERM_KINDS):
            problems.append(Problem(path, lines[where + ("terms",)], f"the terms of theme '{theme_id}' are not lists",
                                    "write 'strong:', 'weak:' and 'passing:' under 'terms:', each a list of terms"))
            continue
        if not terms.get("strong") and not terms.get("weak"):
            problems.append(Problem(path, lines[where + ("terms",)], f"theme '{theme_id}' has no strong or weak terms",
                                    "list the terms that give a passage the theme"))
        for kind in TERM_KINDS:
            for index, term in enumerate(terms.get(kind, [])):
                line = lines[where + ("terms", kind, index)]
                if not isinstance(term, str) or not term.strip():
                    problems.append(Problem(path, line, f"term {term!r} of theme '{theme_id}' is not text",
                                            "put the term in double quotes"))
                    continue
                try:
                    re.compile(term)
                except re.error as error:
                    problems.append(Problem(path, line, f"term {term!r} of theme '{theme_id}' is not a valid pattern "
                                            f"({error})", "fix the regular expression"))
        examples = spec.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(example, str) for example in examples):
            problems.append(Problem(path, lines.get(where + ("examples",), lines[where]),
                                    f"the examples of theme '{theme_id}' are not a list of passage ids",
                                    "write e.g. 'examples: [mei-2024-3, uol-2020-12]'"))
            continue
        themes[theme_id] = Theme(theme_id, spec["label"], spec["definition"], spec.get("include", []),
                                 spec.get("exclude", []), examples,
                                 terms.get("strong", []), terms.get("weak", []), terms.get("passing", []))
    if problems:
        raise DataError(problems)
    return Codebook(threshold, themes)


LABEL_COLUMNS = ["passage_id", "themes"]


def load_labels(path: Path, codebook: Codebook) -> dict[str, set[str]]:
    """The hand-labelled sample: passage id -> themes a person assigned."""
    labels, problems = {}, []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != LABEL_COLUMNS:
            raise DataError([Problem(path, 1, f"the columns are {reader.fieldnames}",
                                     "use the header: " + ",".join(LABEL_COLUMNS))])
        for line, row in enumerate(reader, start=2):
            themes = {theme for theme in (row.get("themes") or "").split(";") if theme}
            unknown = themes - set(codebook.themes)
            if not row["passage_id"]:
                problems.append(Problem(path, line, "the row names no passage", "put a passage id in the first column"))
            if unknown:
                problems.append(Problem(path, line, f"unknown theme(s) {sorted(unknown)}",
                                        "use only the themes defined in data/codebook.yml"))
            if row["passage_id"] in labels:
                problems.append(Problem(path, line, f"passage '{row['passage_id']}' is labelled twice",
                                        "keep one row per passage"))
            labels[row["passage_id"]] = themes
    if problems:
        raise DataError(problems)
    return labels


def quality(predicted: dict[str, set[str]], labels: dict[str, set[str]], theme_ids) -> pd.DataFrame:
    """Precision, recall and F1 of the tagging rule per theme, on the hand-labelled passages."""
    rows = []
    for theme in theme_ids:
        true_positive = sum(1 for pid, gold in labels.items() if theme in gold and theme in predicted.get(pid, ()))
        predicted_count = sum(1 for pid in labels if theme in predicted.get(pid, ()))
        gold_count = sum(1 for gold in labels.values() if theme in gold)
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / gold_count if gold_count else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"theme": theme, "labelled": gold_count, "tagged": predicted_count,
                     "agreed": true_positive, "precision": precision, "recall": recall, "f1": f1})
    return pd.DataFrame(rows)
