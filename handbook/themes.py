"""The codebook's themes, the methods that tag passages with them, and how well each agrees with hand labels.

Three ways of tagging are measured side by side, per theme:

- the **dictionary**: the codebook's terms, scored by general rules that discount a term named only in
  passing (in a list, as a time marker, in an institution's name or in another sense); nothing in it is
  learnt from the labels;
- the **model**: a logistic regression per theme on the passage's words (TF-IDF), fitted on the labels;
- the **hybrid**: the same regression given the dictionary's points for every theme as well.

Each is scored on the hand labels in sample (fitted on all labelled passages) and leave-one-brief-out
(fitted without a brief, scored on that brief), and each theme is tagged by whichever method scores the
higher out-of-sample F1. Either way a tag carries its reasons: the terms found, or the words that weighed
most for it. A theme needs only a definition and hand labels to be tagged; terms help, but the model
learns from the labels.
"""

from __future__ import annotations

import bisect
import csv
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from handbook import build_cache
from handbook.problems import DataError, Problem, load_yaml, yaml_lines, yaml_problem

STRONG, WEAK = 2, 1
DICTIONARY, HYBRID, MODEL = "dictionary", "hybrid", "model"
METHODS = (DICTIONARY, HYBRID, MODEL)  # in order of preference when they score the same

# A word, allowing inner dots ("U.S"), apostrophes and hyphens, but not a sentence's full stop.
_WORD = r"\w(?:[\w'’&-]|\.(?=\w))*"
_ITEM = rf"{_WORD}(?: {_WORD}){{0,4}}"
_FIRST = rf"{_WORD}(?: {_WORD})?"
# A term that makes up a whole item of an enumeration, a bare name or attribute in a list ("Iran,
# Afghanistan, China and all SAARC countries"; "political, security, and economic ties"), says nothing
# about the theme. An enumeration: three or more items with at least two separators before the final
# "and"/"or", or examples after "such as"/"including". An item starts where a word does: tried from
# inside a word as well, a pattern is quadratic in the word's length (seconds for a word of 10,000
# characters), and finds nothing a try from the word's start would not find first.
_LISTS = [
    re.compile(rf"(?<!\w){_FIRST}(?:\s*[,;]\s*{_ITEM}){{2,}}\s*[,;]?\s+(?:and|or)\s+{_ITEM}"),
    re.compile(rf"(?<!\w){_FIRST}\s*[,;]\s*{_ITEM}\s*[,;]\s+(?:and|or)\s+{_ITEM}"),
    re.compile(rf"\b(?:such as|including)\s+{_ITEM}(?:\s*,\s*{_ITEM})*\s*,?\s+(?:and|or)\s+{_ITEM}"),
]
_SEPARATOR = re.compile(r"\s*[,;]\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|^(?:such as|including)\s+")
# An event used to date something ("Following the U.S. withdrawal from Afghanistan, ...") is a time
# marker, not the passage's subject.
_TIME_MARKER = re.compile(
    rf"\b(?:after|following|since|before|until|prior to|in the wake of|in the aftermath of)\s+the\s+"
    rf"(?:{_WORD}\.?\s+){{0,3}}?(?:withdrawal|war|invasion|exit|departure|fall|takeover|end)\s+(?:from|in|of)\s+"
    rf"(?:{_WORD}\.?\s+){{0,2}}?{_WORD}(?:\s+in\s+\d{{4}})?", re.IGNORECASE)
# A place in the name of an institution or programme ("MEI's Afghanistan and Pakistan Program", "the
# Wilson Center") says where it works, not what a passage is about.
_INSTITUTION = re.compile(r"(?:\b[A-Z][\w'’.-]*\s+(?:(?:and|of|for|on)\s+)?)+"
                          r"(?:Program(?:me)?|Cent(?:er|re)|Institute|Studies|Initiative|Foundation)\b")


