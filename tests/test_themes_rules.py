"""The dictionary's scoring rule on sentences written here, and what the codebook and label loaders tell an
editor (the whole message and the fix). tests/test_malformed.py checks each loader rule's line and message;
tests/test_themes.py the tagging of the real corpus and quality() by hand."""

from __future__ import annotations

import re

import pytest

from handbook.problems import DataError
from handbook import themes
from handbook.corpus import load_corpus
from handbook.passages import passages_frame
from handbook.themes import Codebook, Theme, load_codebook, load_labels, quality


def theme(theme_id="china", strong=(), weak=(), other_senses=()):
    return Theme(theme_id, theme_id.title(), "Ties.", ["Include when."], [], [], list(strong), list(weak),
                 list(other_senses))


def codebook(*themes, threshold=2):
    return Codebook(threshold, {t.id: t for t in themes})


CHINA = theme(strong=["cpec", "china"], weak=["beijing", "xi"], other_senses=["china clay"])
BOOK = codebook(CHINA, theme("india", strong=["india"], weak=["kashmir"]))


@pytest.mark.parametrize("text, score", [
    ("CPEC matters.", [("cpec", 2)]),  # a strong term: 2 points, case aside
    ("Beijing and Xi agree.", [("beijing", 1), ("xi", 1)]),  # each weak term: 1
    ("Beijing, and again Beijing.", [("beijing", 1)]),  # a term once however often it occurs
    ("Antichina, Beijinger and Xian.", []),  # only whole words
    ("The china clay trade.", []),  # the term in another sense
    ("Following the U.S. withdrawal from China, Washington paid less attention.", []),  # a time marker
    ("A scholar with the China Studies Centre.", []),  # an institution's name
    ("Ties with Iran, Afghanistan, China and all SAARC countries.", [("china (listed)", 1)]),  # a bare list item
    ("CPEC and china: both.", [("cpec", 2), ("china", 2)]),
])
def test_the_dictionary_scores_terms_as_the_codebook_says(text, score):
    assert BOOK.score(text)["china"] == score


@pytest.mark.parametrize("text, tags", [
    ("CPEC matters.", {"china": ["cpec"]}),  # 2 points reach a threshold of 2
    ("Beijing matters.", {}),  # 1 point does not
    ("Beijing and Xi agree.", {"china": ["beijing", "xi"]}),  # two weak terms do
    ("India and Kashmir; CPEC too.", {"china": ["cpec"], "india": ["india", "kashmir"]}),
    ("Nothing here.", {}),
])
def test_a_theme_is_tagged_when_its_points_reach_the_threshold(text, tags):
    assert BOOK.tag(text) == tags


def test_the_threshold_is_the_codebooks():
    strict = codebook(CHINA, threshold=3)
    assert strict.tag("CPEC matters.") == {} and strict.tag("CPEC and Beijing.") == {"china": ["cpec", "beijing"]}


def test_scores_are_remembered_per_text():
    book = codebook(CHINA)
    first = book.score("CPEC matters.")
    assert book.score("CPEC matters.") is first and book.score("Beijing.") == {"china": [("beijing", 1)]}


def test_occurrences_list_the_words_found_and_count_unused_terms():
    assert CHINA.occurrences(["cpec", "chin(a|ese)", "kabul"], ["CPEC and Chinese firms", "china"]) == (
        ["cpec", "chinese", "china"], 1)


# Terms are matched on lower-cased text where that finds what ignoring case finds; these are the texts
# and terms where it would not: letters outside ASCII with a case (the Kelvin sign matches "k" ignoring
# case; "İ" lower-cases to two characters), capitals, escapes and inline flags in a term.
@pytest.mark.parametrize("term, text", [
    ("kabul", "\u212aabul talks"), ("istanbul", "The \u0130stanbul process"), ("saarc", "The SAARC summit"),
    ("SAARC", "the saarc summit"), (r"\x4babul", "Kabul talks"), ("(?-i:Kabul)", "kabul and Kabul"),
    ("cpec", "CPEC \u2014 the corridor\u2019s first phase"), ("china", "Chin\u00e9 and China"),
])
def test_terms_are_found_as_ignoring_case_finds_them(term, text):
    expected = [match.group(0).lower() for match in re.finditer(rf"(?<!\w){term}(?!\w)", text, re.IGNORECASE)]
    assert CHINA.occurrences([term], [text]) == (list(dict.fromkeys(expected)), 0 if expected else 1)
    scored = codebook(theme(strong=[term])).score(text)["china"]
    assert scored == ([(expected[0], 2)] if expected else [])


