"""The codebook and the tagging: transparent, measured on briefs it has not seen, and reported as measured."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys

import pytest
from sklearn.metrics import precision_recall_fscore_support

from handbook import tables, themes
from handbook.themes import (DICTIONARY, TAGGERS, Codebook, ModelTagger, Theme, leave_one_brief_out, quality,
                             tag_passages)
from tests.conftest import ROOT

THEMES = {"afghanistan", "china", "india", "economics", "security"}


def test_codebook_defines_the_five_themes_with_rules_and_examples(corpus):
    assert THEMES <= set(corpus.codebook.themes)
    for theme in corpus.codebook.themes.values():
        assert theme.definition and theme.include and theme.exclude
        for passage_id in theme.examples:
            assert theme.id in corpus.passages.set_index("passage_id").at[passage_id, "themes"].split(";")


def test_hand_labels_cover_every_theme_in_several_briefs(corpus):
    brief_of = dict(zip(corpus.passages["passage_id"], corpus.passages["brief_id"]))
    assert len(corpus.labels) >= 100
    for theme in THEMES:
        briefs = {brief_of[pid] for pid, labels in corpus.labels.items() if theme in labels}
        assert sum(theme in labels for labels in corpus.labels.values()) >= 15 and len(briefs) >= 3, theme


# quality(): figures worked out by hand.

def test_quality_counts_precision_recall_and_f1_per_theme():
    labels = {"p1": {"tea"}, "p2": {"tea"}, "p3": set(), "p4": {"tea", "cake"}, "p5": {"cake"}, "p6": {"cake"},
              "p7": {"cake"}}
    predicted = {"p1": {"tea"}, "p3": {"tea"}, "p4": {"tea"}, "p5": {"cake"}, "p6": {"tea"}, "p9": {"cake"}}
    frame = quality(predicted, labels, ["tea", "cake", "jam"]).set_index("theme")
    # tea: tagged p1 p3 p4 p6, labelled p1 p2 p4, both p1 p4 -> P 2/4, R 2/3, F1 2*(1/2*2/3)/(1/2+2/3) = 4/7
    assert frame.loc["tea", ["labelled", "tagged", "agreed"]].tolist() == [3, 4, 2]
    assert frame.loc["tea", ["precision", "recall", "f1"]].tolist() == pytest.approx([0.5, 2 / 3, 4 / 7])
    # cake: labelled p4-p7, tagged p5 (p9 is not labelled, so it does not count) -> P 1, R 1/4, F1 2/5
    assert frame.loc["cake", ["labelled", "tagged", "agreed"]].tolist() == [4, 1, 1]
    assert frame.loc["cake", ["precision", "recall", "f1"]].tolist() == pytest.approx([1.0, 0.25, 0.4])
    # jam: never labelled, never tagged -> nothing to agree on
    assert frame.loc["jam", ["precision", "recall", "f1"]].tolist() == [0.0, 0.0, 0.0]


# Leave-one-brief-out, on a corpus small enough to know the answer.

class Lookup:
    """Tags a theme when a passage contains a word that, in training, occurred only in passages with it."""

    fitted_on: list[list[str]] = []

    def fit(self, texts, labels):
        Lookup.fitted_on.append(texts)
        words = {}
        for text, gold in zip(texts, labels):
            for word in text.split():
                words.setdefault(word, []).append(gold)
        self.words = {word: set.intersection(*golds) for word, golds in words.items()}
        return self

    def tag(self, texts):
        return [{theme: [word] for word in text.split() for theme in self.words.get(word, ())} for text in texts]


TEXTS = {"a-1": "tea please", "a-2": "toast please", "b-1": "tea now", "b-2": "toast now",
         "c-1": "coffee later", "c-2": "toast later"}
BRIEF_OF = {pid: pid.split("-")[0] for pid in TEXTS}
LABELS = {"a-1": {"drink"}, "a-2": set(), "b-1": {"drink"}, "b-2": set(), "c-1": {"drink"}, "c-2": set()}


def test_leave_one_brief_out_never_lets_a_brief_see_its_own_labels():
    Lookup.fitted_on = []
    predicted = leave_one_brief_out(Lookup, TEXTS, BRIEF_OF, LABELS)
    # 'tea' is learnt from a when b is held out and from b when a is; 'coffee' only ever occurs in c.
    assert predicted == {"a-1": {"drink"}, "a-2": set(), "b-1": {"drink"}, "b-2": set(), "c-1": set(), "c-2": set()}
    assert sorted(map(sorted, Lookup.fitted_on)) == [
        ["coffee later", "tea now", "toast later", "toast now"],
        ["coffee later", "tea please", "toast later", "toast please"],
        ["tea now", "tea please", "toast now", "toast please"]]
    in_sample = Lookup().fit(list(TEXTS.values()), list(LABELS.values())).tag(list(TEXTS.values()))
    assert {pid for pid, tags in zip(TEXTS, in_sample) if tags} == {"a-1", "b-1", "c-1"}
    # drink: held out, tagged a-1 b-1 of a-1 b-1 c-1 -> P 1, R 2/3, F1 0.8; in sample all three -> F1 1
    assert quality(predicted, LABELS, ["drink"]).loc[0, "f1"] == pytest.approx(0.8)


def test_leave_one_brief_out_skips_passages_nobody_labelled():
    Lookup.fitted_on = []
    labels = {pid: themes for pid, themes in LABELS.items() if pid != "c-2"}
    predicted = leave_one_brief_out(Lookup, TEXTS, BRIEF_OF, labels)
    assert set(predicted) == set(labels)
    assert all("toast later" not in texts for texts in Lookup.fitted_on)


def _toy_codebook(**terms):
    drink = Theme("drink", "Drinks", "Tea, coffee and other drinks.", [], [], [], **terms)
    return Codebook(2, {"drink": drink})


TOY = {f"{brief}-{n}": text for brief in "abcd" for n, text in enumerate([
    "a pot of tea and a cup of coffee", "coffee beans ground for the cup", "fresh tea leaves in the pot",
    "bread with butter", "the bread was warm", "butter on the toast"], start=1)}
TOY_BRIEFS = {pid: pid.split("-")[0] for pid in TOY}
TOY_LABELS = {pid: {"drink"} if int(pid.split("-")[1]) <= 3 else set() for pid in TOY}


def test_a_theme_with_a_definition_and_labels_but_no_terms_is_tagged_by_a_fitted_model():
    tagging = tag_passages(_toy_codebook(), TOY, TOY_BRIEFS, TOY_LABELS)
    assert tagging.methods["drink"] != DICTIONARY
    assert {pid for pid, tags in tagging.tags.items() if "drink" in tags} == {pid for pid in TOY if TOY_LABELS[pid]}
    assert all(tagging.tags[pid]["drink"] for pid in TOY if TOY_LABELS[pid])  # each tag shows its words


def test_a_theme_whose_terms_tag_as_well_as_the_model_is_tagged_by_its_terms():
    tagging = tag_passages(_toy_codebook(strong=["tea", "coffee"]), TOY, TOY_BRIEFS, TOY_LABELS)
    assert tagging.methods["drink"] == DICTIONARY
    assert tagging.tags["a-1"] == {"drink": ["tea", "coffee"]}


def _same(tagging, other) -> bool:
    return (tagging.tags, tagging.methods) == (other.tags, other.methods) and tagging.evaluation.equals(other.evaluation)


@pytest.mark.skipif("MUTANT_UNDER_TEST" in os.environ, reason="under mutation testing nothing is read from _build/cache")
def test_a_brief_added_without_labels_is_tagged_by_the_models_fitted_before_exactly_as_if_fitted_anew(tmp_path, monkeypatch):
    codebook = _toy_codebook()  # no terms: a fitted model tags
    tag_passages(codebook, TOY, TOY_BRIEFS, TOY_LABELS, cache=tmp_path)
    added = {**TOY, "e-1": "a fresh cup of tea", "e-2": "warm bread and butter"}
    brief_of = {pid: pid.split("-")[0] for pid in added}
    afresh = tag_passages(codebook, added, brief_of, TOY_LABELS)
    fits = []
    evaluate = themes.evaluate
    monkeypatch.setattr(themes, "evaluate", lambda *args: fits.append(args) or evaluate(*args))
    kept = tag_passages(codebook, added, brief_of, TOY_LABELS, cache=tmp_path)
    assert not fits, "the new brief has no labels: the models fitted on the others' labels tag it"
    assert _same(kept, afresh) and "drink" in kept.tags["e-1"] and "drink" not in kept.tags["e-2"]
    labelled = {**TOY_LABELS, "e-1": {"drink"}, "e-2": set()}
    assert _same(tag_passages(codebook, added, brief_of, labelled, cache=tmp_path),
                 tag_passages(codebook, added, brief_of, labelled))
    assert fits, "a label changes what the models are fitted on: they are fitted again"


def test_labels_from_one_brief_cannot_be_held_out_so_every_theme_is_tagged_by_its_terms():
    one_brief = {pid: themes for pid, themes in TOY_LABELS.items() if pid.startswith("a-")}
    tagging = tag_passages(_toy_codebook(strong=["tea"]), TOY, TOY_BRIEFS, one_brief)
    assert tagging.methods == {"drink": DICTIONARY} and tagging.evaluation.empty
    assert tagging.tags == {pid: ({"drink": ["tea"]} if "tea" in text else {}) for pid, text in TOY.items()}


def test_the_model_cannot_tag_a_held_out_brief_with_words_only_that_brief_uses():
    texts = {**TOY, "e-1": "espresso espresso", "e-2": "espresso crema", "e-3": "bread"}
    brief_of = {pid: pid.split("-")[0] for pid in texts}
    labels = {**TOY_LABELS, "e-1": {"drink"}, "e-2": {"drink"}, "e-3": set()}
    predicted = leave_one_brief_out(lambda: ModelTagger(_toy_codebook()), texts, brief_of, labels)
    assert predicted["e-1"] == predicted["e-2"] == set()


# The dictionary's general rules for mentions in passing.

@pytest.mark.parametrize("text", [
    "Pakistan should pursue ties with Iran, Afghanistan, China and all SAARC countries.",
    "Following the U.S. withdrawal from Afghanistan, Washington paid less attention to Islamabad.",
    "She is a scholar with the institute's Afghanistan and Pakistan Program.",
])
def test_a_mention_in_passing_does_not_tag(corpus, text):
    assert "afghanistan" not in corpus.codebook.tag(text)


def test_a_list_of_the_themes_own_things_still_tags(corpus):
    assert "economics" in corpus.codebook.tag("Cooperation should cover trade, investment, and energy.")
    assert set(corpus.codebook.tag("CPEC and the Belt and Road bind Pakistan to China.")) >= {"china"}


def test_every_tag_has_a_visible_reason(corpus):
    tagged = corpus.passages[corpus.passages["themes"] != ""]
    assert len(tagged) > 100
    for row in tagged.itertuples():
        for theme in row.themes.split(";"):
            assert re.search(rf"(^|; ){theme}: \S", row.reasons), (row.passage_id, row.reasons)


def test_passages_command_prints_every_passage_as_csv(corpus):
    result = subprocess.run([sys.executable, "-m", "handbook", "passages"], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["passage_id", "brief_id", "text", "themes"]
    assert [row["passage_id"] for row in rows] == list(corpus.passages["passage_id"])
    assert all(set(filter(None, row["themes"].split(";"))) <= set(corpus.codebook.themes) for row in rows)
    assert sum(1 for row in rows if "china" in row["themes"].split(";")) >= 15


# The figures the method page shows, recomputed from data/ without the code that made them.

def _scores(predicted, labels, theme):
    gold = [theme in labels[pid] for pid in labels]
    tagged = [theme in predicted.get(pid, ()) for pid in labels]
    precision, recall, f1, _ = precision_recall_fscore_support(gold, tagged, average="binary", zero_division=0)
    return round(precision, 2), round(recall, 2), round(f1, 2)


@pytest.fixture(scope="module")
def recomputed():
    """Per theme label: method, in-sample and held-out (precision, recall, F1), from data/ and the CSV of
    `python -m handbook passages`."""
    from handbook.corpus import load_corpus

    corpus = load_corpus(ROOT)
    result = subprocess.run([sys.executable, "-m", "handbook", "passages"], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    texts = {row["passage_id"]: row["text"] for row in rows}
    brief_of = {row["passage_id"]: row["brief_id"] for row in rows}
    tagged = {row["passage_id"]: set(filter(None, row["themes"].split(";"))) for row in rows}
    with (ROOT / "data" / "labels.csv").open(encoding="utf-8", newline="") as handle:
        labels = {row["passage_id"]: set(filter(None, row["themes"].split(";"))) for row in csv.DictReader(handle)}
    held_out = {name: leave_one_brief_out(lambda: make(corpus.codebook), texts, brief_of, labels)
                for name, make in TAGGERS.items()}
    figures = {}
    for theme_id, theme in corpus.codebook.themes.items():
        best = max(TAGGERS, key=lambda name: _scores(held_out[name], labels, theme_id)[2])
        figures[theme.label] = (best, _scores(tagged, labels, theme_id), _scores(held_out[best], labels, theme_id))
    return figures


def test_every_theme_is_tagged_by_the_method_that_does_best_on_a_held_out_brief(corpus, recomputed):
    for theme_id, method in corpus.tagging.methods.items():
        label = corpus.codebook.themes[theme_id].label
        evaluation = corpus.tagging.evaluation.set_index(["theme", "method"])["f1_out"].round(2)
        assert evaluation[theme_id, method] == evaluation[theme_id, recomputed[label][0]], label


def _table(page, caption_start):
    for table in page("method.html").select("table"):
        caption = table.find("caption")
        if caption and caption_start in caption.get_text(" ", strip=True):
            header = [cell.get_text(" ", strip=True) for cell in table.select("thead th")]
            return [dict(zip(header, (cell.get_text(" ", strip=True) for cell in row.select("td"))))
                    for row in table.select("tbody tr")]
    raise AssertionError(f"method.html has no table '{caption_start}'")


def test_method_page_shows_in_sample_and_held_out_figures_that_the_data_give(page, recomputed):
    rows = _table(page, "Tagging against hand labels")
    assert {row["Theme"] for row in rows} == set(recomputed)
    for row in rows:
        _, in_sample, held_out = recomputed[row["Theme"]]
        shown_in = tuple(float(row[f"{name} (in sample)"]) for name in ("Precision", "Recall", "F1"))
        shown_out = tuple(float(row[f"{name} (held-out brief)"]) for name in ("Precision", "Recall", "F1"))
        assert shown_in == pytest.approx(in_sample, abs=0.005), row["Theme"]
        assert shown_out == pytest.approx(held_out, abs=0.005), row["Theme"]


def test_method_page_prose_quotes_the_lowest_held_out_f1(page, recomputed):
    lowest = min(recomputed.items(), key=lambda item: item[1][2][2])
    text = page("method.html").get_text(" ", strip=True)
    assert f"from {lowest[1][2][2]:.2f} ( {lowest[0]} )" in text or f"from {lowest[1][2][2]:.2f} ({lowest[0]})" in text


def test_method_page_compares_every_method_for_every_theme(page, corpus):
    rows = _table(page, "F1 of each tagging method")
    assert len(rows) == len(corpus.codebook.themes)
    for row in rows:
        assert set(tables.METHOD_NAMES.values()) <= set(row)
        assert row["Chosen"] in tables.METHOD_NAMES.values()


def test_method_page_counts_the_codebooks_themes(page, corpus):
    text = page("method.html").get_text(" ", strip=True)
    assert f"defines {len(corpus.codebook.themes)} themes" in text