# Ignoring case makes Python's re several times slower: it cannot scan for a pattern's literal text.
# So a pattern without capitals, escaped characters or inline flags is matched, case-sensitively, on the
# text in lower case, wherever that finds exactly the same matches: where every letter of the text
# outside ASCII is one without case (a curly quote, a dash), lower-casing keeps every character where
# it was, and ignoring case compares the letters exactly as lower-casing them does.
_NOT_FOLDABLE = re.compile(r"[A-Z]|\\[xuUN0-9]|\(\?[a-zA-Z-]")


@lru_cache(maxsize=None)
def _compiled(source: str, folded: bool) -> re.Pattern | None:
    """The pattern to match on the lower-cased text (None if there is none), or ignoring case on the text."""
    if folded:
        return None if _NOT_FOLDABLE.search(source) else re.compile(source)
    return re.compile(source, re.IGNORECASE)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _folded(text: str) -> str | None:
    """The text in lower case, or None if a letter outside ASCII has a case."""
    if text.isascii() or all(ch.lower() == ch == ch.upper() for ch in _NON_ASCII.findall(text)):
        return text.lower()
    return None


@dataclass(frozen=True)
class _Text:
    """A text and its lower-cased copy, to find a pattern in ignoring case."""

    text: str
    folded: str | None

    @staticmethod
    @lru_cache(maxsize=65536)  # the codebook's table looks at every passage for every list of terms
    def of(text: str) -> _Text:
        return _Text(text, _folded(text))

    def search(self, source: str) -> re.Match | None:
        if self.folded is not None and (pattern := _compiled(source, True)) is not None:
            return pattern.search(self.folded)
        return _compiled(source, False).search(self.text)

    def finditer(self, source: str):
        if self.folded is not None and (pattern := _compiled(source, True)) is not None:
            return pattern.finditer(self.folded)
        return _compiled(source, False).finditer(self.text)

    def matches(self, term: str):
        """The term's matches on word boundaries. The term alone, without the boundaries, is looked for
        first, much faster: a text without it holds no match on word boundaries either."""
        return self.finditer(_pattern(term)) if self.search(term) else ()

    def blank(self, term: str) -> _Text:
        """The text with the term's matches blanked out, keeping every other character where it was."""
        spans = [match.span() for match in self.matches(term)]
        if not spans:
            return self
        return _Text(_blank_spans(self.text, spans), None if self.folded is None else _blank_spans(self.folded, spans))


def _blank_spans(text: str, spans) -> str:
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], " " * (end - start)]
        last = end
    return "".join(parts) + text[last:]


@lru_cache(maxsize=None)
def _pattern(term: str) -> str:
    """The term on word boundaries."""
    return rf"(?<!\w){term}(?!\w)"


@lru_cache(maxsize=None)
def _any_term(terms: tuple[str, ...]) -> str:
    """Matches where one of the terms' patterns would: a text it does not match holds none of them."""
    return r"(?<!\w)(?:" + "|".join(f"(?:{term})" for term in terms) + r")(?!\w)"


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    definition: str
    include: list[str]
    exclude: list[str]
    examples: list[str]
    strong: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    other_senses: list[str] = field(default_factory=list)

    @property
    def in_text(self) -> str:
        """The label as it reads inside a sentence: "on the China balance", "on Afghanistan"."""
        return "the " + self.label[4:] if self.label.startswith("The ") else self.label

    @property
    def description(self) -> str:
        """What a coder reads: the definition and the rules for what counts."""
        return " ".join([self.label, self.definition, *self.include])

    def occurrences(self, terms: list[str], texts) -> tuple[list[str], int]:
        """The words the terms match in the texts (lower case, in order of first use), and how many terms
        the texts never use: the codebook readable without regular expressions."""
        words, unused = [], 0
        if terms:
            texts = [text for text in map(_Text.of, texts) if text.search(_any_term(tuple(terms)))]
        for term in terms:
            found = [match.group(0).lower() for text in texts for match in text.matches(term)]
            words += found
            unused += not found
        return list(dict.fromkeys(words)), unused


