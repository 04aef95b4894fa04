"""Load the briefs in data/briefs/, validate their front matter and split their bodies into passages.

A brief is Markdown with YAML front matter. Its body is parsed only to find headings, paragraphs,
list items and footnotes: nothing in it is ever rendered as Markdown, HTML or MyST, so a brief can
hold any text and the book shows it as text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from handbook.problems import DataError, Problem, load_yaml, yaml_problem

REQUIRED_FIELDS = ("id", "title", "authors", "institution", "date", "perspective")
OPTIONAL_FIELDS = ("short", "editors", "kind", "url", "source", "added")
# \A and \Z, not ^ and $: '$' also matches before a final newline, which would let "2024-01\n" in.
ID_PATTERN = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
DATE_PATTERN = re.compile(r"\A(\d{4})-(\d{2})(?:-(\d{2}))?\Z")
TEXT_FIELDS = ("title", "institution", "perspective", "short", "kind", "url", "source")
NAME_FIELDS = ("authors", "editors")
# Longest value a field may hold: past these a value is pasted text, not a title or a name.
MAX_LENGTH = {"id": 60, "title": 300, "institution": 200, "perspective": 40, "short": 80, "kind": 100,
              "url": 2000, "source": 200, "authors": 120, "editors": 120}
# Characters an address may hold unencoded (RFC 3986); anything else must be percent-encoded.
URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
# C0 and C1 control characters other than tab and newline, shown as visible symbols instead.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Passage:
    id: str
    brief_id: str
    number: int
    text: str
    line: int  # line in the brief's file, for error messages and editors
    kind: str  # "paragraph" or "item"


@dataclass(frozen=True)
class Block:
    """A heading or a passage, in the order the brief prints them."""

    kind: str  # "heading", "paragraph" or "item"
    text: str
    level: int = 0
    passage_id: str | None = None


@dataclass
class Brief:
    id: str
    title: str
    authors: list[str]
    institution: str
    date: str
    perspective: str
    path: Path
    short: str = ""
    editors: list[str] = field(default_factory=list)
    kind: str = ""
    url: str = ""
    source: str = ""
    added: str = ""
    blocks: list[Block] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The short name the book cites the brief by, e.g. 'MEI 2024': `short`, or derived_label()."""
        return self.short or derived_label(self.institution, self.date)

    @property
    def label_origin(self) -> str:
        return "set by 'short'" if self.short else "derived from the institution and year; set 'short' to change it"

    @property
    def date_value(self) -> dt.date:
        year, month, day = DATE_PATTERN.match(self.date).groups()
        return dt.date(int(year), int(month), int(day or 15))

    @property
    def date_text(self) -> str:
        """The publication date as a reader writes it: 'February 2019' or '16 September 2024'."""
        year, month, day = DATE_PATTERN.match(self.date).groups()
        month_name = dt.date(2000, int(month), 1).strftime("%B")
        return f"{int(day)} {month_name} {year}" if day else f"{month_name} {year}"

    @property
    def author_line(self) -> str:
        return ", ".join(self.authors) if self.authors else "no author named"


_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&.\-]{1,11})\)")
_MINOR_WORDS = {"a", "an", "and", "for", "in", "of", "on", "the", "with"}


def derived_label(institution: str, date: str) -> str:
    """A label for a brief without `short`: the institution's own abbreviation, given in brackets in
    its name ('Middle East Institute (MEI)' -> 'MEI 2024'); else its name up to the first comma
    when that is short ('Wilson Center, with INDUS' -> 'Wilson Center 2019'); else the initials of
    that name ('Center for Security Studies' -> 'CSS 2020'). Never the id, which readers do not see."""
    year = date[:4]
    acronym = _ACRONYM.search(institution)
    if acronym:
        return f"{acronym.group(1)} {year}"
    name = re.split(r",|\s+with\s+", institution, maxsplit=1)[0].strip()
    words = name.split()
    if len(words) <= 2:
        return f"{name} {year}"
    return "".join(word[0].upper() for word in words if word.lower() not in _MINOR_WORDS) + f" {year}"


def http_url(value: str) -> bool:
    """An absolute http(s) address with a host: the only kind of link the book builds from data."""
    if not isinstance(value, str) or not URL_CHARACTERS.fullmatch(value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False


def _unprintable(text: str) -> str | None:
    """The first control character or line separator in a one-line field, as U+XXXX."""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            return f"U+{ord(char):04X}"
    return None


def visible_text(text: str) -> str:
    """Replace control characters by their Unicode control pictures, so they print and never act."""
    return CONTROL_CHARS.sub(lambda m: _control_picture(m.group()), text)


def _control_picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    return "\N{REPLACEMENT CHARACTER}"


def _markdown() -> MarkdownIt:
    # Raw HTML is kept as tokens so that it can be shown literally, never passed through.
    return MarkdownIt("commonmark", {"html": True}).use(footnote_plugin)


def _inline_text(token) -> str:
    """Plain text of an inline token: emphasis and links dropped, footnote references removed."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _decode(path: Path, raw: bytes) -> str:
    """The file as text: UTF-8, with or without a byte-order mark, and with Windows (CRLF) line
    ends read as plain newlines, so such a file loads exactly like its LF twin."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError([Problem(path, line, f"the file is not UTF-8 (byte {error.start})",
                                 "save the file with UTF-8 encoding")]) from None
    return text.replace("\r\n", "\n")