# Scoring looks for enumerations only between list breaks near a term's match. Searched near every
# position, those stretches must give what searching the whole text gives, on every passage of the corpus
# and on texts where a break, a full stop or the words that open examples sit beside a list.
EDGES = ["(Iran, Afghanistan, China and all SAARC countries)", "U.S., China, India, and Iran.",
         "Ties: Iran, China, and India. Then Kabul, Delhi or Beijing", "aid—such as loans, grants, or trade",
         "Iran,China;India or U.S.A."]


def test_lists_are_found_between_breaks_as_in_the_whole_text():
    texts = list(passages_frame(load_corpus().briefs)["text"]) + EDGES
    assert len(texts) > 100
    for text in texts:
        whole = [match.span() for pattern in themes._LISTS for match in pattern.finditer(text)]
        assert themes._list_spans(text, list(range(len(text)))) == whole, text
    assert themes._list_spans(EDGES[0], [0]) == [] and themes._list_spans(EDGES[0], [1]) != []


def test_a_themes_description_is_its_label_definition_and_rules():
    assert CHINA.description == "China Ties. Include when."


# -- quality on a second hand-made example ---------------------------------------------------------------

def test_quality_counts_only_labelled_passages_and_bounds_every_figure():
    labels = {"p1": {"a"}, "p2": {"a"}, "p3": {"a"}, "p4": set()}
    predicted = {"p1": {"a"}, "p4": {"a"}, "p5": {"a"}}
    [row] = quality(predicted, labels, ["a"]).to_dict("records")
    # tagged among labelled: p1 p4 (2), labelled a: p1 p2 p3 (3), both: p1 -> P 1/2, R 1/3, F1 = 2/5
    assert (row["labelled"], row["tagged"], row["agreed"]) == (3, 2, 1)
    assert (row["precision"], row["recall"], row["f1"]) == pytest.approx((0.5, 1 / 3, 0.4))
    [perfect] = quality({"p1": {"a"}}, {"p1": {"a"}, "p2": set()}, ["a"]).to_dict("records")
    assert (perfect["precision"], perfect["recall"], perfect["f1"]) == (1.0, 1.0, 1.0)
    [missed] = quality({}, {"p1": {"a"}}, ["a"]).to_dict("records")
    assert (missed["tagged"], missed["precision"], missed["recall"], missed["f1"]) == (0, 0.0, 0.0, 0.0)


# -- what the loaders say -----------------------------------------------------------------------------

CODEBOOK = """threshold: 2
themes:
  china:
    label: China
    definition: Ties with China.
    include: [Code it.]
    exclude: [Not this.]
    examples: [mei-2024-3]
    terms:
      strong: [cpec, "china"]
      weak: [beijing]
      other_senses: [china clay]
"""


