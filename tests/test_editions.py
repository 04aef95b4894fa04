"""Editions, the handbook's citation, and the corpus a build keeps between pages, without a build.

Every page's footer, the PDF title page, the citation page and "What changed" read the edition from
handbook.editions; every executed page reads the corpus from the pickle handbook.corpus keeps. A wrong
edition or a stale pickle is what a reader would see on every page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from handbook import editions, project
from handbook.corpus import cached_corpus, checked_corpus
from handbook.problems import DataError
from tests.conftest import ROOT


def test_each_added_date_starts_an_edition_numbered_from_one(corpus):
    found = editions.editions(corpus.briefs)
    dates = sorted({str(b.added) for b in corpus.briefs})
    assert [(e.number, e.date) for e in found] == list(enumerate(dates, start=1))
    for edition in found:
        assert [b.label for b in edition.briefs] == sorted(b.label for b in corpus.briefs if b.added == edition.date)
    assert editions.current(corpus.briefs) == found[-1]
    assert sum(len(e.briefs) for e in found) == len(corpus.briefs)


def test_an_edition_date_reads_as_a_date_or_says_it_was_not_recorded():
    assert editions.Edition(2, "2026-12-01", ()).date_text == "1 December 2026"
    assert editions.Edition(1, "", ()).date_text == "date not recorded"


def test_the_build_date_is_today_unless_source_date_epoch_names_one(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert editions.build_date() == dt.datetime.now(dt.timezone.utc).date().isoformat()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2025, 3, 4, 23, 59, tzinfo=dt.timezone.utc).timestamp())))
    assert editions.build_date() == "2025-03-04"


def test_the_handbook_is_cited_by_its_editors_title_and_current_edition(corpus):
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert editions.citation_file(ROOT) == citation
    names = [a.get("name") or f"{a['given-names']} {a['family-names']}" for a in citation["authors"]]
    assert editions.editors(citation) == ", ".join(names)
    assert editions.editors({"authors": [{"given-names": "Ada", "family-names": "Lovelace"}, {"name": "A Team"}]}) == \
        "Ada Lovelace, A Team"
    edition = editions.current(corpus.briefs)
    assert editions.handbook_citation(citation, edition) == \
        f"{', '.join(names)}, {citation['title']}, edition {edition.number}, {edition.date_text}"


def test_the_editions_table_lists_each_edition_with_the_briefs_it_added(corpus):
    frame = editions.editions_table(corpus.briefs)
    rows = frame.to_dict("records")
    found = editions.editions(corpus.briefs)
    assert [row["Edition"] for row in rows] == [e.number for e in found]
    assert [row["Date"] for row in rows] == [e.date or "not recorded" for e in found]
    for row, edition in zip(rows, found):
        assert row["Briefs added"] == "; ".join(f"{b.label}: {b.title}" for b in edition.briefs)
    assert frame.attrs == {"briefs": [b.label for b in corpus.briefs], "files": "data/briefs/ (field 'added')"}


def test_the_citations_table_gives_real_examples_from_the_current_edition(corpus):
    frame = editions.citations_table(ROOT, corpus.briefs)
    rows = {row["What you cite"]: row["Cite it as"] for row in frame.to_dict("records")}
    assert list(rows) == ["The handbook", "A passage it prints", "A brief itself"]
    edition = editions.current(corpus.briefs)
    handbook = editions.handbook_citation(editions.citation_file(ROOT), edition)
    assert rows["The handbook"] == handbook + "."
    brief = edition.briefs[0]
    passage = brief.passages[min(6, len(brief.passages) - 1)]
    assert rows["A passage it prints"] == f"{brief.label}, passage {passage.id}, in {handbook}, Sources appendix."
    assert rows["A brief itself"].startswith(", ".join(brief.authors) + ", " if brief.authors else brief.title)
    assert rows["A brief itself"].endswith(f"{brief.date_text}, {brief.url}." if brief.url else f"{brief.date_text}.")
    assert frame.attrs == {"briefs": [brief.label], "files": "CITATION.cff, data/briefs/"}


def test_the_citation_of_a_brief_leaves_out_what_it_lacks_and_a_short_brief_gives_its_last_passage(corpus):
    for brief in corpus.briefs:
        short = dataclasses.replace(brief, passages=brief.passages[:3])
        rows = {row["What you cite"]: row["Cite it as"] for row in editions.citations_table(ROOT, [short]).to_dict("records")}
        authors = ", ".join(brief.authors) + ", " if brief.authors else ""
        url = f", {brief.url}." if brief.url else "."
        assert rows["A brief itself"] == f"{authors}{brief.title}, {brief.institution}, {brief.date_text}{url}"
        assert rows["A passage it prints"].startswith(f"{brief.label}, passage {brief.passages[2].id}, in ")
    assert any(not brief.authors for brief in corpus.briefs) and any(brief.authors for brief in corpus.briefs)


@pytest.fixture
def project_copy(project):
    """With the citation file, which the fingerprint of the kept corpus covers."""
    shutil.copy(ROOT / "CITATION.cff", project)
    return project


def test_the_kept_corpus_is_tagged_and_read_back_while_data_is_unchanged(project_copy):
    first = cached_corpus(project_copy)
    path = project.corpus_pickle(project_copy, project.fingerprint(project_copy))
    assert path.is_file(), "kept under the fingerprint of data/ and the code"
    assert "passages" in first.__dict__, "tagged before it was kept"
    again = cached_corpus(project_copy)
    assert again is not first and again.passages.equals(first.passages), "read back from the file"
    assert checked_corpus(project_copy).passages.equals(first.passages)
    assert [p.name for p in path.parent.glob("corpus-*.pickle")] == [path.name]


def test_a_changed_brief_gets_a_corpus_of_its_own_and_the_old_one_is_removed(project_copy):
    cached_corpus(project_copy)
    old = project.corpus_pickle(project_copy, project.fingerprint(project_copy))
    brief = project_copy / "data" / "briefs" / "mei-2024.md"
    brief.write_text(brief.read_text(encoding="utf-8").replace("Managing US Relations", "Managing U.S. Relations"),
                     encoding="utf-8")
    corpus = cached_corpus(project_copy)
    assert corpus.brief("mei-2024").title.startswith("Managing U.S. Relations"), "never the stale copy"
    new = project.corpus_pickle(project_copy, project.fingerprint(project_copy))
    assert new != old and new.is_file() and not old.exists()


def test_a_corpus_with_problems_is_never_kept(project_copy):
    (project_copy / "data" / "briefs" / "bad-2025.md").write_text("no front matter\n", encoding="utf-8")
    with pytest.raises(DataError):
        checked_corpus(project_copy)
    with pytest.raises(DataError):
        cached_corpus(project_copy)
    assert not list(project_copy.rglob("corpus-*.pickle"))


def test_an_unreadable_kept_corpus_is_loaded_afresh(project_copy):
    path = project.corpus_pickle(project_copy, project.fingerprint(project_copy))
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    corpus = checked_corpus(project_copy)
    assert [b.id for b in corpus.briefs] == [b.id for b in cached_corpus(project_copy).briefs]
    assert path.read_bytes() != b"not a pickle", "replaced by the corpus"


def test_only_a_brief_awaiting_coding_has_its_suggestions_evaluated_before_the_pages_run(project_copy):
    assert "suggestions" not in cached_corpus(project_copy).__dict__, "the method page computes it"
    (project_copy / "data" / "briefs" / "later-2025.md").write_text(
        "---\nid: later-2025\ntitle: \"A Later Brief\"\nauthors: [\"A. Author\"]\ninstitution: \"Test Institute\"\n"
        "date: 2025-03\nperspective: Pakistani\n---\n\nPakistan should keep good relations with both powers.\n",
        encoding="utf-8")
    assert "suggestions" in cached_corpus(project_copy).__dict__, "every comparison ranks the new brief's passages"


def test_a_page_quotes_a_new_briefs_suggested_passages_from_the_kept_corpus_without_ranking_anew(project_copy):
    """The passages of a brief not yet coded are ranked with the corpus, before the pages run: a page's
    kernel then needs neither to rank them nor to import scikit-learn (1.5 s, in every kernel)."""
    (project_copy / "data" / "briefs" / "later-2025.md").write_text(
        "---\nid: later-2025\ntitle: \"A Later Brief\"\nauthors: [\"A. Author\"]\ninstitution: \"Test Institute\"\n"
        "date: 2025-03\nperspective: Pakistani\n---\n\nPakistan should keep good relations with both powers and need "
        "not choose a side between Washington and Beijing.\n", encoding="utf-8")
    cached_corpus(project_copy)
    page = ("import json, sys\nfrom handbook import show\nfrom handbook.corpus import cached_corpus\nbook = cached_corpus()\n"
            "quoted = [item['passage_id'] for q in book.questions for item in show.comparison(book, q.id).payload['suggested']]\n"
            "print(json.dumps({'quoted': quoted, 'scikit-learn': 'sklearn' in sys.modules}))")
    result = subprocess.run([sys.executable, "-c", page], cwd=project_copy, capture_output=True, text=True, check=True,
                            env={**os.environ, "HANDBOOK_ROOT": str(project_copy)})
    seen = json.loads(result.stdout)
    assert "later-2025-1" in seen["quoted"] and not seen["scikit-learn"]