def _blank(pattern: re.Pattern, text: str) -> str:
    """The text with the pattern's matches blanked out, keeping every other character where it was."""
    return _blank_spans(text, (match.span() for match in pattern.finditer(text)))


# No enumeration holds one of these characters, nor a full stop: a text's enumerations lie between them.
_LIST_BREAK = re.compile(r"[^\w\s'’&.,;-]|\.(?!\w)")


def _may_list(stretch: str) -> bool:
    """What every pattern of _LISTS needs: two separators, or the words that introduce examples."""
    return stretch.count(",") + stretch.count(";") >= 2 or "such as" in stretch or "including" in stretch


def _list_spans(text: str, near: list[int]) -> list[tuple[int, int]]:
    """The enumerations in the stretches between list breaks that hold one of the positions `near`.

    The search is the larger part of scoring a passage, and only an enumeration holding a term's
    match can change a score. Each stretch is searched as the whole text would be: a stretch starts
    where the whole text's lookbehind sees, and ends at a character no enumeration ends beside."""
    breaks = [match.start() for match in _LIST_BREAK.finditer(text)]
    stretches = set()
    for position in near:
        at = bisect.bisect_left(breaks, position)
        if at < len(breaks) and breaks[at] == position:
            continue  # a list break is in no enumeration
        start, end = breaks[at - 1] + 1 if at else 0, breaks[at] if at < len(breaks) else len(text)
        if (start, end) not in stretches and _may_list(text[start:end]):
            stretches.add((start, end))
    stretches = sorted(stretches)
    spans = []
    for pattern in _LISTS:
        spans += [match.span() for start, end in stretches for match in pattern.finditer(text, start, end)]
    return spans


def _items(text: str, span: tuple[int, int]) -> list[tuple[int, int, bool]]:
    """The items of an enumeration: start, end, and whether it is the first (whose start the pattern
    cannot tell from the words of the sentence that introduces the list)."""
    items, start = [], span[0]
    for separator in _SEPARATOR.finditer(text, span[0], span[1]):
        if separator.start() > start:
            items.append((start, separator.start(), not items))
        start = separator.end()
    items.append((start, span[1], not items))
    return items


def _is_whole_item(text: str, item: tuple[int, int, bool], match: re.Match) -> bool:
    start, end, first = item
    return (start <= match.start() and match.end() <= end and not text[match.end():end].strip()
            and (first or not text[start:match.start()].strip()))


@dataclass(frozen=True)
class Codebook:
    threshold: int
    themes: dict[str, Theme]
    # Scoring is pure and the same passages are scored for every fold of every evaluation.
    _scores: dict = field(default_factory=dict, compare=False, repr=False)

    def score(self, text: str) -> dict[str, list[tuple[str, int]]]:
        """For each theme, the terms found in the text with the points each scores: the reason for a tag.

        A term scores 2 (strong) or 1 (weak), once however often it occurs. A list item that is nothing
        but a theme's term scores 1, once per item. A term in a time marker, in an institution's name or
        in one of the theme's other senses scores nothing.
        """
        if text not in self._scores:
            self._scores[text] = self._score(text)
        return self._scores[text]

    def _score(self, text: str) -> dict[str, list[tuple[str, int]]]:
        text = _blank(_INSTITUTION, _blank(_TIME_MARKER, text))
        whole = _Text.of(text)
        themes = {}
        for theme in self.themes.values():
            terms = tuple(theme.strong + theme.weak)
            if not terms or not whole.search(_any_term(terms)):
                themes[theme.id] = whole, []  # most passages carry one theme or two: the others end here
                continue
            own = whole
            for phrase in theme.other_senses:
                own = own.blank(phrase)
            themes[theme.id] = own, [(term, weight, match)
                                     for term, weight in [(t, STRONG) for t in theme.strong] + [(t, WEAK) for t in theme.weak]
                                     for match in own.matches(term)]
        near = sorted({match.start() for _, matches in themes.values() for _, _, match in matches})
        items = [item for span in _list_spans(text, near) for item in _items(text, span)]
        found = {}
        for theme_id, (own, matches) in themes.items():
            bare = [item for item in items if any(_is_whole_item(own.text, item, match) for _, _, match in matches)]
            free, listed = {}, {}
            for term, weight, match in matches:
                item = next((item for item in bare if item[0] <= match.start() < item[1]), None)
                if item is None:
                    free.setdefault(term, (match.group(0).lower(), weight))
                else:
                    listed.setdefault(item, match.group(0).lower())
            found[theme_id] = list(free.values()) + [(f"{word} (listed)", WEAK) for word in listed.values()]
        return found

    def tag(self, text: str) -> dict[str, list[str]]:
        """Themes whose terms score at least the threshold, each with the terms that gave it."""
        return {theme: [word for word, _ in terms] for theme, terms in self.score(text).items()
                if sum(points for _, points in terms) >= self.threshold}


