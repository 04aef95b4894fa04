"""Events the briefs cite (data/events.csv), each linked to the passages that cite it."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from handbook.problems import DataError, Problem

COLUMNS = ["date", "event", "passages", "description"]


@dataclass(frozen=True)
class Event:
    date: str
    name: str
    passages: tuple[str, ...]
    description: str
    line: int


def load_events(path: Path) -> list[Event]:
    if not path.exists():
        return []
    events, problems = [], []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise DataError([Problem(path, 1, f"the columns are {reader.fieldnames}",
                                     "use the header: " + ",".join(COLUMNS))])
        for line, row in enumerate(reader, start=2):
            if not _is_date(row["date"] or ""):
                problems.append(Problem(path, line, f"date {row['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD",
                                        "write the date as e.g. 1988-04-14"))
            events.append(Event(row["date"], row["event"],
                                tuple(pid for pid in (row["passages"] or "").split(";") if pid),
                                row["description"], line))
    if problems:
        raise DataError(problems)
    return events


def _is_date(text: str) -> bool:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$", text)
    if not match or match.group(3) and not match.group(2):
        return False
    year, month, day = (int(part or 1) for part in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
