"""Key questions, their stance schemes, and each brief's positions on them.

The schemes (data/questions/<theme>.yml) were written before any brief was coded and hold for every
brief; the book's coding is data/positions/<theme>.yml, and an independent second coding of the same
cells is data/coding/second/<theme>.yml (see handbook.reliability). data/questions/README.md is the
codebook for coders.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handbook.passages import quote_in_passage
from handbook.problems import DataError, Problem, load_yaml_lines, yaml_problem

CODED = "coded"
NOT_ADDRESSED = "not-addressed"
NOT_APPLICABLE = "not-applicable"
SUGGESTED = "suggested"
NOT_YET_CODED = "not-yet-coded"
STATUSES = (CODED, NOT_ADDRESSED, NOT_APPLICABLE, SUGGESTED)
# What a reader sees for a status; slugs never reach a page.
STATUS_LABELS = {NOT_ADDRESSED: "Does not address it", NOT_APPLICABLE: "Not applicable",
                 SUGGESTED: "Not coded yet (suggestions shown)", NOT_YET_CODED: "Not coded yet"}
SCALES = ("ordinal", "nominal")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_LABEL = 40


@dataclass(frozen=True)
class Stance:
    id: str
    label: str
    definition: str
    include: str


@dataclass(frozen=True)
class Held:
    """One stance a brief holds on a question, with the passage and the words that show it."""

    stance: str
    passage_id: str
    quote: str
    off_theme: str = ""  # why a passage without the chapter's theme still shows the stance


@dataclass(frozen=True)
class Suggestion:
    passage_id: str
    quote: str


@dataclass(frozen=True)
class Position:
    brief_id: str
    status: str
    held: tuple[Held, ...] = ()
    reason: str = ""
    note: str = ""
    suggestions: tuple[Suggestion, ...] = ()
    line: int | None = None

    @property
    def stances(self) -> tuple[str, ...]:
        return tuple(sorted({held.stance for held in self.held}))

    @property
    def value(self) -> str:
        """The cell as agreement sees it: its status, or the set of stances held."""
        return "+".join(self.stances) if self.status == CODED else self.status


@dataclass
class Question:
    id: str
    theme: str
    text: str
    scale: str
    stances: dict[str, Stance]
    positions: dict[str, Position] = field(default_factory=dict)
    line: int | None = None

    def position(self, brief_id: str) -> Position:
        return self.positions.get(brief_id) or Position(brief_id, NOT_YET_CODED)

    def label(self, stance: str) -> str:
        return self.stances[stance].label

    def describe(self, position: Position) -> str:
        """A cell in words: the labels of the stances held, or what the status means."""
        if position.status == CODED:  # in the scheme's order, which on an ordinal scale is the scale's
            return " / ".join(self.label(stance) for stance in self.stances if stance in position.stances)
        return STATUS_LABELS[position.status]

    def coded(self) -> list[Position]:
        return [p for p in self.positions.values() if p.status == CODED]

    def agreement(self) -> "Agreement":
        """How far the coded briefs share a stance: the most widely held one, and how many hold it."""
        coded = self.coded()
        counts = Counter(stance for position in coded for stance in position.stances)
        order = list(self.stances)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))
        top, holders = ranked[0] if ranked else ("", 0)
        return Agreement(len(coded), top, holders, len(counts))


@dataclass(frozen=True)
class Agreement:
    coded: int  # briefs with a coded position
    top: str  # the stance most of them hold ('' when none is coded)
    holders: int  # how many coded briefs hold it
    in_use: int  # how many different stances the coded briefs hold

    @property
    def diverges(self) -> bool:
        return self.in_use >= 2


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def load_scheme(path: Path) -> list[Question]:
    """The key questions of one theme and their stances, from data/questions/<theme>.yml."""
    try:
        raw = load_yaml_lines(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DataError([yaml_problem(path, error)]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list) or not raw["questions"]:
        raise DataError([Problem(path, 1, "no 'questions' list",
                                 "list the theme's key questions under 'questions:' (see data/questions/README.md)")])
    theme = path.stem
    if raw.get("theme", theme) != theme:
        raise DataError([Problem(path, raw.line_of("theme"), f"'theme: {raw.get('theme')}' does not match the file name",
                                 f"write 'theme: {theme}' or rename the file")])
    questions, problems = [], []
    for spec in raw["questions"]:
        line = getattr(spec, "line", None)
        if not isinstance(spec, dict):
            problems.append(Problem(path, line, "a question is not a mapping", "give each question id, question, scale and stances"))
            continue
        missing = [key for key in ("id", "question", "scale", "stances") if not spec.get(key)]
        if missing:
            problems.append(Problem(path, line, f"a question lacks {', '.join(missing)}",
                                    "give each question an id, its text, a scale and its stances"))
            continue
        qid = str(spec["id"])
        if any(question.id == qid for question in questions):
            problems.append(Problem(path, spec.line_of("id"), f"question id '{qid}' is given twice",
                                    "give each question its own id"))
        if not ID.match(qid) or not qid.startswith(theme + "-"):
            problems.append(Problem(path, spec.line_of("id"), f"question id '{qid}' is not '{theme}-' and lower-case words",
                                    f"name it like '{theme}-choose': lower-case letters, digits and hyphens"))
        if spec["scale"] not in SCALES:
            problems.append(Problem(path, spec.line_of("scale"), f"question '{qid}': unknown scale '{spec['scale']}'",
                                    "use 'ordinal' (stances listed in order) or 'nominal'"))
        stances = {}
        raw_stances = spec["stances"] if isinstance(spec["stances"], list) else []
        if not 2 <= len(raw_stances) <= 5:
            problems.append(Problem(path, spec.line_of("stances"), f"question '{qid}' has {len(raw_stances)} stances",
                                    "give each question 2 to 5 stances"))
        for stance in raw_stances:
            sline = getattr(stance, "line", line)
            fields = {key: _text(stance.get(key)) if isinstance(stance, dict) else "" for key in ("id", "label", "definition", "include")}
            if not all(fields.values()):
                problems.append(Problem(path, sline, f"question '{qid}': a stance lacks id, label, definition or include",
                                        "give every stance all four, each a line of text"))
                continue
            if not ID.match(fields["id"]) or fields["id"] in STATUSES + (NOT_YET_CODED,):
                problems.append(Problem(path, sline, f"question '{qid}': stance id '{fields['id']}' is not a lower-case slug",
                                        "use lower-case letters, digits and hyphens, and no status name"))
            if fields["id"] in stances:
                problems.append(Problem(path, sline, f"question '{qid}': stance '{fields['id']}' is given twice",
                                        "give each stance its own id"))
            if len(fields["label"]) > MAX_LABEL:
                problems.append(Problem(path, sline, f"question '{qid}': the label of '{fields['id']}' is longer than {MAX_LABEL} characters",
                                        "shorten it; the definition carries the detail"))
            stances[fields["id"]] = Stance(**fields)
        questions.append(Question(qid, theme, _text(spec["question"]), spec["scale"], stances, line=line))
    if problems:
        raise DataError(problems)
    return questions


def load_coding(path: Path, questions: dict[str, Question]) -> tuple[dict[str, dict[str, Position]], list[Problem]]:
    """One coder's positions for one theme: {question id: {brief id: position}}, and what is wrong."""
    try:
        raw = load_yaml_lines(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        return {}, [yaml_problem(path, error)]
    if not isinstance(raw, dict) or not isinstance(raw.get("positions"), dict):
        return {}, [Problem(path, 1, "no 'positions' mapping",
                            "write 'positions:' with one entry per question id (see data/questions/README.md)")]
    coding, problems = {}, []
    for qid, briefs in raw["positions"].items():
        qline = raw["positions"].line_of(qid)
        if qid not in questions:
            problems.append(Problem(path, qline, f"unknown question '{qid}'",
                                    f"use a question id of data/questions/{path.stem}.yml"))
            continue
        if not isinstance(briefs, dict):
            problems.append(Problem(path, qline, f"question '{qid}': no brief entries", "give one entry per brief id"))
            continue
        coding[qid] = {}
        for brief_id, entry in briefs.items():
            line = briefs.line_of(brief_id)
            position, found = _position(path, line, questions[qid], str(brief_id), entry)
            problems.extend(found)
            if position:
                coding[qid][str(brief_id)] = position
    return coding, problems


def _position(path: Path, line, question: Question, brief_id: str, entry) -> tuple[Position | None, list[Problem]]:
    where = f"question '{question.id}', brief '{brief_id}'"
    if not isinstance(entry, dict) or entry.get("status") not in STATUSES:
        status = entry.get("status") if isinstance(entry, dict) else entry
        return None, [Problem(path, line, f"{where}: unknown status '{status}'", "use one of: " + ", ".join(STATUSES))]
    status, problems = entry["status"], []
    held, suggestions = [], []
    if status == CODED:
        items = entry.get("stances")
        if not isinstance(items, list) or not items:
            problems.append(Problem(path, line, f"{where}: coded but no stances",
                                    "list the stances held, each with stance, passage and quote"))
        for item in items if isinstance(items, list) else []:
            iline = getattr(item, "line", line)
            item = item if isinstance(item, dict) else {}
            stance, passage, quote = (_text(item.get(key)) for key in ("stance", "passage", "quote"))
            if stance not in question.stances:
                problems.append(Problem(path, iline, f"{where}: unknown stance '{stance}'",
                                        "use one of: " + ", ".join(question.stances)))
            elif not passage:
                problems.append(Problem(path, iline, f"{where}: stance '{stance}' has no passage",
                                        "give the id of the passage that shows the stance"))
            else:
                held.append(Held(stance, passage, quote, _text(item.get("off_theme"))))
    elif status == SUGGESTED:
        for item in entry.get("suggestions") or []:
            item = item if isinstance(item, dict) else {}
            suggestions.append(Suggestion(_text(item.get("passage")), _text(item.get("quote"))))
        if not suggestions:
            problems.append(Problem(path, line, f"{where}: suggested but no suggestions",
                                    "run 'python -m handbook suggest' or remove the entry"))
    elif entry.get("stances"):
        problems.append(Problem(path, line, f"{where}: status '{status}' but stances given",
                                "use 'status: coded', or remove the stances"))
    reason = _text(entry.get("reason"))
    if status == NOT_APPLICABLE and not reason:
        problems.append(Problem(path, line, f"{where}: not-applicable without a reason",
                                "add 'reason:', e.g. \"Published in 2019, before the 2021 withdrawal.\""))
    return Position(brief_id, status, tuple(held), reason, _text(entry.get("note")), tuple(suggestions), line), problems


def check_quotes(path: Path, coding: dict[str, dict[str, Position]], passages: dict[str, str],
                 brief_ids: set[str]) -> list[Problem]:
    """Every position names a known brief, and every quote is verbatim in a passage of that brief.

    With no briefs loaded (their own problems are reported) there is nothing to check against."""
    problems = []
    if not brief_ids:
        return problems
    for qid, positions in coding.items():
        for brief_id, position in positions.items():
            where = f"question '{qid}', brief '{brief_id}'"
            if brief_id not in brief_ids:
                problems.append(Problem(path, position.line, f"{where}: no brief has this id",
                                        "use the id of a file in data/briefs/"))
                continue
            cited = [(h.passage_id, h.quote) for h in position.held] + [(s.passage_id, s.quote) for s in position.suggestions]
            for passage_id, quote in cited:
                if not passage_id.startswith(brief_id + "-") or passage_id not in passages:
                    problems.append(Problem(path, position.line, f"{where}: passage '{passage_id}' is not a passage of this brief",
                                            "use a passage id of this brief, as 'python -m handbook passages' prints it"))
                elif not re.search(r"\w", quote):
                    problems.append(Problem(path, position.line, f"{where}: the quote from '{passage_id}' is empty",
                                            "copy the words that show the stance from the passage"))
                elif not quote_in_passage(quote, passages[passage_id]):
                    problems.append(Problem(path, position.line, f"{where}: the quote is not in passage '{passage_id}'",
                                            "copy the quote exactly from the passage; mark a cut with ' … '"))
    return problems


def load_positions(data: Path, passages: dict[str, str], brief_ids: set[str],
                   themes: set[str]) -> tuple[list[Question], list[Problem]]:
    """All schemes with the book's coding attached, and every problem found in either."""
    questions, problems = [], []
    for path in sorted((data / "questions").glob("*.yml")):
        if themes and path.stem not in themes:
            problems.append(Problem(path, 1, f"theme '{path.stem}' is not in the codebook",
                                    "name the file after a theme of data/codebook.yml"))
            continue
        try:
            scheme = load_scheme(path)
        except DataError as error:
            problems.extend(error.problems)
            continue
        by_id = {q.id: q for q in scheme}
        coding_path = data / "positions" / path.name
        if coding_path.exists():
            coding, found = load_coding(coding_path, by_id)
            problems.extend(found)
            problems.extend(check_quotes(coding_path, coding, passages, brief_ids))
            for qid, positions in coding.items():
                by_id[qid].positions.update(positions)
        questions.extend(scheme)
    seen = Counter(q.id for q in questions)
    problems.extend(Problem(data / "questions", None, f"question id '{qid}' is used in two themes",
                            "give each question its own id") for qid, n in seen.items() if n > 1)
    for path in sorted((data / "positions").glob("*.yml")):
        if not (data / "questions" / path.name).exists():
            problems.append(Problem(path, 1, f"no scheme data/questions/{path.name} for these positions",
                                    "write the theme's key questions and stances first"))
    return questions, problems
