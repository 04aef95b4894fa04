"""Each rule of the stance schemes (data/questions/) and of the coding (data/positions/), on small files
written here: a broken rule is reported with the file, the line an editor must open, what is wrong and
what to do; every problem of a file at once; and a good file is read into exactly what it says.

tests/test_positions.py breaks the real coding; this file pins each message and each line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.positions import (NOT_YET_CODED, Held, Position, Suggestion, check_quotes, load_coding,
                                load_positions, load_scheme)
from handbook.problems import DataError

STANCE = "      - id: {id}\n        label: \"{label}\"\n        definition: \"d\"\n        include: \"i\"\n"
SCHEME = ("theme: china\nquestions:\n"
          "  - id: china-choose\n    question: \" Which side? \"\n    scale: ordinal\n    stances:\n"
          + STANCE.format(id="lean-us", label="Lean U.S.") + STANCE.format(id="balance", label="Both")
          + STANCE.format(id="lean-china", label="Lean China")
          + "  - id: china-aid\n    question: \"Aid?\"\n    scale: nominal\n    stances:\n"
          + STANCE.format(id="more", label="More") + STANCE.format(id="less", label="Less"))
# line of each key in SCHEME
QUESTION_2, STANCE_2 = 19, 11


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def scheme_problems(path: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_scheme(path)
    return [str(problem) for problem in caught.value.problems]


@pytest.fixture
def questions(tmp_path):
    return {q.id: q for q in load_scheme(write(tmp_path, "questions/china.yml", SCHEME))}


# -- the scheme -------------------------------------------------------------------------------------

def test_a_good_scheme_is_read_as_written(tmp_path):
    [choose, aid] = load_scheme(write(tmp_path, "china.yml", SCHEME))
    assert (choose.id, choose.theme, choose.text, choose.scale, choose.line) == (
        "china-choose", "china", "Which side?", "ordinal", 3)
    assert list(choose.stances) == ["lean-us", "balance", "lean-china"]
    assert [(s.id, s.label, s.definition, s.include) for s in aid.stances.values()] == [
        ("more", "More", "d", "i"), ("less", "Less", "d", "i")]
    assert aid.line == QUESTION_2


def test_a_scheme_without_theme_takes_the_file_name(tmp_path):
    [choose, _] = load_scheme(write(tmp_path, "china.yml", SCHEME.replace("theme: china\n", "")))
    assert choose.theme == "china"


@pytest.mark.parametrize("text", ["", "questions: []\n", "questions: yes\n", "- a\n", "theme: china\n"])
def test_a_scheme_without_questions_is_reported_at_line_1(text, tmp_path):
    path = write(tmp_path, "china.yml", text)
    assert scheme_problems(path) == [
        f"{path}:1: no 'questions' list. To fix: list the theme's key questions under 'questions:' "
        "(see data/questions/README.md)."]


def test_a_scheme_for_another_theme_is_reported_at_its_theme_line(tmp_path):
    path = write(tmp_path, "china.yml", "# a scheme\n" + SCHEME.replace("theme: china", "theme: india"))
    assert scheme_problems(path) == [
        f"{path}:2: 'theme: india' does not match the file name. To fix: write 'theme: china' or rename the file."]


def test_broken_yaml_in_a_scheme_is_reported_at_its_line(tmp_path):
    path = write(tmp_path, "china.yml", SCHEME.replace('question: "Aid?"', 'question: "Aid?'))
    [problem] = scheme_problems(path)
    assert problem.startswith(f"{path}:24: not valid YAML: expected <block end>")  # where the quote's text ends


def one_problem(tmp_path, old: str, new: str) -> str:
    assert old in SCHEME, old
    [problem] = scheme_problems(write(tmp_path, "china.yml", SCHEME.replace(old, new, 1)))
    return problem


@pytest.mark.parametrize("old, new, missing", [
    ("  - id: china-aid\n", "  - id: ''\n", "id"),
    ('question: "Aid?"', 'question: ""', "question"),
    ("    scale: nominal\n", "", "scale"),
    ("    question: \"Aid?\"\n    scale: nominal\n    stances:\n" + STANCE.format(id="more", label="More") + STANCE.format(id="less", label="Less"),
     "    question: \"Aid?\"\n", "scale, stances"),
])
def test_a_question_lacking_a_key_is_reported_at_the_question(old, new, missing, tmp_path):
    path = tmp_path / "china.yml"
    assert one_problem(tmp_path, old, new) == (
        f"{path}:{QUESTION_2}: a question lacks {missing}. "
        "To fix: give each question an id, its text, a scale and its stances.")


def test_a_question_lacking_several_keys_names_them_all(tmp_path):
    path = write(tmp_path, "china.yml", "questions:\n  - id: china-x\n")
    assert scheme_problems(path) == [f"{path}:2: a question lacks question, scale, stances. "
                                     "To fix: give each question an id, its text, a scale and its stances."]


def test_a_question_that_is_not_a_mapping_is_reported(tmp_path):
    path = write(tmp_path, "china.yml", SCHEME + "  - just words\n")
    assert scheme_problems(path) == [
        f"{path}: a question is not a mapping. To fix: give each question id, question, scale and stances."]


@pytest.mark.parametrize("qid", ["china-Choose", "india-choose", "chinachoose", "china-", "china--x", "china-x y"])
def test_a_question_id_must_be_the_theme_and_lower_case_words(qid, tmp_path):
    path = tmp_path / "china.yml"
    assert one_problem(tmp_path, "id: china-aid", f"id: '{qid}'") == (
        f"{path}:{QUESTION_2}: question id '{qid}' is not 'china-' and lower-case words. "
        "To fix: name it like 'china-choose': lower-case letters, digits and hyphens.")


def test_an_unknown_scale_is_reported_at_its_line(tmp_path):
    path = tmp_path / "china.yml"
    assert one_problem(tmp_path, "scale: nominal", "scale: interval") == (
        f"{path}:{QUESTION_2 + 2}: question 'china-aid': unknown scale 'interval'. "
        "To fix: use 'ordinal' (stances listed in order) or 'nominal'.")


@pytest.mark.parametrize("count", [1, 6])
def test_a_question_has_two_to_five_stances(count, tmp_path):
    stances = "".join(STANCE.format(id=f"s{n}", label="L") for n in range(count))
    text = SCHEME.split("  - id: china-aid")[0] + "  - id: china-aid\n    question: \"Aid?\"\n    scale: nominal\n" \
        "    stances:\n" + stances
    path = write(tmp_path, "china.yml", text)
    assert scheme_problems(path) == [f"{path}:{QUESTION_2 + 3}: question 'china-aid' has {count} stances. "
                                     "To fix: give each question 2 to 5 stances."]


def test_two_and_five_stances_are_allowed(tmp_path):
    five = "".join(STANCE.format(id=f"s{n}", label="L") for n in range(5))
    text = SCHEME.split("      - id: more")[0] + five
    assert [len(q.stances) for q in load_scheme(write(tmp_path, "china.yml", text))] == [3, 5]


def test_stances_that_are_not_a_list_count_as_none(tmp_path):
    text = SCHEME.split("    stances:\n      - id: more")[0] + "    stances: many\n"
    path = write(tmp_path, "china.yml", text)
    assert scheme_problems(path) == [f"{path}:{QUESTION_2 + 3}: question 'china-aid' has 0 stances. "
                                     "To fix: give each question 2 to 5 stances."]


@pytest.mark.parametrize("key", ["id", "label", "definition", "include"])
def test_a_stance_lacking_a_field_is_reported_at_the_stance(key, tmp_path):
    lines = SCHEME.split("\n")
    index = next(i for i in range(STANCE_2 - 1, len(lines)) if lines[i].strip().lstrip("- ").startswith(key + ":"))
    prefix = lines[index].split(key + ":")[0]
    lines[index] = f"{prefix}{key}: '  '"
    path = write(tmp_path, "china.yml", "\n".join(lines))
    assert scheme_problems(path) == [
        f"{path}:{STANCE_2}: question 'china-choose': a stance lacks id, label, definition or include. "
        "To fix: give every stance all four, each a line of text."]


def test_a_stance_that_is_not_a_mapping_is_reported_at_its_question(tmp_path):
    text = SCHEME.replace("    stances:\n      - id: more", "    stances:\n      - more words\n      - id: more")
    path = write(tmp_path, "china.yml", text)
    assert scheme_problems(path) == [
        f"{path}:{QUESTION_2}: question 'china-aid': a stance lacks id, label, definition or include. "
        "To fix: give every stance all four, each a line of text."]


@pytest.mark.parametrize("sid", ["Lean-US", "lean us", "-lean", "coded", "not-addressed", "not-applicable",
                                 "suggested", "not-yet-coded"])
def test_a_stance_id_must_be_a_slug_and_no_status(sid, tmp_path):
    path = tmp_path / "china.yml"
    assert one_problem(tmp_path, "id: balance", f"id: '{sid}'") == (
        f"{path}:{STANCE_2}: question 'china-choose': stance id '{sid}' is not a lower-case slug. "
        "To fix: use lower-case letters, digits and hyphens, and no status name.")


def test_a_stance_given_twice_is_reported_at_the_second(tmp_path):
    path = tmp_path / "china.yml"
    assert one_problem(tmp_path, "id: balance", "id: lean-us") == (
        f"{path}:{STANCE_2}: question 'china-choose': stance 'lean-us' is given twice. "
        "To fix: give each stance its own id.")


def test_a_label_may_have_40_characters_and_no_more(tmp_path):
    fits = SCHEME.replace('label: "Both"', f'label: "{"x" * 40}"')
    assert load_scheme(write(tmp_path, "china.yml", fits))[0].label("balance") == "x" * 40
    path = tmp_path / "china.yml"
    assert one_problem(tmp_path, 'label: "Both"', f'label: "{"x" * 41}"') == (
        f"{path}:{STANCE_2}: question 'china-choose': the label of 'balance' is longer than 40 characters. "
        "To fix: shorten it; the definition carries the detail.")


def test_every_problem_of_a_scheme_is_reported_at_once(tmp_path):
    text = SCHEME.replace("scale: ordinal", "scale: circular").replace("id: balance", "id: Balance") \
        .replace("id: china-aid", "id: aid")
    lines = [problem.split(": ", 1)[0] for problem in scheme_problems(write(tmp_path, "china.yml", text))]
    assert lines == [f"{tmp_path / 'china.yml'}:{n}" for n in (5, STANCE_2, QUESTION_2)]


# -- the coding -------------------------------------------------------------------------------------

CODING = """theme: china
positions:
  china-choose:
    aa-2020:
      status: coded
      stances:
        - stance: balance
          passage: aa-2020-1
          quote: " both sides "
          off_theme: " why "
        - stance: lean-us
          passage: aa-2020-2
          quote: "the U.S."
    bb-2021:
      status: not-applicable
      reason: " Too early. "
      note: " A note. "
  china-aid:
    aa-2020:
      status: suggested
      suggestions:
        - passage: aa-2020-2
          quote: " more aid "
        - "junk"
    bb-2021:
      status: not-addressed
