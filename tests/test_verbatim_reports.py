"""What the verbatim checker tells an editor: every problem names the file and line to open, says what is
wrong in words that point at the text, and says what to do. data/omitted.yml is checked as strictly as the
briefs it excuses, and the originals are looked for where the project keeps them.

tests/test_corpus.py makes the edits themselves; this file pins down what each report says.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook import verbatim
from handbook.briefs import read_brief
from handbook.problems import DataError
from tests.conftest import ROOT

OMITTED = ROOT / "data" / "omitted.yml"
FORMED = ("give it a 'reason:' and either 'lines:' (a list of the original's lines) "
          "or 'from:' and 'to:' (the first and last line of a block)")


def omissions_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "omitted.yml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        verbatim.load_omissions(path)
    assert str(caught.value) == "\n".join(str(problem) for problem in caught.value.problems)
    return [str(problem) for problem in caught.value.problems]


def synthetic(tmp_path: Path, body: str, source: str = "zz.txt"):
    path = tmp_path / "zz-2030.md"
    path.write_text("---\nid: zz-2030\ntitle: T\nauthors: []\ninstitution: I\ndate: 2030-01\nperspective: P\n"
                    f"source: {source}\n---\n\n" + body, encoding="utf-8")
    return read_brief(path)


# -- data/omitted.yml ----------------------------------------------------------------------------------

def test_no_omissions_file_and_an_empty_one_excuse_nothing(tmp_path):
    assert verbatim.load_omissions(tmp_path / "absent.yml") == {}
    assert verbatim.load_omissions(omissions_file(tmp_path, "# nothing left out yet\n")) == {}


def test_a_file_that_is_not_a_mapping_is_reported_at_line_1(tmp_path):
    path = omissions_file(tmp_path, "- mei-2024\n- uol-2020\n")
    assert refused(path) == [
        f"{path}:1: the file is not a mapping from brief ids to lists of omissions. "
        "To fix: write 'brief-id:' followed by a list of '- reason: ...' entries."]


def test_a_brief_whose_omissions_are_not_a_list_is_reported_at_its_key(tmp_path):
    path = omissions_file(tmp_path, "# first\n\nmei-2024: all the captions\n")
    assert refused(path) == [
        f"{path}:3: 'mei-2024' is not a list of omissions. "
        "To fix: give each omission as '- reason: ...' with 'lines:' or 'from:' and 'to:'."]


@pytest.mark.parametrize("entry", [
    '"a line"',  # not a mapping
    'reason: ""\n    lines: ["a"]',  # empty reason
    'reason: "   "\n    lines: ["a"]',  # blank reason
    'reason: 12\n    lines: ["a"]',  # a number is not a reason
    'reason: "r"\n    lines: "a"',  # lines not a list
    'reason: "r"\n    lines: ["a", ""]',  # an empty line
    'reason: "r"\n    lines: ["a", 3]',  # a number is not a line
    'reason: "r"\n    from: ""\n    to: "b"',  # block without a first line
    'reason: "r"\n    from: "a"\n    to: " "',  # block without a last line
    'reason: "r"\n    to: "b"',  # to without from
])
def test_a_malformed_omission_is_reported_with_its_line_and_the_fix(entry, tmp_path):
    path = omissions_file(tmp_path, f"uol-2020:\n  - reason: \"fine\"\n    lines: [\"x\"]\nmei-2024:\n  - {entry}\n")
    assert refused(path) == [f"{path}:5: an omission of 'mei-2024' is not well formed. To fix: {FORMED}."]


def test_every_problem_of_the_file_is_reported_at_once(tmp_path):
    path = omissions_file(tmp_path, 'mei-2024:\n  - reason: ""\n    lines: ["a"]\n  - "b"\nuol-2020: 3\n')
    assert [problem.split(": ", 1)[0] for problem in refused(path)] == [f"{path}:2", f"{path}:4", f"{path}:5"]


@pytest.mark.parametrize("text, line", [
    ('mei-2024:\n  - reason: "a"\n    lines: ["x"]\nmei-2024:\n  - reason: "b"\n    lines: ["y"]\n', 4),
    ('mei-2024:\n  - reason: "a\n', 3),
])
def test_a_key_given_twice_or_broken_yaml_is_reported_at_its_line(text, line, tmp_path):
    path = omissions_file(tmp_path, text)
    [problem] = refused(path)
    assert problem.startswith(f"{path}:{line}: not valid YAML")


def test_well_formed_omissions_keep_their_reason_and_lines(tmp_path):
    path = omissions_file(tmp_path, 'mei-2024:\n  - reason: " captions "\n    lines:\n      - " Photo above: … "\n'
                                    '      - "Photo below"\n  - reason: "programme"\n    from: " ## Programme "\n'
                                    '    to: "1045 hrs"\n')
    [lines, block] = verbatim.load_omissions(path)["mei-2024"]
    assert (lines.reason, lines.line, lines.lines) == ("captions", 2, (("Photo above: …", 4), ("Photo below", 5)))
    assert (block.reason, block.line, block.first, block.last) == ("programme", 6, "## Programme", "1045 hrs")


# -- what compare reports -------------------------------------------------------------------------------

ORIGINAL = "# Heading\n\nThe first paragraph goes on\n\n¹ A note.\n\nto its end.\n\nA sevenplus decade ties.\n"


def test_a_block_named_in_omitted_yml_that_the_original_lacks_is_reported(tmp_path):
    brief = synthetic(tmp_path, "## Heading\n\nThe first paragraph goes on to its end.\n\nA seven-plus decade ties.\n")
    path = omissions_file(tmp_path, 'zz-2030:\n  - reason: "r"\n    from: "# Heading"\n    to: "No such line"\n')
    problems = verbatim.compare(brief, ORIGINAL, verbatim.load_omissions(path)["zz-2030"], path)
    assert [str(problem) for problem in problems] == [
        f"{path}:2: the block from “# Heading” to “No such line” is not in the original. "
        "To fix: copy its first and last lines exactly as the original has them."]


def test_a_block_is_left_out_from_its_first_line_through_its_last(tmp_path):
    brief = synthetic(tmp_path, "A seven-plus decade ties.\n")
    path = omissions_file(tmp_path, 'zz-2030:\n  - reason: "r"\n    from: "# Heading"\n    to: "to its end."\n')
    assert verbatim.compare(brief, ORIGINAL, verbatim.load_omissions(path)["zz-2030"], path) == []


def test_a_block_starts_at_the_first_line_matching_its_start(tmp_path):
    original = "Intro.\n\nTable\n\nRow one\n\nEnd\n\nMiddle words.\n\nTable\n\nRow two\n\nEnd\n"
    brief = synthetic(tmp_path, "Intro.\n\nMiddle words.\n\nTable\n\nRow two\n\nEnd\n")
    path = omissions_file(tmp_path, 'zz-2030:\n  - reason: "r"\n    from: "Table"\n    to: "End"\n')
    assert verbatim.compare(brief, original, verbatim.load_omissions(path)["zz-2030"], path) == []


def test_a_prefix_entry_leaves_out_every_line_that_starts_with_it(tmp_path):
    original = "Text.\n\nPhoto above: one.\n\nMore text.\n\n  Photo above: two.\n"
    brief = synthetic(tmp_path, "Text.\n\nMore text.\n")
    path = omissions_file(tmp_path, 'zz-2030:\n  - reason: "captions"\n    lines: ["Photo above …"]\n')
    assert verbatim.compare(brief, original, verbatim.load_omissions(path)["zz-2030"], path) == []
    exact = omissions_file(tmp_path, 'zz-2030:\n  - reason: "captions"\n    lines: ["Photo above: one"]\n')
    [problem, *lost] = verbatim.compare(brief, original, verbatim.load_omissions(exact)["zz-2030"], exact)
    assert problem.line == 3 and "the line “Photo above: one” is not in the original" in problem.message
    assert ["“Photo above: one.” (zz.txt line 3)" in lost[0].message,
            "“Photo above: two.” (zz.txt line 7)" in lost[1].message] == [True, True]


def test_an_original_with_windows_line_ends_compares_line_by_line(tmp_path):
    original = "A first line\r\nPhoto above: x.\r\nand the rest.\r\n"
    brief = synthetic(tmp_path, "A first line and the rest.\n")
    path = omissions_file(tmp_path, 'zz-2030:\n  - reason: "caption"\n    lines: ["Photo above: x."]\n')
    assert verbatim.compare(brief, original, verbatim.load_omissions(path)["zz-2030"], path) == []


@pytest.mark.parametrize("original, copy, message", [
    ("A seven-plus tie.\n", "A sevenplus tie.\n",
     "passage zz-2030-1: the original (zz.txt line 1) has “seven-plus”, the brief has “sevenplus”"),
    ("One.\n\nTwo words here.\n", "One.\n\nTwo wards here.\n",
     "passage zz-2030-2: the original (zz.txt line 3) has “words”, the brief has “wards”"),
    ("One.\n\nTwo words here.\n", "One.\n\nTwo new words here.\n",
     "passage zz-2030-2: the brief adds “new”, which the original (zz.txt near line 3) does not have"),
    ("One.\n\nTwo words here.\n", "One.\n\nTwo here.\n",
     "passage zz-2030-2: the original's “words” (zz.txt line 3) is missing from the brief"),
    ("One.\n\nTwo words here.\n", "One.\n\nTwo words\n",
     "passage zz-2030-2: the original's “here.” (zz.txt line 3) is missing from the brief"),
])
def test_each_difference_names_the_passage_the_original_line_and_both_texts(original, copy, message, tmp_path):
    brief = synthetic(tmp_path, copy)
    [problem] = verbatim.compare(brief, original, [], OMITTED)
    assert problem.path == brief.path and problem.line == brief.passages[-1].line
    assert str(problem) == f"{brief.path}:{problem.line}: {message}. To fix: {verbatim._FIX}."


def test_a_lost_ending_of_a_line_is_blamed_on_the_passage_that_holds_the_line(tmp_path):
    brief = synthetic(tmp_path, "One two\n\nfour five.\n")
    [problem] = verbatim.compare(brief, "One two three\nfour five.\n", [], OMITTED)
    assert problem.message == "passage zz-2030-1: the original's “three” (zz.txt line 1) is missing from the brief"
    assert problem.line == brief.passages[0].line


def test_words_lost_after_the_last_passage_are_blamed_on_it(tmp_path):
    brief = synthetic(tmp_path, "One.\n\nTwo.\n")
    [problem] = verbatim.compare(brief, "One.\n\nTwo.\n\nThree and four.\n", [], OMITTED)
    assert problem.message == ("passage zz-2030-2: the original's “Three and four.” (zz.txt line 5) "
                               "is missing from the brief")


def test_a_long_stretch_is_shortened_in_the_message(tmp_path):
    lost = " ".join(f"word{n}" for n in range(40))
    brief = synthetic(tmp_path, "Kept.\n")
    [problem] = verbatim.compare(brief, f"Kept.\n\n{lost}\n", [], OMITTED)
    quoted = problem.message.split("“")[1].split("”")[0]
    assert len(quoted) == 90 and quoted.endswith("…") and lost.startswith(quoted[:-1])


def test_the_fix_points_at_the_allowed_repairs_and_at_omitted_yml():
    assert "../shared/seeds/README.md" in verbatim._FIX and "data/omitted.yml" in verbatim._FIX


# -- finding the originals --------------------------------------------------------------------------

def test_a_brief_without_source_has_nothing_to_compare(tmp_path):
    path = tmp_path / "zz-2030.md"
    path.write_text("---\nid: zz-2030\ntitle: T\nauthors: []\ninstitution: I\ndate: 2030-01\nperspective: P\n---\n\n"
                    "Anything at all.\n", encoding="utf-8")
    assert verbatim.check_brief(read_brief(path), tmp_path, {}, OMITTED) == []


def test_a_missing_original_is_reported_naming_the_file_and_the_folder(tmp_path):
    brief = synthetic(tmp_path, "Words.\n", source="gone.txt")
    folder = tmp_path / "seeds"
    folder.mkdir()
    assert [str(problem) for problem in verbatim.check_brief(brief, folder, {}, OMITTED)] == [
        f"{brief.path}: its original 'gone.txt' is not in {folder}. "
        "To fix: name the original's file in 'source:', or put the original in that folder."]


def test_check_brief_reads_the_original_and_applies_that_briefs_omissions(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "zz.txt").write_text("Kept.\n\nPhoto above: x.\n", encoding="utf-8")
    brief = synthetic(tmp_path, "Kept.\n")
    path = omissions_file(tmp_path, 'zz-2030:\n  - reason: "caption"\n    lines: ["Photo above: x."]\n'
                                    'other-2020:\n  - reason: "r"\n    lines: ["Kept."]\n')
    omissions = verbatim.load_omissions(path)
    assert verbatim.check_brief(brief, folder, omissions, path) == []
    [problem] = verbatim.check_brief(brief, folder, {"other-2020": omissions["other-2020"]}, path)
    assert "“Photo above: x.” (zz.txt line 3) is missing" in problem.message


def test_originals_are_in_shared_seeds_beside_the_project_unless_set(tmp_path, monkeypatch):
    monkeypatch.delenv("HANDBOOK_ORIGINALS", raising=False)
    project = tmp_path / "book"
    assert verbatim.originals_dir(project) == tmp_path / "shared" / "seeds"
    (project / "data").mkdir(parents=True)
    (project / "_config.yml").write_text("title: T\n", encoding="utf-8")
    monkeypatch.setenv("HANDBOOK_ROOT", str(project / "data"))
    assert verbatim.originals_dir() == tmp_path / "shared" / "seeds"
    monkeypatch.setenv("HANDBOOK_ORIGINALS", str(tmp_path / "elsewhere"))
    assert verbatim.originals_dir(project) == tmp_path / "elsewhere"


def test_a_prefix_entry_matches_its_exact_start_and_nothing_shorter(tmp_path):
    original = "Text.\n\nPhoto above: one.\n\nPhoto above the fold is text.\n"
    brief = synthetic(tmp_path, "Text.\n")
    path = omissions_file(tmp_path, 'zz-2030:\n  - reason: "captions"\n    lines: ["Photo above:…"]\n')
    [problem] = verbatim.compare(brief, original, verbatim.load_omissions(path)["zz-2030"], path)
    assert "the original's “Photo above the fold is text.” (zz.txt line 5) is missing" in problem.message


def test_a_brief_whose_omissions_are_not_a_list_does_not_hide_the_next_briefs_problems(tmp_path):
    path = omissions_file(tmp_path, 'mei-2024: 3\nuol-2020:\n  - reason: ""\n    lines: ["a"]\n')
    assert [problem.split(": ", 1)[0] for problem in refused(path)] == [f"{path}:1", f"{path}:3"]


def test_a_block_ends_at_the_first_match_of_its_last_line_after_its_start(tmp_path):
    original = "End of the intro.\nTable\nRow one\nEnd of the intro.\nThe next line is kept.\n"
    brief = synthetic(tmp_path, "End of the intro. The next line is kept.\n")
    path = omissions_file(tmp_path, 'zz-2030:\n  - reason: "r"\n    from: "Table"\n    to: "End of the intro."\n')
    assert verbatim.compare(brief, original, verbatim.load_omissions(path)["zz-2030"], path) == []


def test_a_quote_may_run_across_a_line_break_of_its_passage():
    # HTML blocks and code in a brief are kept as written, line breaks and all (handbook/briefs.py).
    assert verbatim.quote_mismatch("first line second", "<p>first line\n  second line</p>") is None


# Which passage a difference is reported at: the one an editor must open to repair it.

def test_a_lost_paragraph_is_reported_at_the_passage_that_follows_it(tmp_path):
    brief = synthetic(tmp_path, "One.\n\nThree.\n")
    [problem] = verbatim.compare(brief, "One.\n\nTwo lost.\n\nThree.\n", [], OMITTED)
    assert problem.message == "passage zz-2030-2: the original's “Two lost.” (zz.txt line 3) is missing from the brief"
    assert problem.line == brief.passages[1].line


def test_lost_words_at_the_start_are_reported_at_the_first_passage(tmp_path):
    brief = synthetic(tmp_path, "Kept one.\n\nKept two.\n")
    [problem] = verbatim.compare(brief, "Lost start. Kept one. Kept two.\n", [], OMITTED)
    assert problem.message == ("passage zz-2030-1: the original's “Lost start.” (zz.txt line 1) "
                               "is missing from the brief")


def test_words_lost_from_a_line_after_a_one_word_passage_are_blamed_on_that_passage(tmp_path):
    brief = synthetic(tmp_path, "One\n\nfour five.\n")
    [problem] = verbatim.compare(brief, "One three\nfour five.\n", [], OMITTED)
    assert problem.message == "passage zz-2030-1: the original's “three” (zz.txt line 1) is missing from the brief"


def test_words_added_after_the_originals_end_name_its_last_line(tmp_path):
    brief = synthetic(tmp_path, "One.\n\nTwo.\n\nThree.\n\nExtra words.\n")
    [problem] = verbatim.compare(brief, "One.\n\nTwo.\n\nThree.\n", [], OMITTED)
    assert problem.message == ("passage zz-2030-4: the brief adds “Extra words.”, which the original "
                               "(zz.txt near line 5) does not have")
    [empty] = verbatim.compare(synthetic(tmp_path, "Words.\n"), "", [], OMITTED)
    assert empty.message == "passage zz-2030-1: the brief adds “Words.”, which the original (zz.txt near line 1) does not have"


def test_a_heading_the_original_lacks_after_the_last_passage_is_reported_there(tmp_path):
    brief = synthetic(tmp_path, "One.\n\nTwo.\n\nThree.\n\n## Added heading\n")
    [problem] = verbatim.compare(brief, "One.\n\nTwo.\n\nThree.\n", [], OMITTED)
    assert problem.message.startswith("passage zz-2030-3: the brief adds “Added heading”")
    assert problem.line == brief.passages[2].line


@pytest.mark.parametrize("lost, shown", [
    ("y" * 90, "y" * 90),  # 90 characters fit
    ("x" * 88 + " and more words", "x" * 88 + "…"),  # cut at a space: no space before the ellipsis
])
def test_a_stretch_is_shown_whole_up_to_90_characters_then_cut_at_a_word(lost, shown, tmp_path):
    brief = synthetic(tmp_path, "Kept.\n")
    [problem] = verbatim.compare(brief, f"Kept.\n\n{lost}\n", [], OMITTED)
    assert problem.message.split("“")[1].split("”")[0] == shown


def test_a_quote_may_start_at_punctuation_inside_a_word():
    assert verbatim.quote_mismatch("’s important partner", "It is Pakistan’s important partner.") is None


def test_a_quote_may_end_at_punctuation_inside_a_word():
    assert verbatim.quote_mismatch("It is Pakistan’", "It is Pakistan’s important partner.") is None


PASSAGE = "Pakistan should keep ties with both sides, and the U.S. should not press it to choose."


@pytest.mark.parametrize("quote, reason", [
    ("…", "the quote has no words"),
    ("both sides … … choose", "the quote has two ellipses with no words between them"),
    ("keep ties with China", "“keep ties with China” is not in the passage"),
    ("the U.S. should not … keep ties", "“keep ties” is not in the passage after the words quoted before it"),
])
def test_each_reason_a_quote_is_refused_is_said_in_full(quote, reason):
    assert verbatim.quote_mismatch(quote, PASSAGE) == reason
    assert not verbatim.in_passage(quote, PASSAGE)
