"""Editor's notes on the briefs' own errors (data/notes.yml), keyed by passage id.

The quote stays verbatim; the note gives the record with its sources. Notes appear under their passage
in the Sources appendix and under every quote from their passage in a chapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook.briefs import http_url
from handbook.problems import DataError, Problem, load_yaml, yaml_lines, yaml_problem

KINDS = {"correction": "Editor's note", "sic": "Editor's note [sic]"}


@dataclass(frozen=True)
class Note:
    passage_id: str
    kind: str
    text: str
    sources: tuple[tuple[str, str], ...]
    line: int

    def payload(self) -> dict:
        return {"passage_id": self.passage_id, "label": KINDS[self.kind], "text": self.text,
                "sources": [list(source) for source in self.sources]}


def load_notes(path: Path) -> dict[str, Note]:
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        entries = load_yaml(text) or {}
        lines = yaml_lines(text)
    except yaml.YAMLError as error:
        raise DataError([yaml_problem(path, error)]) from None
    if not isinstance(entries, dict):
        raise DataError([Problem(path, 1, "the notes are not a mapping of passage ids to notes",
                                 "start each note with its passage id, e.g. 'issra-2024-16:'")])
    notes, problems = {}, []
    for passage_id, entry in entries.items():
        line = lines.get((str(passage_id),))
        if not isinstance(entry, dict):
            problems.append(Problem(path, line, f"the note on '{passage_id}' is not a mapping",
                                    "give it the keys kind, note and (for a correction) sources"))
            continue
        kind, note = entry.get("kind"), (entry.get("note") or "").strip()
        if kind not in KINDS:
            problems.append(Problem(path, line, f"the note on '{passage_id}' has kind {kind!r}",
                                    f"use kind: {' or '.join(KINDS)}"))
        if not note:
            problems.append(Problem(path, line, f"the note on '{passage_id}' has no text",
                                    "write what the record says under 'note:'"))
        sources = []
        for source in entry.get("sources") or []:
            label = (source.get("source") or "").strip() if isinstance(source, dict) else ""
            url = (source.get("url") or "").strip() if isinstance(source, dict) else ""
            if not label or not http_url(url):
                problems.append(Problem(path, line, f"a source of the note on '{passage_id}' lacks a name "
                                                    "or an http(s) URL",
                                        "give each source as '- source: <publisher, document>' and "
                                        "'url: https://…'"))
            sources.append((label, url))
        if kind == "correction" and not sources:
            problems.append(Problem(path, line, f"the correction of '{passage_id}' has no source",
                                    "add sources: with the publisher, document and http(s) URL of the record"))
        notes[str(passage_id)] = Note(str(passage_id), kind, note, tuple(sources), line or 1)
    if problems:
        raise DataError(problems)
    return notes


def validate(notes: dict[str, Note], passage_texts: dict[str, str], path: Path) -> list[Problem]:
    return [Problem(path, note.line, f"passage '{note.passage_id}' does not exist",
                    "key the note by the id of a passage in data/briefs/ (python -m handbook passages lists them)")
            for note in notes.values() if note.passage_id not in passage_texts]