"""


def coding_problems(tmp_path, questions, text: str) -> list[str]:
    coding, problems = load_coding(write(tmp_path, "positions/china.yml", text), questions)
    return [str(problem) for problem in problems]


def test_a_good_coding_is_read_as_written(tmp_path, questions):
    coding, problems = load_coding(write(tmp_path, "positions/china.yml", CODING), questions)
    assert problems == []
    choose, aid = coding["china-choose"], coding["china-aid"]
    assert choose["aa-2020"] == Position("aa-2020", "coded", (
        Held("balance", "aa-2020-1", "both sides", "why"), Held("lean-us", "aa-2020-2", "the U.S.")), line=4)
    assert choose["bb-2021"] == Position("bb-2021", "not-applicable", reason="Too early.", note="A note.", line=14)
    assert aid["aa-2020"] == Position("aa-2020", "suggested", suggestions=(
        Suggestion("aa-2020-2", "more aid"), Suggestion("", "")), line=19)
    assert aid["bb-2021"] == Position("bb-2021", "not-addressed", line=25)


@pytest.mark.parametrize("text", ["theme: china\n", "positions: [a]\n", "- x\n"])
def test_a_coding_without_positions_is_reported_at_line_1(text, tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    assert coding_problems(tmp_path, questions, text) == [
        f"{path}:1: no 'positions' mapping. "
        "To fix: write 'positions:' with one entry per question id (see data/questions/README.md)."]


def test_broken_yaml_in_a_coding_is_reported_not_raised(tmp_path, questions):
    [problem] = coding_problems(tmp_path, questions, CODING.replace('quote: "the U.S."', 'quote: "the U.S.'))
    # the unclosed quote runs on until YAML finds the next key where the quote's text should end
    assert problem.startswith(f"{tmp_path / 'positions' / 'china.yml'}:16: not valid YAML: expected <block end>")


def test_an_unknown_question_is_reported_at_its_line(tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    assert coding_problems(tmp_path, questions, CODING.replace("  china-aid:", "  china-help:")) == [
        f"{path}:18: unknown question 'china-help'. To fix: use a question id of data/questions/china.yml."]


def test_a_question_without_brief_entries_is_reported(tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    text = CODING.split("  china-aid:")[0] + "  china-aid: [aa-2020]\n"
    assert coding_problems(tmp_path, questions, text) == [
        f"{path}:18: question 'china-aid': no brief entries. To fix: give one entry per brief id."]


@pytest.mark.parametrize("old, new, status", [
    ("      status: not-addressed\n", "      status: agreed\n", "agreed"),
    ("      status: not-addressed\n", "      stances: []\n", "None"),
    ("    bb-2021:\n      status: not-addressed\n", "    bb-2021: coded\n", "coded"),
])
def test_an_unknown_status_is_reported_at_the_brief(old, new, status, tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    assert coding_problems(tmp_path, questions, CODING.replace(old, new)) == [
        f"{path}:25: question 'china-aid', brief 'bb-2021': unknown status '{status}'. "
        "To fix: use one of: coded, not-addressed, not-applicable, suggested."]


@pytest.mark.parametrize("old, new, line, message, fix", [
    ("        - stance: balance\n          passage: aa-2020-1\n          quote: \" both sides \"\n"
     "          off_theme: \" why \"\n        - stance: lean-us\n          passage: aa-2020-2\n"
     "          quote: \"the U.S.\"\n", "", 4, "coded but no stances",
     "list the stances held, each with stance, passage and quote"),
    ("      stances:\n        - stance: balance", "      stances: balance\n      was:\n        - stance: balance", 4,
     "coded but no stances", "list the stances held, each with stance, passage and quote"),
    ("stance: balance", "stance: lean-india", 7, "unknown stance 'lean-india'", "use one of: lean-us, balance, lean-china"),
    ("passage: aa-2020-1", "passage: ' '", 7, "stance 'balance' has no passage",
     "give the id of the passage that shows the stance"),
])
def test_each_rule_of_a_coded_position(old, new, line, message, fix, tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    assert coding_problems(tmp_path, questions, CODING.replace(old, new, 1)) == [
        f"{path}:{line}: question 'china-choose', brief 'aa-2020': {message}. To fix: {fix}."]


def test_a_stance_item_that_is_not_a_mapping_is_an_unknown_stance(tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    text = CODING.replace("        - stance: lean-us\n", "        - balance\n        - stance: lean-us\n")
    assert coding_problems(tmp_path, questions, text) == [
        f"{path}:4: question 'china-choose', brief 'aa-2020': unknown stance ''. "
        "To fix: use one of: lean-us, balance, lean-china."]


def test_a_suggestion_needs_suggestions(tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    text = CODING.replace("        - passage: aa-2020-2\n          quote: \" more aid \"\n        - \"junk\"\n", "")
    assert coding_problems(tmp_path, questions, text) == [
        f"{path}:19: question 'china-aid', brief 'aa-2020': suggested but no suggestions. "
        "To fix: run 'python -m handbook suggest' or remove the entry."]


@pytest.mark.parametrize("status", ["not-addressed", "not-applicable"])
def test_stances_under_another_status_are_reported(status, tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    text = CODING.replace("      status: not-addressed\n",
                          f"      status: {status}\n      reason: r\n      stances: [{{stance: more}}]\n")
    assert coding_problems(tmp_path, questions, text) == [
        f"{path}:25: question 'china-aid', brief 'bb-2021': status '{status}' but stances given. "
        "To fix: use 'status: coded', or remove the stances."]


def test_not_applicable_needs_a_reason(tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    assert coding_problems(tmp_path, questions, CODING.replace('reason: " Too early. "', 'reason: " "')) == [
        f"{path}:14: question 'china-choose', brief 'bb-2021': not-applicable without a reason. "
        "To fix: add 'reason:', e.g. \"Published in 2019, before the 2021 withdrawal.\"."]


def test_every_problem_of_a_coding_is_reported_with_its_own_line(tmp_path, questions):
    text = CODING.replace("stance: lean-us", "stance: x").replace("status: not-addressed", "status: maybe") \
        .replace('reason: " Too early. "', "")
    lines = [problem.split(": ", 1)[0] for problem in coding_problems(tmp_path, questions, text)]
    assert lines == [f"{tmp_path / 'positions' / 'china.yml'}:{n}" for n in (11, 14, 25)]


# -- quotes are the brief's words ------------------------------------------------------------------

PASSAGES = {"aa-2020-1": "Pakistan should keep ties with both sides.", "aa-2020-2": "It wants the U.S. and more aid.",
            "bb-2021-1": "Both sides, it says."}


def quote_problems(tmp_path, questions, text: str = CODING, briefs=("aa-2020", "bb-2021")) -> list[str]:
    path = write(tmp_path, "positions/china.yml", text)
    coding, problems = load_coding(path, questions)
    assert problems == []
    return [str(problem) for problem in check_quotes(path, coding, PASSAGES, set(briefs))]


def test_good_quotes_pass(tmp_path, questions):
    assert quote_problems(tmp_path, questions, CODING.replace('        - "junk"\n', "")) == []


def test_without_briefs_there_is_nothing_to_check_quotes_against(tmp_path, questions):
    assert quote_problems(tmp_path, questions, briefs=()) == []


def test_a_position_for_an_unknown_brief_is_reported(tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    text = CODING.replace('        - "junk"\n', "")
    assert quote_problems(tmp_path, questions, text, briefs=("aa-2020",)) == [
        f"{path}:{line}: question '{qid}', brief 'bb-2021': no brief has this id. "
        "To fix: use the id of a file in data/briefs/." for qid, line in (("china-choose", 14), ("china-aid", 24))]


@pytest.mark.parametrize("passage", ["bb-2021-1", "aa-2020-9", "aa-20201", "aa-2020"])
def test_a_quote_must_come_from_a_passage_of_its_own_brief(passage, tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    text = CODING.replace('        - "junk"\n', "").replace("passage: aa-2020-1", f"passage: {passage}")
    assert quote_problems(tmp_path, questions, text) == [
        f"{path}:4: question 'china-choose', brief 'aa-2020': passage '{passage}' is not a passage of this brief. "
        "To fix: use a passage id of this brief, as 'python -m handbook passages' prints it."]


@pytest.mark.parametrize("quote", ["", " … ", "...", "“ ”"])
def test_an_empty_quote_is_reported(quote, tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    text = CODING.replace('        - "junk"\n', "").replace('quote: " both sides "', f'quote: "{quote}"')
    assert quote_problems(tmp_path, questions, text) == [
        f"{path}:4: question 'china-choose', brief 'aa-2020': the quote from 'aa-2020-1' is empty. "
        "To fix: copy the words that show the stance from the passage."]


@pytest.mark.parametrize("quote", ["both side", "Both sides", "ties with … Pakistan", "keep ties with the sides"])
def test_a_quote_not_in_its_passage_is_reported(quote, tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    text = CODING.replace('        - "junk"\n', "").replace('quote: " both sides "', f'quote: "{quote}"')
    assert quote_problems(tmp_path, questions, text) == [
        f"{path}:4: question 'china-choose', brief 'aa-2020': the quote is not in passage 'aa-2020-1'. "
        "To fix: copy the quote exactly from the passage; mark a cut with ' … '."]


def test_suggested_quotes_are_checked_too(tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    text = CODING.replace('        - "junk"\n', "").replace('quote: " more aid "', 'quote: "less aid"')
    assert quote_problems(tmp_path, questions, text) == [
        f"{path}:19: question 'china-aid', brief 'aa-2020': the quote is not in passage 'aa-2020-2'. "
        "To fix: copy the quote exactly from the passage; mark a cut with ' … '."]


# -- a cell in words, and how far the briefs agree ---------------------------------------------------

def test_cells_read_as_their_stances_or_their_status(tmp_path, questions):
    coding, _ = load_coding(write(tmp_path, "positions/china.yml", CODING), questions)
    choose, aid = questions["china-choose"], questions["china-aid"]
    for qid, positions in coding.items():
        questions[qid].positions.update(positions)
    cell = choose.position("aa-2020")
    assert (cell.stances, cell.value, choose.describe(cell)) == (
        ("balance", "lean-us"), "balance+lean-us", "Lean U.S. / Both"), "in the order of the scale, not of the ids"
    assert [choose.describe(choose.position(b)) for b in ("bb-2021", "cc-2022")] == ["Not applicable", "Not coded yet"]
    assert choose.position("cc-2022") == Position("cc-2022", NOT_YET_CODED)
    assert [aid.describe(aid.position(b)) for b in ("aa-2020", "bb-2021")] == [
        "Not coded yet (suggestions shown)", "Does not address it"]
    assert [aid.position(b).value for b in ("aa-2020", "bb-2021")] == ["suggested", "not-addressed"]


def coded(*stances: str) -> Position:
    return Position("x", "coded", tuple(Held(stance, "p", "q") for stance in stances))


def test_agreement_counts_coded_briefs_and_the_most_held_stance(questions):
    question = questions["china-choose"]
    question.positions = {"a": coded("balance"), "b": coded("balance", "lean-china"), "c": coded("lean-china"),
                          "d": coded("lean-china"), "e": Position("e", "not-addressed")}
    agreement = question.agreement()
    assert (agreement.coded, agreement.top, agreement.holders, agreement.in_use, agreement.diverges) == (
        4, "lean-china", 3, 2, True)


def test_a_tie_goes_to_the_stance_the_scheme_lists_first(questions):
    question = questions["china-choose"]
    question.positions = {"a": coded("lean-china"), "b": coded("balance")}
    assert (question.agreement().top, question.agreement().holders) == ("balance", 1)


def test_one_shared_stance_does_not_diverge_and_no_coding_has_no_top(questions):
    question = questions["china-choose"]
    question.positions = {"a": coded("balance"), "b": coded("balance")}
    assert (question.agreement().in_use, question.agreement().diverges) == (1, False)
    question.positions = {"a": Position("a", "suggested")}
    agreement = question.agreement()
    assert (agreement.coded, agreement.top, agreement.holders, agreement.in_use, agreement.diverges) == (
        0, "", 0, 0, False)


# -- all themes together ---------------------------------------------------------------------------

def test_load_positions_reports_every_theme_and_file_problem(tmp_path):
    data = tmp_path / "data"
    write(data, "questions/china.yml", SCHEME)
    write(data, "questions/india.yml", SCHEME.replace("china", "india"))
    write(data, "questions/space.yml", SCHEME.replace("china", "space"))
    write(data, "questions/mars.yml", "questions: []\n")
    write(data, "positions/china.yml", CODING.replace("stance: lean-us", "stance: x").replace('        - "junk"\n', ""))
    write(data, "positions/moon.yml", CODING)
    questions, problems = load_positions(data, PASSAGES, {"aa-2020", "bb-2021"}, {"china", "india", "mars", "moon"})
    assert sorted(q.id for q in questions) == ["china-aid", "china-choose", "india-aid", "india-choose"]
    assert [str(problem) for problem in problems] == [
        f"{data / 'positions' / 'china.yml'}:11: question 'china-choose', brief 'aa-2020': unknown stance 'x'. "
        "To fix: use one of: lean-us, balance, lean-china.",
        f"{data / 'questions' / 'mars.yml'}:1: no 'questions' list. To fix: list the theme's key questions under "
        "'questions:' (see data/questions/README.md).",
        f"{data / 'questions' / 'space.yml'}:1: theme 'space' is not in the codebook. "
        "To fix: name the file after a theme of data/codebook.yml.",
        f"{data / 'positions' / 'moon.yml'}:1: no scheme data/questions/moon.yml for these positions. "
        "To fix: write the theme's key questions and stances first."]


def test_a_question_id_used_in_two_themes_is_reported(tmp_path):
    data = tmp_path / "data"
    write(data, "questions/china.yml", SCHEME.replace("china-aid", "china-sea-aid"))
    write(data, "questions/china-sea.yml", SCHEME.replace("theme: china", "theme: china-sea")
          .replace("china-choose", "china-sea-choose").replace("china-aid", "china-sea-aid"))
    questions, problems = load_positions(data, {}, set(), set())
    assert len(questions) == 4
    assert [str(problem) for problem in problems] == [
        f"{data / 'questions'}: question id 'china-sea-aid' is used in two themes. To fix: give each question its own id."]


def test_the_coding_is_attached_to_its_questions(tmp_path):
    data = tmp_path / "data"
    write(data, "questions/china.yml", SCHEME)
    write(data, "positions/china.yml", CODING.replace('        - "junk"\n', ""))
    questions, problems = load_positions(data, PASSAGES, {"aa-2020", "bb-2021"}, set())
    assert problems == []
    assert {q.id: q.position("aa-2020").status for q in questions} == {"china-choose": "coded", "china-aid": "suggested"}


def test_a_question_id_given_twice_in_one_scheme_is_reported_at_the_second(tmp_path):
    path = tmp_path / "china.yml"
    assert one_problem(tmp_path, "id: china-aid", "id: china-choose") == (
        f"{path}:{QUESTION_2}: question id 'china-choose' is given twice. To fix: give each question its own id.")


def test_a_theme_not_in_the_codebook_does_not_hide_the_themes_after_it(tmp_path):
    data = tmp_path / "data"
    write(data, "questions/asia.yml", SCHEME.replace("china", "asia"))
    write(data, "questions/china.yml", SCHEME.replace("scale: ordinal", "scale: circular"))
    questions, problems = load_positions(data, {}, set(), {"china"})
    assert [(p.path.name, p.line) for p in problems] == [("asia.yml", 1), ("china.yml", 5)]


def test_an_unknown_brief_does_not_hide_the_briefs_after_it(tmp_path, questions):
    path = tmp_path / "positions" / "china.yml"
    text = CODING.replace('        - "junk"\n', "").replace("  china-choose:\n", "  china-choose:\n    zz-2099:\n"
                                                            "      status: not-addressed\n", 1)
    text = text.replace('quote: " both sides "', 'quote: "all sides"')
    assert [problem.split(": ", 2)[1] for problem in quote_problems(tmp_path, questions, text)] == [
        "question 'china-choose', brief 'zz-2099'", "question 'china-choose', brief 'aa-2020'"]


@pytest.mark.parametrize("bad", ["  china-help:\n    aa-2020:\n      status: not-addressed\n", "  china-help: 3\n",
                                 "  china-choose-x: []\n"])
def test_an_unknown_question_does_not_hide_the_questions_after_it(bad, tmp_path, questions):
    text = CODING.replace("  china-aid:", bad + "  china-aid:").replace("status: not-addressed\n", "status: maybe\n")
    if bad.startswith("  china-choose-x"):
        questions["china-choose-x"] = questions["china-aid"]
    assert [p.split(": ", 2)[1] for p in coding_problems(tmp_path, questions, text)][-1] == (
        "question 'china-aid', brief 'bb-2021'")
