"""The corpus: every passage the original's own words, no line of an original lost, ids stable.

The edits a careless or hostile editor could make are made to scratch copies of the real briefs; each
must be reported at the passage it touched. The repairs the seeds' README allows are made to small
originals written here; each must pass.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from handbook import verbatim
from handbook.briefs import load_briefs, read_brief
from handbook.problems import DataError
from handbook.verbatim import ELLIPSIS, in_passage, quote_mismatch
from tests.conftest import ROOT

BRIEFS = ROOT / "data" / "briefs"
OMITTED = ROOT / "data" / "omitted.yml"
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")


@pytest.fixture(scope="session")
def originals() -> Path:
    folder = verbatim.originals_dir(ROOT)
    if not any(folder.glob("*.txt")):
        pytest.fail(f"the original briefs are not in {folder}: put them there or set HANDBOOK_ORIGINALS")
    return folder


@pytest.fixture(scope="session")
def omissions():
    return verbatim.load_omissions(OMITTED)


def problems_of(brief, originals, omissions):
    return verbatim.check_brief(brief, originals, omissions, OMITTED)


def test_every_original_has_an_edited_copy(corpus, originals):
    assert sorted(brief.source for brief in corpus.briefs if brief.source) == sorted(
        path.name for path in originals.glob("*.txt"))


def test_every_brief_is_its_originals_words_and_loses_none_of_them(corpus, originals, omissions):
    checked = [brief for brief in corpus.briefs if brief.source]
    assert len(checked) == 5
    problems = [problem for brief in checked for problem in problems_of(brief, originals, omissions)]
    assert not problems, "\n".join(map(str, problems))


def test_every_omission_belongs_to_a_brief_and_gives_a_reason(corpus, omissions):
    assert set(omissions) <= {brief.id for brief in corpus.briefs if brief.source}
    assert all(omission.reason for groups in omissions.values() for omission in groups)


# -- edits that must be reported ---------------------------------------------------------------------

def edit_lines(brief_id: str, tmp_path: Path, edit):
    """Apply `edit` to the file line of each passage of a copy of the brief; return the passages it
    changed and the brief read back from the copy."""
    path = BRIEFS / f"{brief_id}.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    edited = []
    for passage in read_brief(path).passages:
        new = edit(lines[passage.line - 1])
        if new is not None and new != lines[passage.line - 1]:
            lines[passage.line - 1] = new
            edited.append(passage)
    copy = tmp_path / path.name
    copy.write_text("\n".join(lines), encoding="utf-8")
    return edited, read_brief(copy)


def delete_not(line):
    return line.replace(" not ", " ", 1)


def change_last_word(line):
    words = list(re.finditer(r"\b[A-Za-z]{2,}\b", line))
    if words:
        last = words[-1]
        return line[:last.start()] + ("India" if last.group() != "India" else "China") + line[last.end():]


def after_marker(edit):
    """The edit applied to a line's text, not to its list marker (a list's numbers are markup)."""
    def edited(line):
        marker = re.match(r"\s*(?:[-*]|\d+[.)])\s+", line)
        start = marker.end() if marker else 0
        text = edit(line[start:])
        return None if text is None else line[:start] + text
    return edited


@after_marker
def change_number(text):
    return re.sub(r"(?<!\[\^)\b\d+\b", lambda match: str(int(match.group()) + 1), text, count=1)


@after_marker
def delete_middle_sentence(text):
    sentences = SENTENCE_END.split(text)
    if len(sentences) >= 3:
        return " ".join(sentences[:1] + sentences[2:])


@after_marker
def swap_first_sentences(text):
    sentences = SENTENCE_END.split(text)
    if len(sentences) >= 2:
        return " ".join([sentences[1], sentences[0]] + sentences[2:])


# name -> (edit, words every report of it says, whether only the edited passages may be reported: a
# moved sentence can make the diff blame the passage next to it as well)
EDITS = {
    "deleted 'not'": (delete_not, "the original's “not”", True),
    "changed last word": (change_last_word, "the brief has “", True),
    "changed number": (change_number, "the brief has “", True),
    "deleted sentence": (delete_middle_sentence, "is missing from the brief", True),
    "reordered sentences": (swap_first_sentences, "", False),
}


@pytest.mark.parametrize("name", EDITS)
def test_each_edit_of_a_passage_is_reported_at_that_passage(name, tmp_path, corpus, originals, omissions):
    edit, words, exact = EDITS[name]
    tried = 0
    for original in (brief for brief in corpus.briefs if brief.source):
        edited, brief = edit_lines(original.id, tmp_path, edit)
        tried += len(edited)
        problems = problems_of(brief, originals, omissions)
        reported = {problem.message.split(":")[0].removeprefix("passage ") for problem in problems}
        numbers = {passage.number for passage in edited}
        assert {passage.id for passage in edited} <= reported, brief.id
        assert {problem.line for problem in problems} <= {p.line for p in brief.passages}
        for problem in problems:
            number = int(problem.message.split(":")[0].rsplit("-", 1)[1])
            assert number in numbers or not exact and {number - 1, number + 1} & numbers, problem
            assert problem.path == brief.path and words in problem.message and brief.source in problem.message
    assert tried >= 5, f"too few passages to try '{name}' on"


def test_deleted_not_is_reported_with_the_original_line(tmp_path, originals, omissions):
    edited, brief = edit_lines("wilson-2019", tmp_path,
                               lambda line: line.replace("should not again", "should again"))
    [passage] = edited
    source = (originals / brief.source).read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(source, start=1) if "should not again" in line)
    assert [str(problem) for problem in problems_of(brief, originals, omissions)] == [
        f"{brief.path}:{passage.line}: passage {passage.id}: the original's “not” ({brief.source} line "
        f"{number}) is missing from the brief. To fix: {verbatim._FIX}."]


def test_passages_spliced_from_two_halves_are_reported(tmp_path, originals, omissions):
    path = BRIEFS / "wilson-2019.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    brief = read_brief(path)
    first, second = next((a, b) for a, b in zip(brief.passages, brief.passages[1:])
                         if len(SENTENCE_END.split(a.text)) >= 2 and len(SENTENCE_END.split(b.text)) >= 2)
    head = SENTENCE_END.split(lines[first.line - 1])
    tail = SENTENCE_END.split(lines[second.line - 1])
    lines[first.line - 1] = " ".join(head[:len(head) // 2] + tail[len(tail) // 2:])
    lines[second.line - 1] = ""
    (tmp_path / path.name).write_text("\n".join(lines), encoding="utf-8")
    problems = problems_of(read_brief(tmp_path / path.name), originals, omissions)
    assert problems and problems[0].message.startswith(f"passage {first.id}: ")
    assert all("is missing from the brief" in problem.message for problem in problems)


@pytest.mark.parametrize("text", ["1, 2, 3 — 4.", "…", "(2024)"])
def test_a_passage_with_no_letters_is_reported(text, tmp_path, originals, omissions):
    path = BRIEFS / "uol-2020.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    passage = read_brief(path).passages[2]
    lines.insert(passage.line, "\n" + text + "\n")
    (tmp_path / path.name).write_text("\n".join(lines), encoding="utf-8")
    problems = problems_of(read_brief(tmp_path / path.name), originals, omissions)
    assert len(problems) == 1 and f"the brief adds “{text}”" in problems[0].message


def test_a_lost_line_of_the_original_is_reported_unless_listed(tmp_path, originals):
    brief = read_brief(BRIEFS / "mei-2024.md")
    original = (originals / brief.source).read_text(encoding="utf-8")
    omissions = verbatim.load_omissions(OMITTED)
    unlisted = [group for group in omissions["mei-2024"] if group.reason != "photo captions"]
    problems = verbatim.compare(brief, original, unlisted, OMITTED)
    assert len(problems) == 2
    assert all(re.search(r"the original's “Photo above: .*” \(003_\w+\.txt line \d+\) is missing", problem.message)
               for problem in problems)


def test_an_omission_naming_no_line_of_the_original_is_reported(tmp_path, originals):
    (tmp_path / "omitted.yml").write_text(
        'mei-2024:\n  - reason: "caption"\n    lines:\n      - "Photo above: A cat …"\n', encoding="utf-8")
    omissions = verbatim.load_omissions(tmp_path / "omitted.yml")
    brief = read_brief(BRIEFS / "mei-2024.md")
    problems = verbatim.check_brief(brief, originals, omissions, tmp_path / "omitted.yml")
    assert str(problems[0]) == (f"{tmp_path / 'omitted.yml'}:4: the line “Photo above: A cat …” is not in the "
                                "original. To fix: copy the line exactly as the original has it, or remove it.")


@pytest.mark.parametrize("text, line", [
    ("mei-2024: yes\n", 1),
    ("mei-2024:\n  - lines: [\"x\"]\n", 2),
    ("mei-2024:\n  - reason: \"r\"\n    lines: []\n", 2),
    ("mei-2024:\n  - reason: \"r\"\n    from: \"a\"\n", 2),
    ("mei-2024:\n  - reason: \"r\"\n    lines: [\"a\"]\n    from: \"a\"\n    to: \"b\"\n", 2),
    ("mei-2024:\n  - reason: \"r\"\n    lines: [\"a\"]\n    why: \"b\"\n", 2),
])
def test_a_malformed_omission_is_reported_with_its_line(text, line, tmp_path):
    (tmp_path / "omitted.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as error:
        verbatim.load_omissions(tmp_path / "omitted.yml")
    assert [problem.line for problem in error.value.problems] == [line]


# -- repairs that must pass -----------------------------------------------------------------------------

def synthetic(tmp_path: Path, body: str):
    path = tmp_path / "zz-2030.md"
    path.write_text("---\nid: zz-2030\ntitle: T\nauthors: []\ninstitution: I\ndate: 2030-01\nperspective: P\n"
                    "source: zz.txt\n---\n\n" + body, encoding="utf-8")
    return read_brief(path)


REPAIRS = {
    "paragraph joined across a page break and a footnote block": (
        "The first half of a sentence that runs\n\n¹ A note printed mid-text.\n\n² Another one.\n\n"
        "on after the break.\n",
        "The first half of a sentence that runs on after the break.\n"),
    "footnote markers moved to the end and notes moved to the notes": (
        "One claim.¹ Another claim<sup>2</sup> and a third^{3.} here.\n\n^{3.} A note.\n",
        "One claim. Another claim and a third here.[^1][^2][^3]\n\n[^1]: A.\n[^2]: B.\n[^3]: A note.\n"),
    "lost line-end hyphens restored": (
        "A sevenplus decade securitydominated tie.\n", "A seven-plus decade security-dominated tie.\n"),
    "Markdown escapes and stray markup removed": (
        "## **Going Forward**\n\nAid of \\$9 billion, <u>underlined</u>, [a link](#), **bold** and *italic*.\n",
        "## Going Forward\n\nAid of $9 billion, underlined, a link, bold and italic.\n"),
    "list markers, a list item split by a page break, and rules": (
        "- A first item on Canadian\n\n---\n\n- soil, as it goes on.\n1. Second item\n",
        "- A first item on Canadian soil, as it goes on.\n- Second item\n"),
}


@pytest.mark.parametrize("name", REPAIRS)
def test_an_allowed_repair_passes(name, tmp_path):
    original, copy = REPAIRS[name]
    assert verbatim.compare(synthetic(tmp_path, copy), original, [], OMITTED) == []


def test_captions_and_programme_tables_pass_only_when_listed(tmp_path):
    original = ("The argument begins\n\nPhoto above: A caption.\n\nand goes on.\n\n# PICTURES GALLERY\n\n"
                "## Programme\n\n1030 hrs\tArrival\n1045 hrs\tPhotograph\n\nThe end.\n")
    brief = synthetic(tmp_path, "The argument begins and goes on.\n\nThe end.\n")
    (tmp_path / "omitted.yml").write_text(
        "zz-2030:\n  - reason: \"caption\"\n    lines: [\"Photo above: …\", \"# PICTURES GALLERY\"]\n"
        "  - reason: \"programme\"\n    from: \"## Programme\"\n    to: \"1045 hrs\\tPhotograph\"\n",
        encoding="utf-8")
    omissions = verbatim.load_omissions(tmp_path / "omitted.yml")["zz-2030"]
    assert verbatim.compare(brief, original, omissions, OMITTED) == []
    assert len(verbatim.compare(brief, original, omissions[1:], OMITTED)) == 2  # caption and gallery heading
    assert len(verbatim.compare(brief, original, omissions[:1], OMITTED)) == 1  # the programme


@pytest.mark.parametrize("original, copy", [
    ("A seven-plus decade.\n", "A sevenplus decade.\n"),  # a hyphen of the original dropped
    ("A sevenplus decade.\n", "A seven plus decade.\n"),  # a word split
    ("A tie, of sorts.\n", "A tie of sorts.\n"),  # punctuation dropped
    ("The US and Pakistan.\n", "The us and Pakistan.\n"),  # case changed
    ("Pakistan’s ties.\n", "Pakistan's ties.\n"),  # a quotation mark 'cleaned'
    ("2. A numbered footnote printed as a line.\n\nText.\n", "Text.\n"),  # not listed, so not forgiven
])
def test_what_looks_like_a_repair_but_is_not_is_reported(original, copy, tmp_path):
    assert verbatim.compare(synthetic(tmp_path, copy), original, [], OMITTED)


# -- quotes -------------------------------------------------------------------------------------------

PASSAGE = ("While the relationship has not progressed linearly throughout its history, the U.S. has "
           "remained Pakistan's important development and security partner in 2024.")


@pytest.mark.parametrize("quote", [
    "the relationship has not progressed linearly",
    PASSAGE,
    f"While the relationship {ELLIPSIS} the U.S. has remained",
    f"{ELLIPSIS} remained Pakistan's important development",
    f"the U.S. has remained Pakistan's important {ELLIPSIS}",
    "the  relationship\nhas not progressed",
    "partner in 2024.",
])
def test_a_verbatim_quote_is_in_its_passage(quote):
    assert in_passage(quote, PASSAGE), quote_mismatch(quote, PASSAGE)


@pytest.mark.parametrize("quote, reason", [
    ("the relationship has progressed linearly", "is not in the passage"),  # 'not' deleted
    ("the relationship has not progressed steadily", "is not in the passage"),  # word changed
    ("security partner in 2025.", "is not in the passage"),  # number changed
    ("The relationship has not progressed", "is not in the passage"),  # case changed
    ("ot progressed linearly", "is not in the passage"),  # part of a word
    ("relationship has not progress", "is not in the passage"),  # part of a word at the end
    (f"the U.S. has remained {ELLIPSIS} While the relationship", "after the words quoted before it"),
    (f"the relationship has {ELLIPSIS} has not progressed", "after the words quoted before it"),  # overlap
    (f"{ELLIPSIS} partner in 1999", "is not in the passage"),  # a leading ellipsis excuses nothing
    (ELLIPSIS, "has no words"),
    (f" {ELLIPSIS} {ELLIPSIS} ", "has no words"),
    ("", "has no words"),
    ("   ", "has no words"),
    (f"the relationship {ELLIPSIS} {ELLIPSIS} partner", "two ellipses"),
])
def test_a_quote_that_is_not_verbatim_is_refused_with_the_reason(quote, reason):
    assert reason in (quote_mismatch(quote, PASSAGE) or "")


# -- structure and ids ------------------------------------------------------------------------------------

def test_conversion_damage_is_repaired(corpus):
    text = " ".join(p.text for brief in corpus.briefs for p in brief.passages)
    for damage in ("sevenplus", "securitydominated", "capacitybuilding", "resourceconstrained", "\\$", "<u>",
                   "](#)", "**", "Photo above", "PICTURES GALLERY", "Recitation of Holy Quran", "^{"):
        assert damage not in text, damage
    for repaired in ("seven-plus", "security-dominated", "capacity-building", "resource-constrained"):
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
