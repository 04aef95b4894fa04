"""The codebook's themes, the rule that tags passages with them, and how well it agrees with hand labels."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from handbook.problems import DataError, Problem, load_yaml, yaml_problem

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
        """The codebook terms found in the text, each as the words it matched there and with its weight:
        the reason for a tag, readable without knowing regular expressions.

        Phrases listed as `passing` (a theme named only as a time marker or in a list) are set aside first.
        """
        for _, pattern in self._patterns(self.passing):
            text = pattern.sub(" ", text)
        found = []
        for terms, weight in ((self.strong, STRONG), (self.weak, WEAK)):
            for _, pattern in self._patterns(terms):
                match = pattern.search(text)
                if match:
                    found.append((match.group(0), weight))
        return found

    def occurrences(self, terms: list[str], texts) -> list[str]:
        """Each term as the words it matches in the texts (lower case, in order of first use), or, for a
        term the texts never use, the term itself."""
        words = []
        for term, pattern in self._patterns(terms):
            found = [match.group(0).lower() for text in texts for match in pattern.finditer(text)]
            words += list(dict.fromkeys(found)) or [term]
        return list(dict.fromkeys(words))


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


def load_codebook(path: Path) -> Codebook:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DataError([yaml_problem(path, error)]) from None
    problems = []
    if not isinstance(raw, dict) or not isinstance(raw.get("themes"), dict):
        raise DataError([Problem(path, 1, "the codebook has no 'themes' mapping",
                                 "list the themes under a top-level 'themes:' key")])
    themes = {}
    for theme_id, spec in raw["themes"].items():
        missing = [key for key in ("label", "definition", "terms") if not (spec or {}).get(key)]
        if missing:
            problems.append(Problem(path, None, f"theme '{theme_id}' lacks {', '.join(missing)}",
                                    "give every theme a label, a definition and terms"))
            continue
        terms = spec["terms"]
        for term in terms.get("strong", []) + terms.get("weak", []) + terms.get("passing", []):
            if not isinstance(term, str):
                problems.append(Problem(path, None, f"term {term!r} of theme '{theme_id}' is not text",
                                        "put the term in double quotes"))
                continue
            try:
                re.compile(term)
            except re.error as error:
                problems.append(Problem(path, None, f"term {term!r} of theme '{theme_id}' is not a valid pattern ({error})",
                                        "fix the regular expression"))
        themes[theme_id] = Theme(theme_id, spec["label"], spec["definition"], spec.get("include", []),
                                 spec.get("exclude", []), spec.get("examples", []),
                                 terms.get("strong", []), terms.get("weak", []), terms.get("passing", []))
    if problems:
        raise DataError(problems)
    return Codebook(int(raw.get("threshold", 2)), themes)


def load_labels(path: Path, codebook: Codebook) -> dict[str, set[str]]:
    """The hand-labelled sample: passage id -> themes a person assigned."""
    labels, problems = {}, []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            themes = {theme for theme in (row.get("themes") or "").split(";") if theme}
            unknown = themes - set(codebook.themes)
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