TERM_KINDS = ("strong", "weak", "other_senses")
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
        missing = [key for key in ("label", "definition") if not spec.get(key)]
        if missing:
            problems.append(Problem(path, lines[where], f"theme '{theme_id}' lacks {', '.join(missing)}",
                                    "give every theme a label and a definition"))
            continue
        unknown = [key for key in spec if key not in THEME_KEYS]
        terms = spec.get("terms") or {}
        if isinstance(terms, dict) and "passing" in terms:
            problems.append(Problem(path, lines[where + ("terms", "passing")], f"theme '{theme_id}' lists 'passing' phrases",
                                    "drop them: mentions in passing are discounted by general rules; "
                                    "list under 'other_senses' only phrases where a term means something else"))
        unknown += [f"terms: {key}" for key in (terms if isinstance(terms, dict) else {})
                    if key not in TERM_KINDS and key != "passing"]
        if unknown:
            problems.append(Problem(path, lines[where], f"theme '{theme_id}' has unknown key(s) {', '.join(map(str, unknown))}",
                                    "use only " + ", ".join(THEME_KEYS) + ", and under terms: " + ", ".join(TERM_KINDS)))
        if not isinstance(terms, dict) or not all(isinstance(terms.get(kind, []), list) for kind in TERM_KINDS):
            problems.append(Problem(path, lines[where + ("terms",)], f"the terms of theme '{theme_id}' are not lists",
                                    "write 'strong:', 'weak:' and 'other_senses:' under 'terms:', each a list of terms"))
            continue
        if "terms" in spec and not terms.get("strong") and not terms.get("weak"):
            problems.append(Problem(path, lines[where + ("terms",)], f"theme '{theme_id}' has no strong or weak terms",
                                    "list the terms that give a passage the theme, or drop 'terms' to tag it "
                                    "by a model fitted on the hand labels"))
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
                                 terms.get("strong", []), terms.get("weak", []), terms.get("other_senses", []))
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
    """Precision, recall and F1 of a tagging per theme, on the hand-labelled passages."""
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


# Tagging methods: fit(texts, labels) on hand-labelled passages, then tag(texts) -> [{theme: reasons}].