def _split_front_matter(path: Path, text: str) -> tuple[str, str, int]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise DataError([Problem(path, 1, "the file does not start with YAML front matter",
                                 "begin the file with a line '---', the fields, and another '---'")])
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            # The body starts on the file line after the closing '---' (index counts from 0).
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise DataError([Problem(path, 1, "the front matter is never closed",
                             "end the front matter with a line '---'")])


def _field_line(front: str, name: str) -> int:
    for number, line in enumerate(front.split("\n"), start=2):
        if re.match(rf"{re.escape(name)}\s*:", line):
            return number
    return 1


def _normalise_date(value) -> str | None:
    if isinstance(value, dt.datetime):
        return None  # a time of day is not part of a brief's date
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    match = DATE_PATTERN.fullmatch(value)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        return None
    return value


def _validate_front_matter(path: Path, front: str, meta) -> list[Problem]:
    if not isinstance(meta, dict):
        return [Problem(path, 2, "the front matter is not a set of 'field: value' lines",
                        "write one field per line, e.g. 'title: ...'")]
    problems = []

    def report(name: str, message: str, fix: str) -> None:
        problems.append(Problem(path, _field_line(front, name), message, fix))

    for name in REQUIRED_FIELDS:
        value = meta.get(name)
        if name not in meta or value is None or (isinstance(value, str) and not value.strip()):
            report(name, f"required field '{name}' is missing or empty",
                   f"add a line '{name}: ...' to the front matter, with a value")
    allowed = REQUIRED_FIELDS + OPTIONAL_FIELDS
    for name in meta:
        if name not in allowed:
            report(str(name), f"unknown field '{name}'", "remove it or rename it to one of: " + ", ".join(allowed))
    brief_id = meta.get("id")
    if brief_id is not None:
        if not isinstance(brief_id, str) or not ID_PATTERN.fullmatch(brief_id):
            report("id", f"id {brief_id!r} is not valid",
                   "use lowercase letters, digits and single hyphens, e.g. 'mei-2024'")
        elif len(brief_id) > MAX_LENGTH["id"]:
            report("id", f"id is {len(brief_id)} characters long, more than {MAX_LENGTH['id']}", "shorten it")
        elif brief_id != path.stem:
            report("id", f"id '{brief_id}' does not match the file name '{path.name}'",
                   f"rename the file to '{brief_id}.md' or set 'id: {path.stem}'")
    texts: list[tuple[str, str]] = []
    for name in NAME_FIELDS:
        if name not in meta:
            continue
        if not (isinstance(meta[name], list) and all(isinstance(item, str) for item in meta[name])):
            report(name, f"'{name}' is not a list of names",
                   f"write e.g. '{name}: [\"First Author\", \"Second Author\"]' or '[]'")
            continue
        for item in meta[name]:
            if not item.strip():
                report(name, f"'{name}' holds an empty name", "remove the empty entry")
            texts.append((name, item))
    for name in TEXT_FIELDS:
        if name in meta and meta[name] is not None:
            if isinstance(meta[name], str):
                texts.append((name, meta[name]))
            else:
                report(name, f"'{name}' is not text", f"put the value of '{name}' in quotes")
    for name, text in texts:
        control = _unprintable(text)
        if control:
            report(name, f"'{name}' holds the control character {control}",
                   "remove it: a front-matter value is one line of plain text")
        elif len(text) > MAX_LENGTH[name]:
            report(name, f"'{name}' is {len(text)} characters long, more than {MAX_LENGTH[name]}",
                   "shorten it; the full text belongs in the brief's body")
    url = meta.get("url")
    if isinstance(url, str) and url and not http_url(url):
        report("url", f"'url' value {url!r} is not an absolute http:// or https:// address",
               "give the publisher's page as 'https://...' (percent-encode spaces and quotes) or remove the line")
    for name in ("date", "added"):
        if meta.get(name) not in (None, "") and _normalise_date(meta[name]) is None:
            report(name, f"'{name}' value {meta[name]!r} is not a date",
                   "write it as YYYY-MM-DD or YYYY-MM, e.g. 2024-01 or 2024-07-11, and nothing else")
    return problems


