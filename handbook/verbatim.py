"""Whether the book's copy of a brief, and every quote from it, is the original's own words.

A copy is compared with its original (``source:`` in its front matter names the file) word by word,
after one fixed normalisation of the original that undoes the conversion damage listed in the seeds'
README, and nothing else:

* footnotes printed in the text (``¹ …``, ``^{1.} …``; numbered ones are listed in data/omitted.yml) are
  left out and footnote markers removed, so a paragraph split by a page break and a footnote block reads
  on, and a marker may move;
* Markdown escapes and stray markup (``\\$``, ``<u>``, ``[text](#)``, ``**``, ``*``, heading and list
  markers, rules) are removed;
* a word of the copy may carry a hyphen its original lost at a line end ('sevenplus' -> 'seven-plus');
* captions, picture headings, programme tables and other lines that are not argument are left out only
  when data/omitted.yml lists them, with the reason.

Whitespace, line and page breaks only separate words. Case, punctuation, digits and word order are
compared exactly, so every edit but those repairs is reported, and so is any line of the original that
the copy lost.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook.briefs import Brief
from handbook.problems import DataError, Problem, load_yaml, yaml_problem

ELLIPSIS = "…"
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
FOOTNOTE_LINE = re.compile(rf"^\s*(?:[{SUPERSCRIPT_DIGITS}]+|\^\{{\d+\.?|<sup>\s*\d+\s*</sup>)")
RULE_LINE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_MARKUP = [
    (re.compile(r"^\s*#{1,6}\s+"), ""),  # heading marker
    (re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+"), ""),  # list marker
    (re.compile(rf"[{SUPERSCRIPT_DIGITS}]+|<sup>\s*\d+\s*</sup>|\^\{{\d+\.?\}}"), ""),  # footnote marker
    (re.compile(r"</?u>"), ""),
    (re.compile(r"\[([^\]\n]*)\]\(#\)"), r"\1"),  # a link to nowhere
    (re.compile(r"\*\*"), ""),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"\\([!-/:-@\[-`{-~])"), r"\1"),  # Markdown escape
]
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_FIX = ("copy the original's words exactly: only the repairs in ../shared/seeds/README.md are allowed; "
        "a line that is not argument may be left out only by listing it in data/omitted.yml with the reason")


def originals_dir(root: Path | None = None) -> Path:
    """The folder of the briefs exactly as received: $HANDBOOK_ORIGINALS, else shared/seeds beside the project."""
    from handbook import project

    return Path(os.environ.get("HANDBOOK_ORIGINALS") or (root or project.root()).parent / "shared" / "seeds")


# -- quotes ------------------------------------------------------------------------------------------

def quote_mismatch(quote: str, passage: str) -> str | None:
    """Why the quote is not the passage's own words, or None when it is.

    An ellipsis ``…`` stands for left-out words: the pieces between ellipses must each appear in the
    passage exactly (whitespace aside), whole words, in order and without overlapping.
    """
    pieces = [" ".join(piece.split()) for piece in quote.split(ELLIPSIS)]
    if not any(_is_word_char(char) for char in quote):
        return "the quote has no words"
    if any(not piece for piece in pieces[1:-1]):
        return "the quote has two ellipses with no words between them"
    text = " ".join(passage.split())
    position = 0
    for piece in (piece for piece in pieces if piece):
        match = _whole_words(piece).search(text, position)
        if not match:
            where = "after the words quoted before it" if _whole_words(piece).search(text) else ""
            return f"“{_short(piece)}” is not in the passage {where}".strip()
        position = match.end()
    return None


def in_passage(quote: str, passage: str) -> bool:
    """A quote is verbatim when each piece between ellipses is in the passage, word for word, in order."""
    return quote_mismatch(quote, passage) is None


def _whole_words(piece: str) -> re.Pattern:
    start = r"(?<!\w)" if _is_word_char(piece[0]) else ""
    end = r"(?!\w)" if _is_word_char(piece[-1]) else ""
    return re.compile(start + re.escape(piece) + end)


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


# -- the lines an original may lose -----------------------------------------------------------------

@dataclass(frozen=True)
class Omission:
    """Lines of an original that its copy leaves out: exact lines, line prefixes ending in '…', or a block."""

    reason: str
    line: int  # in data/omitted.yml
    lines: tuple[tuple[str, int], ...] = ()  # each with its line in data/omitted.yml
    first: str = ""
    last: str = ""


def _line_matches(pattern: str, text: str) -> bool:
    text = text.strip()
    return text.startswith(pattern[:-1].rstrip()) if pattern.endswith(ELLIPSIS) else text == pattern.strip()


def load_omissions(path: Path) -> dict[str, list[Omission]]:
    """data/omitted.yml: for each brief id, the groups of original lines left out, each with its reason."""
    if not path.exists():
        return {}
    # "UTF-8" for "utf-8" is the same codec, and no locale the book is built under reads it differently.
    text = path.read_text(encoding="utf-8")  # pragma: no mutate
    try:
        load_yaml(text)  # refuses a key given twice
        # Composing builds nodes and runs no constructor, so which loader composes them cannot matter.
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # pragma: no mutate
    except yaml.YAMLError as error:
        raise DataError([yaml_problem(path, error)]) from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise DataError([Problem(path, 1, "the file is not a mapping from brief ids to lists of omissions",
                                 "write 'brief-id:' followed by a list of '- reason: ...' entries")])
    problems, omissions = [], {}
    for key, groups in root.value:
        brief_id = key.value
        if not isinstance(groups, yaml.SequenceNode):
            problems.append(Problem(path, key.start_mark.line + 1, f"'{brief_id}' is not a list of omissions",
                                    "give each omission as '- reason: ...' with 'lines:' or 'from:' and 'to:'"))
            continue
        omissions[brief_id] = []
        for node in groups.value:
            line = node.start_mark.line + 1
            omission = _omission(node, line)
            if omission is None:
                problems.append(Problem(path, line, f"an omission of '{brief_id}' is not well formed",
                                        "give it a 'reason:' and either 'lines:' (a list of the original's lines) "
                                        "or 'from:' and 'to:' (the first and last line of a block)"))
            else:
                omissions[brief_id].append(omission)
    if problems:
        raise DataError(problems)
    return omissions


def _omission(node, line: int) -> Omission | None:
    def text(value):
        return value.value.strip() if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":str") else ""

    if not isinstance(node, yaml.MappingNode):
        return None
    fields = {key.value: value for key, value in node.value}
    if not text(fields.get("reason")) or set(fields) not in ({"reason", "lines"}, {"reason", "from", "to"}):
        return None
    if "lines" in fields:
        items = fields["lines"].value if isinstance(fields["lines"], yaml.SequenceNode) else []
        lines = tuple((text(item), item.start_mark.line + 1) for item in items)
        if not lines or not all(entry for entry, _ in lines):
            return None
        return Omission(text(fields["reason"]), line, lines)
    if not (text(fields["from"]) and text(fields["to"])):
        return None
    return Omission(text(fields["reason"]), line, first=text(fields["from"]), last=text(fields["to"]))


# -- comparing a copy with its original ---------------------------------------------------------------

def original_words(original: str, omissions: list[Omission],
                   omitted_file: Path) -> tuple[list[tuple[str, int]], list[Problem]]:
    """The original's words with their line numbers, once footnotes, markup and listed omissions are gone;
    and a problem for every omission that names no line of the original."""
    # A '\r' left at a line end would change nothing (lines are stripped, words split on whitespace);
    # the replace says what happens to a Windows file rather than leaving it to those.
    lines = original.replace("\r\n", "\n").split("\n")  # pragma: no mutate
    dropped = [False] * len(lines)
    problems = []
    for omission in omissions:
        hits = []
        if omission.first:
            starts = [i for i, line in enumerate(lines) if _line_matches(omission.first, line)]
            for start in starts[:1]:
                end = next((i for i in range(start, len(lines)) if _line_matches(omission.last, lines[i])), None)
                if end is not None:
                    hits = list(range(start, end + 1))
        else:
            for pattern, entry_line in omission.lines:
                found = [i for i, line in enumerate(lines) if _line_matches(pattern, line)]
                if not found:
                    problems.append(Problem(omitted_file, entry_line,
                                            f"the line “{_short(pattern)}” is not in the original",
                                            "copy the line exactly as the original has it, or remove it"))
                hits += found
        if omission.first and not hits:
            problems.append(Problem(omitted_file, omission.line,
                                    f"the block from “{_short(omission.first)}” to “{_short(omission.last)}” "
                                    "is not in the original",
                                    "copy its first and last lines exactly as the original has them"))
        for index in hits:
            dropped[index] = True
    words = []
    for number, line in enumerate(lines, start=1):
        if dropped[number - 1] or FOOTNOTE_LINE.match(line) or RULE_LINE.match(line):
            continue
        for pattern, replacement in _MARKUP:
            line = pattern.sub(replacement, line)
        words += [(word, number) for word in line.split()]
    return words, problems


def compare(brief: Brief, original: str, omissions: list[Omission], omitted_file: Path) -> list[Problem]:
    """Every difference between the brief's headings and passages and its original, each as a problem
    naming the passage, the brief's line and the original's line."""
    source = brief.source
    theirs, problems = original_words(original, omissions, omitted_file)
    ours = [(word, index) for index, block in enumerate(brief.blocks) for word in block.text.split()]
    lines = {passage.id: passage.line for passage in brief.passages}

    def where(index: int) -> tuple[str, int | None]:
        """The passage a word of ours belongs to (a heading is placed at the passage after it)."""
        for block in brief.blocks[index:] + brief.blocks[::-1]:
            if block.passage_id:
                return block.passage_id, lines[block.passage_id]
        return "", None  # pragma: no mutate (unreachable: read_brief refuses a brief with no passage)

    def problem(at: int, message: str):
        # Every caller passes a block's index; min() only guards, so its bound cannot be told apart.
        passage_id, line = where(min(at, len(brief.blocks) - 1))  # pragma: no mutate
        problems.append(Problem(brief.path, line, f"passage {passage_id}: {message}", _FIX))

    matcher = difflib.SequenceMatcher(None, [_key(w) for w, _ in theirs], [_key(w) for w, _ in ours],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        original_text = " ".join(word for word, _ in theirs[i1:i2])
        # Past the last word of ours any index past the last block is the same (min() above and the
        # slice in where() both clamp it).
        at = ours[j1][1] if j1 < len(ours) else len(brief.blocks) - 1  # pragma: no mutate
        # `at` is read only for a deletion, and a deletion before our first word (j1 == 0) also starts
        # at the original's first word (i1 == 0): so `tag == "delete"` and `j1 > 0` only say why.
        if tag == "delete" and j1 > 0 and i1 > 0 and theirs[i1 - 1][1] == theirs[i1][1]:
            at = ours[j1 - 1][1]  # the lost words ended a line of the original that the passage before holds
        their_line = theirs[i1][1] if i1 < len(theirs) else (theirs[-1][1] if theirs else 1)
        if tag == "equal":
            for (their_word, number), (our_word, block) in zip(theirs[i1:i2], ours[j1:j2]):
                if not _hyphens_restored(their_word, our_word):
                    problem(block, f"the original ({source} line {number}) has “{their_word}”, "
                                   f"the brief has “{our_word}”")
        elif tag == "delete":
            problem(at, f"the original's “{_short(original_text)}” ({source} line {their_line}) "
                        "is missing from the brief")
        else:  # replace or insert: each passage that holds words the original does not have there
            for block in dict.fromkeys(block for _, block in ours[j1:j2]):
                added = _short(" ".join(word for word, index in ours[j1:j2] if index == block))
                if tag == "replace":
                    problem(block, f"the original ({source} line {their_line}) has “{_short(original_text)}”, "
                                   f"the brief has “{added}”")
                else:
                    problem(block, f"the brief adds “{added}”, which the original ({source} near line "
                                   f"{their_line}) does not have")
    return problems


def _key(word: str) -> str:
    return _INNER_HYPHEN.sub("", word)


def _hyphens_restored(theirs: str, ours: str) -> bool:
    """Ours is theirs with nothing but hyphens put in: the repair of a hyphen lost at a line end."""
    position = 0
    for char in ours:
        if position < len(theirs) and char == theirs[position]:
            position += 1
        elif char != "-":
            return False
    return position == len(theirs)


def check_brief(brief: Brief, folder: Path, omissions: dict[str, list[Omission]],
                omitted_file: Path) -> list[Problem]:
    """Compare one brief with its original in `folder`; a brief without `source:` has nothing to compare."""
    if not brief.source:
        return []
    path = folder / brief.source
    if not path.is_file():
        return [Problem(brief.path, None, f"its original '{brief.source}' is not in {folder}",
                        "name the original's file in 'source:', or put the original in that folder")]
    original = path.read_text(encoding="utf-8")  # pragma: no mutate (as in load_omissions)
    return compare(brief, original, omissions.get(brief.id, []), omitted_file)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + ELLIPSIS