class DictionaryTagger:
    """The codebook's terms and rules."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook

    def fit(self, texts: list[str], labels: list[set[str]]) -> DictionaryTagger:
        return self

    def tag(self, texts: list[str]) -> list[dict[str, list[str]]]:
        return [self.codebook.tag(text) for text in texts]


class ModelTagger:
    """Per theme, a logistic regression on the passage's words (TF-IDF of words and word pairs), with
    the dictionary's points per theme as further features when `with_terms`. The reasons for a tag are
    the features that added most to the passage's score."""

    REASONS = 4

    def __init__(self, codebook: Codebook, with_terms: bool = False):
        self.codebook, self.with_terms = codebook, with_terms

    def _features(self, texts):
        from scipy.sparse import csr_matrix, hstack

        words = self.vectorizer.transform(texts)
        if not self.with_terms:
            return words.tocsr()
        points = [[sum(points for _, points in self.codebook.score(text)[theme]) for theme in self.codebook.themes]
                  for text in texts]
        return hstack([words, csr_matrix(np.array(points, dtype=float))]).tocsr()

    def fit(self, texts: list[str], labels: list[set[str]]) -> ModelTagger:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, stop_words="english")
        self.vectorizer.fit(texts)
        self.names = list(self.vectorizer.get_feature_names_out())
        if self.with_terms:
            self.names += [f"{theme.label} terms" for theme in self.codebook.themes.values()]
        features = self._features(texts)
        self.models = {}
        for theme in self.codebook.themes:
            target = np.array([theme in gold for gold in labels])
            if target.any() and not target.all():
                self.models[theme] = LogisticRegression(C=10, class_weight="balanced", solver="liblinear").fit(features, target)
        return self

    def tag(self, texts: list[str]) -> list[dict[str, list[str]]]:
        features = self._features(texts)
        tags = [{} for _ in texts]
        for theme, model in self.models.items():
            rows = np.flatnonzero(model.predict(features))
            # One product for all the rows tagged (row by row, it was most of a build's tagging time at
            # 200 briefs); each row's weights are then its slice of the product.
            weights = features[rows].multiply(model.coef_[0]).tocsr()
            for row, start, end in zip(rows, weights.indptr[:-1], weights.indptr[1:]):
                ranked = sorted(zip(weights.data[start:end], weights.indices[start:end]), reverse=True)[:self.REASONS]
                reasons = [self.names[column] for weight, column in ranked if weight > 0]
                if reasons:  # a passage of words the model never saw is not tagged on its intercept alone
                    tags[row][theme] = reasons
        return tags


TAGGERS = {
    DICTIONARY: DictionaryTagger,
    HYBRID: lambda codebook: ModelTagger(codebook, with_terms=True),
    MODEL: ModelTagger,
}


def leave_one_brief_out(make_tagger, texts: dict[str, str], brief_of: dict[str, str],
                        labels: dict[str, set[str]]) -> dict[str, set[str]]:
    """Each labelled passage's themes as tagged by a tagger fitted on the labelled passages of the other
    briefs: how the method meets a brief it has never seen. `make_tagger()` gives an unfitted tagger."""
    labelled = [pid for pid in texts if pid in labels]
    predicted = {}
    for held_out in dict.fromkeys(brief_of[pid] for pid in labelled):
        train = [pid for pid in labelled if brief_of[pid] != held_out]
        test = [pid for pid in labelled if brief_of[pid] == held_out]
        tagger = make_tagger().fit([texts[pid] for pid in train], [labels[pid] for pid in train])
        predicted.update(zip(test, (set(tag) for tag in tagger.tag([texts[pid] for pid in test]))))
    return predicted


@dataclass(frozen=True)
class Tagging:
    """The themes of every passage, why, and the evaluation that chose the method for each theme."""

    tags: dict[str, dict[str, list[str]]]  # passage id -> {theme: reasons}
    methods: dict[str, str]                 # theme -> the method that tags it
    # One row per theme and method: precision, recall and F1 in sample (_in) and leave-one-brief-out
    # (_out), and whether the method was chosen. Empty when fewer than two briefs are labelled.
    evaluation: pd.DataFrame


