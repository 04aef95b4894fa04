"""Reading one brief file: each front-matter rule with the whole message an editor reads (file, line,
what is wrong, what to do), and the body split into exactly the headings, passages and notes it holds.

tests/test_front_matter.py runs the rules through load_corpus and follows the fields into the built book;
this file reads small briefs directly.
"""

from __future__ import annotations

import datetime as dt

import pytest

from handbook import briefs
from handbook.briefs import Block, derived_label, load_briefs, read_brief, visible_text
from handbook.problems import DataError

FRONT = ('---\nid: test-2025\ntitle: "A Test Brief"\nauthors: ["A. Author", "B. Author"]\n'
         'institution: "Test Institute"\ndate: 2025-03\nperspective: Pakistani\n---\n')
BODY = "\nOne paragraph.\n"
LINES = {"id": 2, "title": 3, "authors": 4, "institution": 5, "date": 6, "perspective": 7}


def write(tmp_path, text, name="test-2025.md"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def problems(path) -> list[str]:
    with pytest.raises(DataError) as caught:
        read_brief(path)
    assert str(caught.value) == "\n".join(map(str, caught.value.problems))
    return [str(problem) for problem in caught.value.problems]


def refused(tmp_path, old: str, new: str, name="test-2025.md") -> list[str]:
    assert old in FRONT, old
    return problems(write(tmp_path, FRONT.replace(old, new, 1) + BODY, name))


# -- front matter -----------------------------------------------------------------------------------

def test_a_good_brief_is_read_as_written(tmp_path):
    extra = ('short: "TI 2025"\neditors: ["E. Editor"]\nkind: "Policy brief"\nurl: "https://example.org/b"\n'
             'source: "x.txt"\nadded: 2025-04-02\n')
    brief = read_brief(write(tmp_path, FRONT.replace("---\n\n", "").replace("perspective: Pakistani\n",
                                                                          "perspective: Pakistani\n" + extra) + BODY))
    assert (brief.id, brief.title, brief.authors, brief.institution, brief.date, brief.perspective) == (
        "test-2025", "A Test Brief", ["A. Author", "B. Author"], "Test Institute", "2025-03", "Pakistani")
    assert (brief.short, brief.editors, brief.kind, brief.url, brief.source, brief.added) == (
        "TI 2025", ["E. Editor"], "Policy brief", "https://example.org/b", "x.txt", "2025-04-02")
    assert (brief.label, brief.label_origin) == ("TI 2025", "set by 'short'")


def test_optional_fields_default_to_nothing(tmp_path):
    brief = read_brief(write(tmp_path, FRONT + BODY))
    assert (brief.short, brief.editors, brief.kind, brief.url, brief.source, brief.added) == ("", [], "", "", "", "")
    assert brief.label_origin == "derived from the institution and year; set 'short' to change it"


@pytest.mark.parametrize("field", list(LINES))
def test_a_required_field_missing_is_reported_at_line_1(field, tmp_path):
    line = next(line for line in FRONT.split("\n") if line.startswith(field + ":"))
    found = refused(tmp_path, line + "\n", "")
    path = tmp_path / "test-2025.md"
    assert f"{path}:1: required field '{field}' is missing or empty. " \
           f"To fix: add a line '{field}: ...' to the front matter, with a value." in found


@pytest.mark.parametrize("value", ['""', "'  '", "", "~"])
def test_a_required_field_empty_is_reported_at_its_line(value, tmp_path):
    path = tmp_path / "test-2025.md"
    assert refused(tmp_path, 'institution: "Test Institute"', f"institution: {value}") == [
        f"{path}:5: required field 'institution' is missing or empty. "
        "To fix: add a line 'institution: ...' to the front matter, with a value."]


def test_an_unknown_field_is_reported_with_the_fields_there_are(tmp_path):
    path = tmp_path / "test-2025.md"
    assert refused(tmp_path, "perspective: Pakistani\n", "perspective: Pakistani\ntags: [a]\n") == [
        f"{path}:8: unknown field 'tags'. To fix: remove it or rename it to one of: id, title, authors, institution, "
        "date, perspective, short, editors, kind, url, source, added."]


@pytest.mark.parametrize("bad", ["Test-2025", "test_2025", "test--2025", "-test-2025", "test-2025-", "test 2025"])
def test_an_id_must_be_lower_case_words_and_single_hyphens(bad, tmp_path):
    path = tmp_path / f"{bad}.md"
    assert refused(tmp_path, "id: test-2025", f"id: '{bad}'", name=f"{bad}.md") == [
        f"{path}:2: id {bad!r} is not valid. To fix: use lowercase letters, digits and single hyphens, e.g. 'mei-2024'."]


def test_an_id_that_is_not_text_is_not_valid(tmp_path):
    path = tmp_path / "test-2025.md"
    assert refused(tmp_path, "id: test-2025", "id: 2025") == [
        f"{path}:2: id 2025 is not valid. To fix: use lowercase letters, digits and single hyphens, e.g. 'mei-2024'."]


def test_an_id_may_have_60_characters_and_no_more(tmp_path):
    fits = "a" * 60
    assert read_brief(write(tmp_path, FRONT.replace("test-2025", fits) + BODY, f"{fits}.md")).id == fits
    long = "a" * 61
    path = tmp_path / f"{long}.md"
    assert refused(tmp_path, "id: test-2025", f"id: {long}", name=f"{long}.md") == [
        f"{path}:2: id is 61 characters long, more than 60. To fix: shorten it."]


def test_an_id_must_be_the_file_name(tmp_path):
    path = tmp_path / "other-2025.md"
    assert refused(tmp_path, "id: test-2025", "id: test-2025", name="other-2025.md") == [
        f"{path}:2: id 'test-2025' does not match the file name 'other-2025.md'. "
        "To fix: rename the file to 'test-2025.md' or set 'id: other-2025'."]


@pytest.mark.parametrize("field, value", [("authors", '"A. Author"'), ("authors", "[1, 2]"), ("editors", "{a: b}"),
                                          ("editors", '["E.", 3]')])
def test_names_must_be_a_list_of_text(field, value, tmp_path):
    path = tmp_path / "test-2025.md"
    text = FRONT.replace('authors: ["A. Author", "B. Author"]', f"{field}: {value}" if field == "authors" else
                         f'authors: ["A. Author", "B. Author"]\n{field}: {value}')
    line = 4 if field == "authors" else 5
    assert f"{path}:{line}: '{field}' is not a list of names. To fix: write e.g. '{field}: " \
           f"[\"First Author\", \"Second Author\"]' or '[]'." in problems(write(tmp_path, text + BODY))


def test_an_empty_name_is_reported(tmp_path):
    path = tmp_path / "test-2025.md"
    assert refused(tmp_path, '["A. Author", "B. Author"]', '["A. Author", "  "]') == [
        f"{path}:4: 'authors' holds an empty name. To fix: remove the empty entry."]


@pytest.mark.parametrize("field", ["title", "institution", "perspective", "short", "kind", "url", "source"])
def test_a_text_field_must_be_text(field, tmp_path):
    path = tmp_path / "test-2025.md"
    text = FRONT.replace("perspective: Pakistani\n", "") + BODY
    text = text.replace("---\n\n", f"{field}: [x]\n---\n\n") if field != "perspective" else text.replace(
        "---\n\n", "perspective: 12\n---\n\n")
    text = text.replace('title: "A Test Brief"\n', "") if field == "title" else text
    text = text.replace('institution: "Test Institute"\n', "") if field == "institution" else text
    text = text if field == "perspective" else text.replace("---\n\n", "perspective: P\n---\n\n")
    found = problems(write(tmp_path, text))
    assert any(problem.endswith(f"'{field}' is not text. To fix: put the value of '{field}' in quotes.")
               and problem.startswith(f"{path}:") for problem in found), found


@pytest.mark.parametrize("value, code", [("A\\x00B", "U+0000"), ("A\\x1fB", "U+001F"), ("A\\x7fB", "U+007F"),
                                         ("A\\x9fB", "U+009F"), ("A\\u2029B", "U+2029"), ("A\\nB", "U+000A")])
def test_a_control_character_in_a_field_is_reported_by_its_code(value, code, tmp_path):
    path = tmp_path / "test-2025.md"
    assert refused(tmp_path, '"B. Author"', f'"{value}"') == [
        f"{path}:4: 'authors' holds the control character {code}. "
        "To fix: remove it: a front-matter value is one line of plain text."]


@pytest.mark.parametrize("field, limit", [("title", 300), ("institution", 200), ("perspective", 40),
                                          ("authors", 120)])
def test_each_field_has_its_length_limit(field, limit, tmp_path):
    path = tmp_path / "test-2025.md"
    old = {"title": '"A Test Brief"', "institution": '"Test Institute"', "perspective": "Pakistani",
           "authors": '"B. Author"'}[field]
    fits = FRONT.replace(old, f'"{"x" * limit}"', 1) + BODY
    read_brief(write(tmp_path, fits))
    assert refused(tmp_path, old, f'"{"x" * (limit + 1)}"') == [
        f"{path}:{LINES[field]}: '{field}' is {limit + 1} characters long, more than {limit}. "
        "To fix: shorten it; the full text belongs in the brief's body."]


def test_a_url_that_is_not_http_is_reported_with_the_fix(tmp_path):
    path = tmp_path / "test-2025.md"
    assert refused(tmp_path, "perspective: Pakistani", "perspective: Pakistani\nurl: 'ftp://example.org/a'") == [
        f"{path}:8: 'url' value 'ftp://example.org/a' is not an absolute http:// or https:// address. "
        "To fix: give the publisher's page as 'https://...' (percent-encode spaces and quotes) or remove the line."]


@pytest.mark.parametrize("value", ["2025-13", "2025-02-30", "2025-3", "25-03", "2025-03-01T10:00", "'2025-03 '",
                                   "March 2025", "202503"])
def test_a_date_is_reported_unless_a_real_year_month_or_day(value, tmp_path):
    path = tmp_path / "test-2025.md"
    shown = {"2025-03-01T10:00": None, "202503": "202503"}.get(value, repr(value.strip("'")))
    [problem] = refused(tmp_path, "date: 2025-03", f"date: {value}")
    assert problem.startswith(f"{path}:6: 'date' value ")
    assert problem.endswith(" is not a date. To fix: write it as YYYY-MM-DD or YYYY-MM, e.g. 2024-01 or 2024-07-11, "
                            "and nothing else.")
    if shown:
        assert f"'date' value {shown} is not a date" in problem


def test_a_date_may_be_a_year_and_month_or_a_day(tmp_path):
    assert read_brief(write(tmp_path, FRONT.replace("2025-03", "2024-02-29") + BODY)).date == "2024-02-29"
    assert read_brief(write(tmp_path, FRONT.replace("2025-03", "'2025-03'") + BODY)).date == "2025-03"


def test_an_empty_added_date_is_no_date(tmp_path):
    text = FRONT.replace("perspective: Pakistani", "perspective: Pakistani\nadded: ''") + BODY
    assert read_brief(write(tmp_path, text)).added == ""


def test_front_matter_that_is_not_fields_is_reported_at_line_2(tmp_path):
    path = write(tmp_path, "---\n- a list\n---\n" + BODY)
    assert problems(path) == [f"{path}:2: the front matter is not a set of 'field: value' lines. "
                              "To fix: write one field per line, e.g. 'title: ...'."]


def test_broken_yaml_is_reported_at_its_line_in_the_file(tmp_path):
    path = write(tmp_path, FRONT.replace('title: "A Test Brief"', 'title: "A Test Brief') + BODY)
    [problem] = problems(path)
    assert problem.startswith(f"{path}:4: not valid YAML")


def test_a_file_without_front_matter_or_never_closing_it_is_reported(tmp_path):
    path = write(tmp_path, "One paragraph.\n")
    assert problems(path) == [f"{path}:1: the file does not start with YAML front matter. To fix: begin the file "
                              "with a line '---', the fields, and another '---'."]
    path = write(tmp_path, FRONT.rstrip("-\n") + "\n" + BODY)
    assert problems(path) == [f"{path}:1: the front matter is never closed. To fix: end the front matter with a line '---'."]


def test_a_brief_with_no_text_is_reported_at_the_line_after_its_front_matter(tmp_path):
    path = write(tmp_path, FRONT + "\n\n")
    assert problems(path) == [f"{path}:9: the brief has no text after its front matter. "
                              "To fix: paste the brief's paragraphs below the closing '---'."]


def test_a_file_not_utf8_is_reported_at_the_line_of_the_bad_byte(tmp_path):
    path = write(tmp_path, (FRONT + "\nOne\n\ncaf").encode() + b"\xe9\n")
    assert problems(path) == [f"{path}:12: the file is not UTF-8 (byte {len((FRONT + chr(10) + 'One' + chr(10) * 2 + 'caf').encode())}). "
                              "To fix: save the file with UTF-8 encoding."]


# -- the body -------------------------------------------------------------------------------------

BODY_TEXT = """
# Title heading

First paragraph runs
on a second line.

- An item
- Another item
  - A nested item

After the list.

1. Numbered
2) Other

<div>raw html</div>

    code block

```
fenced
```

A note here.[^n]

[^n]: The note's text.
"""


def test_the_body_is_split_into_headings_passages_and_notes(tmp_path):
    brief = read_brief(write(tmp_path, FRONT + BODY_TEXT))
    first = 10  # the line of '# Title heading'
    assert [(p.id, p.number, p.kind, p.text, p.line) for p in brief.passages] == [
        ("test-2025-1", 1, "paragraph", "First paragraph runs on a second line.", first + 2),
        ("test-2025-2", 2, "item", "An item", first + 5),
        ("test-2025-3", 3, "item", "Another item", first + 6),
        ("test-2025-4", 4, "item", "A nested item", first + 7),
        ("test-2025-5", 5, "paragraph", "After the list.", first + 9),
        ("test-2025-6", 6, "item", "Numbered", first + 11),
        ("test-2025-7", 7, "item", "Other", first + 12),
        ("test-2025-8", 8, "paragraph", "<div>raw html</div>", first + 14),
        ("test-2025-9", 9, "paragraph", "code block", first + 16),
        ("test-2025-10", 10, "paragraph", "```\nfenced\n```", first + 18),
        ("test-2025-11", 11, "paragraph", "A note here.", first + 22),
    ]
    assert all(p.brief_id == "test-2025" for p in brief.passages)
    assert brief.blocks[0] == Block("heading", "Title heading", 1)
    assert brief.blocks[1:] == [Block(p.kind, p.text, passage_id=p.id) for p in brief.passages]
    assert brief.notes == [("n", "The note's text.")]


def test_heading_levels_and_inline_markup_are_read_as_text(tmp_path):
    body = "\n## *Second* level\n\n### Third `code`\n\nSee [the link](https://example.org) and ![an image](x.png) and **bold**.\n"
    brief = read_brief(write(tmp_path, FRONT + body))
    assert [(b.kind, b.text, b.level) for b in brief.blocks] == [
        ("heading", "Second level", 2), ("heading", "Third code", 3),
        ("paragraph", "See the link and an image and bold.", 0)]


def test_a_hard_break_and_runs_of_spaces_become_one_space(tmp_path):
    brief = read_brief(write(tmp_path, FRONT + "\nOne  \ntwo\\\nthree   four\n"))
    assert brief.passages[0].text == "One two three four"


def test_empty_paragraphs_take_no_number(tmp_path):
    brief = read_brief(write(tmp_path, FRONT + "\nOne.\n\n[^a]\n\n<!-- -->\n\nTwo.\n\n[^a]: Note.\n"))
    assert [(p.number, p.text) for p in brief.passages] == [(1, "One."), (2, "<!-- -->"), (3, "Two.")]


def test_control_characters_in_the_body_are_shown_as_symbols(tmp_path):
    brief = read_brief(write(tmp_path, FRONT + "\n# Bell\x07\n\nEsc\x1b and del\x7f and c1\x80 and tab\tkept.[^a]\n\n"
                                              "[^a]: Nul\x01 note.\n"))
    assert brief.blocks[0].text == "Bell\u2407"
    assert brief.passages[0].text == "Esc\u241b and del\ufffd and c1\ufffd and tab kept."
    assert brief.notes == [("a", "Nul\u2401 note.")]


def test_visible_text_keeps_newlines_and_tabs_and_shows_every_other_control():
    assert visible_text("a\tb\nc") == "a\tb\nc"
    assert visible_text("".join(map(chr, range(0, 9)))) == "".join(chr(0x2400 + n) for n in range(0, 9))
    assert visible_text("\x0b\x0c\x0d\x1f") == "\u240b\u240c\u240d\u241f"
    assert visible_text("\x7f\x80\x9f\xa0") == "\ufffd\ufffd\ufffd\xa0"


# -- dates, labels and the folder ----------------------------------------------------------------------

def test_dates_read_as_a_reader_writes_them(tmp_path):
    month = read_brief(write(tmp_path, FRONT + BODY))
    day = read_brief(write(tmp_path, FRONT.replace("2025-03", "2024-09-06") + BODY))
    assert (month.date_text, month.date_value) == ("March 2025", dt.date(2025, 3, 15))
    assert (day.date_text, day.date_value) == ("6 September 2024", dt.date(2024, 9, 6))
    assert month.author_line == "A. Author, B. Author"
    none = read_brief(write(tmp_path, FRONT.replace('["A. Author", "B. Author"]', "[]") + BODY))
    assert none.author_line == "no author named"


@pytest.mark.parametrize("institution, label", [
    ("Center for Security Studies", "CSS 2025"),
    ("Institute of Strategic Studies Islamabad (ISSI), Centre for Strategic Perspectives", "ISSI 2025"),
    ("Centre (C&S.-1), Lahore", "C&S.-1 2025"),
    ("Wilson Center, with INDUS", "Wilson Center 2025"),
    ("Wilson Center with INDUS", "Wilson Center 2025"),
    ("Stimson", "Stimson 2025"),
    ("Institute for Peace and the Study of War", "IPSW 2025"),
])
def test_a_label_is_derived_from_the_institution_and_year(institution, label):
    assert derived_label(institution, "2025-03") == label


def write_brief(folder, brief_id, date, short=None, institution="Test Institute"):
    text = FRONT.replace("test-2025", brief_id).replace("2025-03", date).replace("Test Institute", institution)
    if short:
        text = text.replace("perspective: Pakistani", f"perspective: Pakistani\nshort: {short}")
    return write(folder, text + BODY, f"{brief_id}.md")


def test_briefs_come_oldest_first_whatever_their_file_names(tmp_path):
    write_brief(tmp_path, "a-2024", "2024-05", short="A")
    write_brief(tmp_path, "b-2019", "2019-02", short="B")
    write_brief(tmp_path, "c-2024", "2024-05-01", short="C")
    write_brief(tmp_path, "d-2024", "2024-05-15", short="D")
    assert [brief.id for brief in load_briefs(tmp_path)] == ["b-2019", "c-2024", "a-2024", "d-2024"]


def test_every_problem_in_every_file_is_reported_at_once(tmp_path):
    write(tmp_path, "no front matter\n", "x-2020.md")
    write(tmp_path, FRONT.replace("2025-03", "soon") + BODY, "test-2025.md")
    with pytest.raises(DataError) as caught:
        load_briefs(tmp_path)
    assert [(p.path.name, p.line) for p in caught.value.problems] == [("test-2025.md", 6), ("x-2020.md", 1)]


def test_an_empty_folder_is_reported(tmp_path):
    with pytest.raises(DataError) as caught:
        load_briefs(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path}: there are no briefs. To fix: add a file <id>.md to this folder."]


def test_two_files_with_one_id_are_reported_at_the_second(tmp_path):
    write_brief(tmp_path, "a-2024", "2024-05", short="A")
    write(tmp_path, FRONT.replace("test-2025", "a-2024").replace("perspective: Pakistani", "perspective: P\nshort: B")
          + BODY, "b-2024.md")
    with pytest.raises(DataError) as caught:
        load_briefs(tmp_path)
    messages = [str(p) for p in caught.value.problems]
    assert f"{tmp_path / 'b-2024.md'}:2: duplicate id 'a-2024', already used by a-2024.md. " \
           "To fix: give each brief its own id, equal to its file name." in messages


def test_two_briefs_under_one_label_are_reported_at_the_second(tmp_path):
    write_brief(tmp_path, "a-2024", "2024-05")
    write_brief(tmp_path, "b-2024", "2024-06", short="test institute 2024")
    with pytest.raises(DataError) as caught:
        load_briefs(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'b-2024.md'}:8: label 'test institute 2024' (set by 'short') is already the label of a-2024.md. "
        "To fix: give one of them its own label, e.g. 'short: test institute 2024b'."]
    write_brief(tmp_path, "b-2024", "2024-06")
    with pytest.raises(DataError) as caught:
        load_briefs(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'b-2024.md'}:1: label 'Test Institute 2024' (derived from the institution and year; set 'short' "
        "to change it) is already the label of a-2024.md. To fix: give one of them its own label, e.g. "
        "'short: Test Institute 2024b'."]


def test_a_brief_readable_only_in_part_has_no_declared_id(tmp_path):
    assert briefs._declared_id(write(tmp_path, "---\n- x\n---\n", "a.md")) is None
    assert briefs._declared_id(write(tmp_path, "no front\n", "b.md")) is None
    assert briefs._declared_id(write(tmp_path, "---\nid: [\n---\n", "c.md")) is None


def test_a_windows_file_reads_exactly_like_its_twin_html_and_code_blocks_included(tmp_path):
    plain = read_brief(write(tmp_path, FRONT + BODY_TEXT))
    windows = read_brief(write(tmp_path, (FRONT + BODY_TEXT).replace("\n", "\r\n")))
    assert [(p.text, p.line, p.kind) for p in windows.passages] == [(p.text, p.line, p.kind) for p in plain.passages]
    assert windows.notes == plain.notes
