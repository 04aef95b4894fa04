"""Citing the handbook: CITATION.cff is valid and names the current edition; every page and the PDF
say which edition they are; "How to cite" and "What changed" are derived from the data."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from handbook import editions
from tests.conftest import PDF, ROOT

# The Citation File Format's own schema, version 1.2.0, as published by the format's authors
# (github.com/citation-file-format/citation-file-format, tag 1.2.0, licence CC-BY-4.0), unchanged.
SCHEMA = ROOT / "tests" / "schemas" / "citation-file-format-1.2.0.json"


@pytest.fixture(scope="module")
def citation():
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_file_is_valid_cff(citation):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(
        json.loads(json.dumps(citation, default=str)))


def test_schema_check_rejects_a_broken_citation_file(citation):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = {key: value for key, value in json.loads(json.dumps(citation, default=str)).items() if key != "authors"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)


def test_citation_file_names_the_current_edition(citation, corpus):
    edition = editions.current(corpus.briefs)
    assert citation["version"] == str(edition.number) == citation["preferred-citation"]["edition"]
    assert str(citation["date-released"]) == edition.date
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert citation["title"] == config["title"] == citation["preferred-citation"]["title"]


def test_editions_follow_the_added_dates(corpus):
    found = editions.editions(corpus.briefs)
    assert [e.number for e in found] == list(range(1, len(found) + 1))
    assert sorted(b.id for e in found for b in e.briefs) == sorted(b.id for b in corpus.briefs)
    assert all(b.added == e.date for e in found for b in e.briefs)
    assert [e.date for e in found] == sorted({b.added for b in corpus.briefs})


def test_every_page_names_its_edition_and_build_date(html_dir, page, corpus):
    edition = editions.current(corpus.briefs)
    for name in ("index.html", "chapters/china.html", "sources.html"):
        footer = page(name).select_one("p.handbook-edition")
        assert footer is not None, name
        text = " ".join(footer.get_text().split())
        assert f"Edition {edition.number} ({edition.date_text})" in text and re.search(r"built \d{4}-\d{2}-\d{2}", text)
        assert footer.find("a")["href"].endswith("how-to-cite.html")


def test_how_to_cite_page_gives_the_handbook_and_a_passage(page, corpus, citation):
    edition = editions.current(corpus.briefs)
    text = " ".join(page("how-to-cite.html").get_text().split())
    assert editions.handbook_citation(citation, edition) in text
    passage = re.search(r"(\S+ \d{4}), passage ([a-z0-9-]+-\d+), in ", text)
    assert passage, text
    label, passage_id = passage.groups()
    assert passage_id in set(corpus.passages["passage_id"])
    assert corpus.brief(passage_id.rsplit("-", 1)[0]).label.endswith(label)


def test_what_changed_lists_each_edition_with_its_briefs(page, corpus):
    table = next(t for t in page("what-changed.html").select("table.handbook-table") if "Editions" in t.caption.get_text())
    rows = [[td.get_text(" ", strip=True) for td in row.select("td")] for row in table.select("tbody tr")]
    for edition, row in zip(editions.editions(corpus.briefs), rows, strict=True):
        assert row[0] == str(edition.number) and row[1] == (edition.date or "not recorded")
        assert all(brief.label in row[2] for brief in edition.briefs)


def test_pdf_title_page_names_the_edition_and_build_date(corpus):
    from pypdf import PdfReader

    path = PDF / "handbook.pdf"
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make book`")
    first = " ".join((PdfReader(path).pages[0].extract_text() or "").split())
    edition = editions.current(corpus.briefs)
    assert f"Edition {edition.number} ({edition.date_text})" in first
    assert re.search(r"Built\s*\d{4}-\d{2}-\d{2}", first)
