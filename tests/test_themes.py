"""The codebook and the tagging rule: transparent, and close to the hand labels."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from handbook import tables
from tests.conftest import ROOT

THEMES = {"afghanistan", "china", "india", "economics", "security"}


def test_codebook_defines_the_five_themes_with_rules_and_examples(corpus):
    assert THEMES <= set(corpus.codebook.themes)
    for theme in corpus.codebook.themes.values():
        assert theme.definition and theme.include and theme.exclude and theme.strong
        for passage_id in theme.examples:
            assert theme.id in corpus.passages.set_index("passage_id").at[passage_id, "themes"].split(";")


def test_hand_labels_cover_every_theme(corpus):
    counts = {theme: sum(theme in labels for labels in corpus.labels.values()) for theme in THEMES}
    assert len(corpus.labels) >= 100
    assert all(count >= 15 for count in counts.values()), counts


def test_tagging_reaches_f1_of_0_9_for_every_theme(corpus):
    quality = tables.tagging_quality(corpus)
    assert len(quality) == len(corpus.codebook.themes)
    assert (quality["F1"] >= 0.9).all(), quality.to_string()


def test_every_tag_has_a_visible_reason(corpus):
    tagged = corpus.passages[corpus.passages["themes"] != ""]
    assert len(tagged) > 100
    for row in tagged.itertuples():
        for theme in row.themes.split(";"):
            assert f"{theme}: " in row.reasons


def test_a_mention_in_passing_does_not_tag(corpus):
    codebook = corpus.codebook
    assert codebook.tag("Pakistan should pursue ties with Iran, Afghanistan, China and all SAARC countries.") == {}
    assert set(codebook.tag("CPEC and the Belt and Road bind Pakistan to China.")) >= {"china"}


def test_passages_command_prints_every_passage_as_csv(corpus):
    result = subprocess.run([sys.executable, "-m", "handbook", "passages"], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["passage_id", "brief_id", "text", "themes"]
    assert [row["passage_id"] for row in rows] == list(corpus.passages["passage_id"])
    assert all(set(filter(None, row["themes"].split(";"))) <= THEMES for row in rows)
    assert sum(1 for row in rows if "china" in row["themes"].split(";")) >= 15