def refused(tmp_path, old: str, new: str) -> list[str]:
    assert old in CODEBOOK, old
    path = tmp_path / "codebook.yml"
    path.write_text(CODEBOOK.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_codebook(path)
    assert str(caught.value) == "\n".join(map(str, caught.value.problems))
    return [str(problem).removeprefix(f"{path}:") for problem in caught.value.problems]


def test_a_good_codebook_is_read_as_written(tmp_path):
    (tmp_path / "codebook.yml").write_text(CODEBOOK.replace("threshold: 2", "threshold: 3"), encoding="utf-8")
    book = load_codebook(tmp_path / "codebook.yml")
    assert book.threshold == 3
    assert book.themes == {"china": Theme("china", "China", "Ties with China.", ["Code it."], ["Not this."],
                                          ["mei-2024-3"], ["cpec", "china"], ["beijing"], ["china clay"])}
    (tmp_path / "codebook.yml").write_text(CODEBOOK.replace("threshold: 2\n", "").split("    terms:")[0],
                                           encoding="utf-8")
    bare = load_codebook(tmp_path / "codebook.yml")
    assert bare.threshold == 2 and (bare.themes["china"].strong, bare.themes["china"].weak) == ([], [])


@pytest.mark.parametrize("old, new, expected", [
    ("threshold: 2", "threshold: true", "1: threshold True is not a whole number of at least 1. "
                                        "To fix: write e.g. 'threshold: 2'."),
    ("threshold: 2", "threshold: 1.5", "1: threshold 1.5 is not a whole number of at least 1. "
                                       "To fix: write e.g. 'threshold: 2'."),
    ("    label: China\n", "", "3: theme 'china' lacks label. To fix: give every theme a label and a definition."),
    ("    label: China\n    definition: Ties with China.\n", "",
     "3: theme 'china' lacks label, definition. To fix: give every theme a label and a definition."),
    ("other_senses: [china clay]", "passing: [in passing]",
     "12: theme 'china' lists 'passing' phrases. To fix: drop them: mentions in passing are discounted by general "
     "rules; list under 'other_senses' only phrases where a term means something else."),
    ("    label: China\n", "    label: China\n    colour: red\n    size: 2\n",
     "3: theme 'china' has unknown key(s) colour, size. To fix: use only label, definition, include, exclude, "
     "examples, terms, and under terms: strong, weak, other_senses."),
    ("    terms:\n      strong: [cpec, \"china\"]", "    terms:\n      strong: cpec",
     "9: the terms of theme 'china' are not lists. To fix: write 'strong:', 'weak:' and 'other_senses:' under "
     "'terms:', each a list of terms."),
    ("weak: [beijing]", "other: []",
     "3: theme 'china' has unknown key(s) terms: other. To fix: use only label, definition, include, exclude, "
     "examples, terms, and under terms: strong, weak, other_senses."),
    ('strong: [cpec, "china"]\n      weak: [beijing]', "strong: []",
     "9: theme 'china' has no strong or weak terms. To fix: list the terms that give a passage the theme, or drop "
     "'terms' to tag it by a model fitted on the hand labels."),
    ("weak: [beijing]", "weak: [beijing, '  ']", "11: term '  ' of theme 'china' is not text. "
                                                  "To fix: put the term in double quotes."),
    ("weak: [beijing]", "weak: ['[bei']", "11: term '[bei' of theme 'china' is not a valid pattern (unterminated "
                                          "character set at position 0). To fix: fix the regular expression."),
    ("examples: [mei-2024-3]", "examples: [mei-2024-3, 4]", "8: the examples of theme 'china' are not a list of "
                                                            "passage ids. To fix: write e.g. 'examples: "
                                                            "[mei-2024-3, uol-2020-12]'."),
])
def test_each_codebook_problem_says_what_to_do(old, new, expected, tmp_path):
    assert refused(tmp_path, old, new) == [expected]


def test_a_codebook_without_themes_says_how_to_list_them(tmp_path):
    assert refused(tmp_path, CODEBOOK.split("themes:")[1], " {}\n") == [
        "1: the codebook has no 'themes' mapping. To fix: list the themes under a top-level 'themes:' key."]


def test_each_label_problem_says_what_to_do(tmp_path):
    (tmp_path / "codebook.yml").write_text(CODEBOOK, encoding="utf-8")
    book = load_codebook(tmp_path / "codebook.yml")
    path = tmp_path / "labels.csv"
    path.write_text("passage_id,themes\n,china\nmei-2024-1,china;tea;jam\nmei-2024-1,\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_labels(path, book)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2: the row names no passage. To fix: put a passage id in the first column.",
        f"{path}:3: unknown theme(s) ['jam', 'tea']. To fix: use only the themes defined in data/codebook.yml.",
        f"{path}:4: passage 'mei-2024-1' is labelled twice. To fix: keep one row per passage."]
    path.write_text("passage,themes\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_labels(path, book)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1: the columns are ['passage', 'themes']. To fix: use the header: passage_id,themes."]


def test_labels_are_read_as_sets_of_themes(tmp_path):
    (tmp_path / "codebook.yml").write_text(CODEBOOK, encoding="utf-8")
    path = tmp_path / "labels.csv"
    path.write_text("passage_id,themes\nmei-2024-1,china\nmei-2024-2,\n", encoding="utf-8")
    assert load_labels(path, load_codebook(tmp_path / "codebook.yml")) == {"mei-2024-1": {"china"}, "mei-2024-2": set()}