def evaluate(codebook: Codebook, texts: dict[str, str], brief_of: dict[str, str],
             labels: dict[str, set[str]]) -> tuple[pd.DataFrame, dict[str, object]]:
    """Every method fitted on all labelled passages, and scored in sample and leave-one-brief-out."""
    rows, fitted = [], {}
    labelled = [pid for pid in texts if pid in labels]
    for name, make in TAGGERS.items():
        fitted[name] = make(codebook).fit([texts[pid] for pid in labelled], [labels[pid] for pid in labelled])
        tagged = fitted[name].tag([texts[pid] for pid in labelled])
        in_sample = quality({pid: set(tag) for pid, tag in zip(labelled, tagged)}, labels, codebook.themes)
        out_of_sample = quality(leave_one_brief_out(lambda: make(codebook), texts, brief_of, labels),
                                labels, codebook.themes)
        for inside, outside in zip(in_sample.to_dict("records"), out_of_sample.to_dict("records")):
            rows.append({"theme": inside["theme"], "method": name, "labelled": inside["labelled"],
                         **{f"{key}_in": inside[key] for key in ("precision", "recall", "f1")},
                         **{f"{key}_out": outside[key] for key in ("precision", "recall", "f1")}})
    return pd.DataFrame(rows), fitted


def tag_passages(codebook: Codebook, texts: dict[str, str], brief_of: dict[str, str],
                 labels: dict[str, set[str]], cache: Path | None = None) -> Tagging:
    """Tag every passage, each theme by the method with the best leave-one-brief-out F1 (to two
    decimals; the simpler method when they tie). With fewer than two labelled briefs there is nothing
    to measure, and the dictionary tags.

    Deterministic; kept in `cache` (a folder) under a fingerprint of the inputs and of this code, since
    every page of the book asks for it and the evaluation fits dozens of models. The evaluation and the
    fitted methods read the labelled passages alone, and are kept under a fingerprint of those: a brief
    added without labels is tagged by the models fitted before.
    """
    labels = {pid: themes for pid, themes in labels.items() if pid in texts}
    code = [Path(__file__).read_text(encoding="utf-8"), build_cache.versions("scikit-learn"),
            codebook.threshold, [vars(theme) for theme in codebook.themes.values()]]
    labelled = [[pid, brief_of[pid], texts[pid], sorted(labels[pid])] for pid in texts if pid in labels]
    key = json.dumps([code, texts, brief_of, labelled], sort_keys=True)
    return build_cache.kept(cache, "tagging", key, lambda: _tag_passages(
        codebook, texts, brief_of, labels, lambda fit: build_cache.kept(cache, "taggers", json.dumps([code, labelled]), fit)))


def _tag_passages(codebook, texts, brief_of, labels, kept) -> Tagging:
    if len({brief_of[pid] for pid in labels}) < 2:
        tags = DictionaryTagger(codebook).tag(list(texts.values()))
        return Tagging(dict(zip(texts, tags)), dict.fromkeys(codebook.themes, DICTIONARY), pd.DataFrame())
    labelled = {pid: texts[pid] for pid in texts if pid in labels}
    evaluation, methods, fitted = kept(lambda: _chosen_methods(codebook, labelled, brief_of, labels))
    tags = {}
    for name, tagger in fitted.items():
        tagger.codebook = codebook  # the one whose scores are cached: a copy read back would score every passage again
        tags[name] = dict(zip(texts, tagger.tag(list(texts.values()))))
    chosen = {pid: {theme: tags[methods[theme]][pid][theme] for theme in codebook.themes
                    if theme in tags[methods[theme]][pid]} for pid in texts}
    return Tagging(chosen, methods, evaluation)


def _chosen_methods(codebook, labelled, brief_of, labels):
    """The evaluation, the method for each theme, and each chosen method fitted on every labelled passage."""
    evaluation, fitted = evaluate(codebook, labelled, brief_of, labels)
    scores = evaluation.set_index(["theme", "method"])["f1_out"].round(2)
    methods = {theme: max(METHODS, key=lambda method: (scores[theme, method], -METHODS.index(method)))
               for theme in codebook.themes}
    evaluation["chosen"] = [methods[theme] == method for theme, method in zip(evaluation["theme"], evaluation["method"])]
    return evaluation, methods, {name: fitted[name] for name in dict.fromkeys(methods.values())}
