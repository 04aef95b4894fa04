"""Context from outside the briefs (data/context/): sourced figures, IMF programmes and events none
of the briefs cites. Every row names its source and the http(s) page it was read from; every CSV has a
metadata file beside it (title, coverage, what is left out, licence, date retrieved)."""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from handbook.briefs import http_url
from handbook.problems import DataError, Problem, load_yaml, yaml_problem

COLUMNS = {
    "series": ["year", "indicator", "value", "unit", "source", "url", "note"],
    "programmes": ["start", "end", "months", "facility", "value", "unit", "source", "url", "note"],
    "events": ["date", "event", "themes", "description", "source", "url"],
}
META_KEYS = ["title", "kind", "years", "coverage", "description", "left_out", "licence", "retrieved"]
DATE = re.compile(r"^\d{4}(-\d{2}){0,2}$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ContextEvent:
    date: str
    name: str
    themes: tuple[str, ...]
    description: str
    source: str
    url: str
    line: int


@dataclass
class Dataset:
    name: str
    meta: dict
    frame: pd.DataFrame


@dataclass
class Context:
    datasets: dict[str, Dataset] = field(default_factory=dict)
    events: list[ContextEvent] = field(default_factory=list)

    def frame(self, name: str) -> pd.DataFrame:
        return self.datasets[name].frame

    def value(self, name: str, year: int, indicator: str) -> float:
        frame = self.frame(name)
        row = frame[(frame["year"] == year) & (frame["indicator"] == indicator)]
        if row.empty:
            raise KeyError(f"no {indicator!r} for {year} in data/context/{name}.csv")
        return row["value"].iloc[0]

    def events_for(self, theme: str) -> list[ContextEvent]:
        return sorted((event for event in self.events if theme in event.themes), key=lambda event: event.date)

    @property
    def urls(self) -> set[str]:
        found = {event.url for event in self.events}
        for dataset in self.datasets.values():
            found |= set(dataset.frame["url"])
        return found


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _read_meta(path: Path, problems: list[Problem]) -> dict | None:
    if not path.exists():
        problems.append(Problem(path, None, "the metadata file is missing",
                                f"add {path.name} with the keys {', '.join(META_KEYS)}"))
        return None
    try:
        meta = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        problems.append(yaml_problem(path, error))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(path, 1, "the metadata is not a mapping of keys to values",
                                f"write one 'key: value' line for each of {', '.join(META_KEYS)}"))
        return None
    missing = [key for key in META_KEYS if not meta.get(key)]
    if missing:
        problems.append(Problem(path, None, f"the metadata lacks {', '.join(missing)}",
                                "give every key a value; say in left_out what the source lacks"))
    if meta.get("kind") not in COLUMNS:
        problems.append(Problem(path, None, f"kind {meta.get('kind')!r} is not one of {', '.join(COLUMNS)}",
                                "write kind: series, programmes or events"))
    years = meta.get("years")
    if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)
            and years[0] <= years[1]):
        problems.append(Problem(path, None, f"years {years!r} is not a [first, last] pair of years",
                                "write the years the file covers, e.g. years: [2008, 2018]"))
        meta["years"] = [1947, dt.date.today().year]
    if meta.get("retrieved") and not isinstance(meta["retrieved"], dt.date):
        problems.append(Problem(path, None, f"retrieved {meta['retrieved']!r} is not a date",
                                "write the date the figures were read, as YYYY-MM-DD"))
    return meta


def _check_sourced(path: Path, line: int, row: dict, problems: list[Problem]) -> None:
    if not (row.get("source") or "").strip():
        problems.append(Problem(path, line, "the row has no source",
                                "name the publisher and the document the figure was read from"))
    if not http_url(row.get("url") or ""):
        problems.append(Problem(path, line, f"url {row.get('url')!r} is not an http(s) address",
                                "give the http(s) address of the page the figure was read from"))


def _check_value(path: Path, line: int, row: dict, problems: list[Problem]) -> None:
    if _number(row.get("value")) is None:
        hint = " without thousands separators" if "," in (row.get("value") or "") else ""
        problems.append(Problem(path, line, f"value {row.get('value')!r} is not a number",
                                f"enter the figure exactly as the source gives it, as a plain number{hint}"))
    if not (row.get("unit") or "").strip():
        problems.append(Problem(path, line, "the row has no unit",
                                "give the unit the source states, e.g. 'US$ million (current)'"))


def _check_year(path: Path, line: int, year: int, years: list[int], problems: list[Problem]) -> None:
    if not years[0] <= year <= years[1]:
        problems.append(Problem(path, line, f"year {year} is outside the years {years[0]}-{years[1]} "
                                            "the metadata declares",
                                "correct the year, or the years in the metadata file"))


