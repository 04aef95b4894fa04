"""The corpus: every brief well formed, every passage the source's own words, ids stable."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from handbook.briefs import ID_PATTERN, REQUIRED_FIELDS, load_briefs
from handbook.passages import pieces_in_source, source_fingerprint
from tests.conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"


def test_every_original_has_an_edited_copy(corpus):
    originals = sorted(path.name for path in SEEDS.glob("*.txt"))
    assert originals, f"no originals found in {SEEDS}"
    assert sorted(brief.source for brief in corpus.briefs if brief.source) == originals


def test_front_matter_is_complete(corpus):
    for brief in corpus.briefs:
        assert brief.id == brief.path.stem and ID_PATTERN.match(brief.id)
        for name in REQUIRED_FIELDS:
            assert getattr(brief, name) not in (None, ""), (brief.id, name)
        assert re.match(r"^\d{4}-\d{2}(-\d{2})?$", brief.date)


@pytest.mark.parametrize("brief_id", ["wilson-2019", "uol-2020", "mei-2024", "issra-2024", "issi-2024"])
def test_every_passage_is_verbatim_in_the_original(corpus, brief_id):
    brief = corpus.brief(brief_id)
    source = source_fingerprint((SEEDS / brief.source).read_text(encoding="utf-8"))
    assert len(brief.passages) >= 20
    for passage in brief.passages:
        assert pieces_in_source(passage.text, source) is not None, f"{passage.id} is not in {brief.source}: {passage.text[:120]}"


def test_a_changed_word_is_caught(corpus):
    brief = corpus.brief("mei-2024")
    source = source_fingerprint((SEEDS / brief.source).read_text(encoding="utf-8"))
    passage = brief.passages[5].text
    changed = passage.replace(" the ", " a ", 1)
    assert changed != passage
    assert pieces_in_source(changed, source) is None


def test_conversion_damage_is_repaired(corpus):
    text = " ".join(p.text for brief in corpus.briefs for p in brief.passages)
    for damage in ("sevenplus", "securitydominated", "capacitybuilding", "\\$", "<u>", "](#)", "**", "Photo above",
                   "PICTURES GALLERY", "Recitation of Holy Quran", "^{"):
        assert damage not in text, damage
    for repaired in ("seven-plus", "security-dominated", "capacity-building"):
        assert repaired in text
    # Footnotes are notes, not passages.
    assert all(len(brief.notes) >= 9 for brief in (corpus.brief("mei-2024"), corpus.brief("issi-2024")))
    assert not any(re.match(r"^\d+\.\s+\"", p.text) for brief in corpus.briefs for p in brief.passages)


def test_page_split_paragraphs_are_joined(corpus):
    texts = [p.text for p in corpus.brief("issi-2024").passages]
    assert any("Second, Pakistan helped the U.S. reverse the Soviet invasion" in text for text in texts)


def test_passage_ids_are_unique_and_numbered_within_their_brief(corpus):
    ids = [p.id for brief in corpus.briefs for p in brief.passages]
    assert len(ids) == len(set(ids))
    for brief in corpus.briefs:
        assert [p.id for p in brief.passages] == [f"{brief.id}-{n}" for n in range(1, len(brief.passages) + 1)]


def test_adding_a_brief_does_not_change_other_ids(corpus, tmp_path):
    folder = tmp_path / "briefs"
    shutil.copytree(ROOT / "data" / "briefs", folder)
    (folder / "aaa-2030.md").write_text(
        "---\nid: aaa-2030\ntitle: T\nauthors: []\ninstitution: I\ndate: 2030-01\nperspective: P\n---\n\nOne.\n\nTwo.\n",
        encoding="utf-8")
    before = {b.id: [(p.id, p.text) for p in b.passages] for b in corpus.briefs}
    after = {b.id: [(p.id, p.text) for p in b.passages] for b in load_briefs(folder)}
    assert after.pop("aaa-2030") == [("aaa-2030-1", "One."), ("aaa-2030-2", "Two.")]
    assert after == before