def _parse_body(brief: Brief, body: str, first_line: int) -> None:
    tokens = _markdown().parse(body)
    list_depth = 0
    numbers = itertools.count(1)
    in_footnote = False
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            in_footnote = True
        elif token.type == "footnote_block_close":
            in_footnote = False
        elif token.type == "footnote_open":
            label = token.meta.get("label", "")
            text = next((t for t in tokens[index:] if t.type == "inline"), None)
            brief.notes.append((str(label), visible_text(_inline_text(text)) if text else ""))
        if in_footnote:
            continue
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "heading_open":
            inline = tokens[index + 1]
            brief.blocks.append(Block("heading", visible_text(_inline_text(inline)), int(token.tag[1])))
        elif token.type in ("paragraph_open", "html_block", "fence", "code_block"):
            if token.type == "paragraph_open":
                text = _inline_text(tokens[index + 1])
            else:
                # Raw HTML and code are kept exactly as written, to be shown as text.
                start, end = token.map
                text = "\n".join(body.split("\n")[start:end]).strip()
            if not text:
                continue
            kind = "item" if list_depth else "paragraph"
            number = next(numbers)
            passage = Passage(f"{brief.id}-{number}", brief.id, number, visible_text(text),
                              first_line + (token.map[0] if token.map else 0), kind)
            brief.passages.append(passage)
            brief.blocks.append(Block(kind, passage.text, passage_id=passage.id))


def read_brief(path: Path) -> Brief:
    """Read one brief file, or raise DataError naming the file, the line and the fix."""
    front, body, body_line = _split_front_matter(path, _decode(path, path.read_bytes()))
    try:
        meta = load_yaml(front)
    except yaml.YAMLError as error:
        raise DataError([yaml_problem(path, error, line_offset=2)]) from None
    problems = _validate_front_matter(path, front, meta)
    if problems:
        raise DataError(problems)
    brief = Brief(
        id=meta["id"], title=meta["title"], authors=meta["authors"],
        institution=meta["institution"], date=_normalise_date(meta["date"]),
        perspective=meta["perspective"], path=path, short=meta.get("short") or "",
        editors=meta.get("editors") or [], kind=meta.get("kind") or "", url=meta.get("url") or "",
        source=meta.get("source") or "", added=_normalise_date(meta.get("added") or "") or "",
    )
    _parse_body(brief, body, body_line)
    if not brief.passages:
        raise DataError([Problem(path, body_line, "the brief has no text after its front matter",
                                 "paste the brief's paragraphs below the closing '---'")])
    return brief


def _declared_id(path: Path):
    try:
        front, _, _ = _split_front_matter(path, _decode(path, path.read_bytes()))
        meta = load_yaml(front)
    except (DataError, yaml.YAMLError):
        return None  # read_brief reports these
    return meta.get("id") if isinstance(meta, dict) else None


def _duplicate_ids(paths: list[Path]) -> list[Problem]:
    """Two files declaring the same id: reported even when one of them is also misnamed."""
    first: dict[str, Path] = {}
    problems = []
    for path in paths:
        brief_id = _declared_id(path)
        if not isinstance(brief_id, str):
            continue
        if brief_id in first:
            problems.append(Problem(path, 2, f"duplicate id '{brief_id}', already used by {first[brief_id].name}",
                                    "give each brief its own id, equal to its file name"))
        else:
            first[brief_id] = path
    return problems


def _duplicate_labels(briefs: list[Brief]) -> list[Problem]:
    """Two briefs under one label could not be told apart where the book cites them."""
    first: dict[str, Brief] = {}
    problems = []
    for brief in briefs:
        other = first.setdefault(brief.label.casefold(), brief)
        if other is not brief:
            problems.append(Problem(brief.path, _field_line(_front_of(brief.path), "short"),
                                    f"label '{brief.label}' ({brief.label_origin}) is already the label of {other.path.name}",
                                    f"give one of them its own label, e.g. 'short: {brief.label}b'"))
    return problems


def _front_of(path: Path) -> str:
    return _split_front_matter(path, _decode(path, path.read_bytes()))[0]


def load_briefs(folder: Path) -> list[Brief]:
    """All briefs in the folder, oldest first; every problem in every file is reported at once."""
    briefs, problems = [], []
    paths = sorted(folder.glob("*.md"))
    for path in paths:
        try:
            briefs.append(read_brief(path))
        except DataError as error:
            problems.extend(error.problems)
    problems.extend(_duplicate_ids(paths))
    problems.extend(_duplicate_labels(briefs))
    if not paths:
        problems.append(Problem(folder, None, "there are no briefs", "add a file <id>.md to this folder"))
    if problems:
        raise DataError(problems)
    return sorted(briefs, key=lambda brief: (brief.date_value, brief.id))