def _series_row(path, line, row, meta, seen, problems):
    _check_sourced(path, line, row, problems)
    _check_value(path, line, row, problems)
    if not re.fullmatch(r"\d{4}", row.get("year") or ""):
        problems.append(Problem(path, line, f"year {row.get('year')!r} is not a four-digit year",
                                "write the year as e.g. 2014"))
        return
    _check_year(path, line, int(row["year"]), meta["years"], problems)
    if not (row.get("indicator") or "").strip():
        problems.append(Problem(path, line, "the row has no indicator", "name what the figure measures"))
    key = (row["year"], row.get("indicator"))
    if key in seen:
        problems.append(Problem(path, line, f"{key[1]!r} for {key[0]} is given twice (also line {seen[key]})",
                                "keep one row per year and indicator"))
    seen.setdefault(key, line)


def _programme_row(path, line, row, meta, seen, problems):
    _check_sourced(path, line, row, problems)
    _check_value(path, line, row, problems)
    if not (row.get("facility") or "").strip():
        problems.append(Problem(path, line, "the row has no facility", "name the IMF facility"))
    start = row.get("start") or ""
    if not DAY.match(start):
        problems.append(Problem(path, line, f"start {start!r} is not a date YYYY-MM-DD",
                                "write the date of approval, e.g. 2013-09-04"))
        return
    _check_year(path, line, int(start[:4]), meta["years"], problems)
    end, months = row.get("end") or "", row.get("months") or ""
    if end and (not DAY.match(end) or end < start):
        problems.append(Problem(path, line, f"end {end!r} is not a date YYYY-MM-DD on or after the start",
                                "write the expiry date the source gives, or leave it empty and give months"))
    if months and not (months.isdigit() and int(months) > 0):
        problems.append(Problem(path, line, f"months {months!r} is not a whole number of months",
                                "write the approved length, e.g. 37"))
    if not end and not months:
        problems.append(Problem(path, line, "the row has neither an end date nor a length in months",
                                "give the expiry date, or the approved length in months, as the source states"))


def _event_row(path, line, row, meta, themes, problems):
    _check_sourced(path, line, row, problems)
    date = row.get("date") or ""
    if not DATE.match(date):
        problems.append(Problem(path, line, f"date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD",
                                "write the date as e.g. 2011-05-02"))
    else:
        _check_year(path, line, int(date[:4]), meta["years"], problems)
    for key in ("event", "description"):
        if not (row.get(key) or "").strip():
            problems.append(Problem(path, line, f"the row has no {key}", f"write the event's {key}"))
    tags = [theme for theme in (row.get("themes") or "").split(";") if theme]
    if not tags:
        problems.append(Problem(path, line, "the row has no themes",
                                "list the themes it belongs to, separated by ';', e.g. india;security"))
    for theme in tags:
        if themes is not None and theme not in themes:
            problems.append(Problem(path, line, f"theme {theme!r} is not a theme of the codebook",
                                    f"use one of {', '.join(sorted(themes))}"))


def _read_csv(path: Path, kind: str, problems: list[Problem]) -> list[tuple[int, dict]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS[kind]:
            problems.append(Problem(path, 1, f"the columns are {reader.fieldnames}",
                                    "use the header: " + ",".join(COLUMNS[kind])))
            return []
        for row in reader:
            rows.append((reader.line_num, {key: (value or "").strip() for key, value in row.items() if key}))
    return rows


def load_context(folder: Path, themes: set[str] | None = None) -> Context:
    """Read and check every CSV in data/context/ with its metadata; raise DataError listing every problem."""
    context = Context()
    if not folder.is_dir():
        return context
    problems: list[Problem] = []
    known = None if themes is None else set(themes)
    for meta_path in sorted(folder.glob("*.yml")):
        if not meta_path.with_suffix(".csv").exists():
            problems.append(Problem(meta_path, None, "there is no CSV beside this metadata file",
                                    f"add {meta_path.with_suffix('.csv').name}, or remove the metadata file"))
    for path in sorted(folder.glob("*.csv")):
        meta = _read_meta(path.with_suffix(".yml"), problems)
        if meta is None or meta.get("kind") not in COLUMNS:
            continue
        kind = meta["kind"]
        rows = _read_csv(path, kind, problems)
        if not rows and not any(p.path == path for p in problems):
            problems.append(Problem(path, None, "the file has no rows", "enter the figures, or remove the file"))
        seen: dict = {}
        for line, row in rows:
            if kind == "series":
                _series_row(path, line, row, meta, seen, problems)
            elif kind == "programmes":
                _programme_row(path, line, row, meta, seen, problems)
            else:
                _event_row(path, line, row, meta, known, problems)
        if kind == "events":
            context.events += [ContextEvent(row["date"], row["event"], tuple(filter(None, row["themes"].split(";"))),
                                            row["description"], row["source"], row["url"], line)
                               for line, row in rows]
        else:
            frame = pd.DataFrame([row for _, row in rows], columns=COLUMNS[kind])
            frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
            if kind == "series":
                frame["year"] = pd.to_numeric(frame["year"], errors="coerce")
            context.datasets[path.stem] = Dataset(path.stem, meta, frame)
    if problems:
        raise DataError(problems)
    return context
