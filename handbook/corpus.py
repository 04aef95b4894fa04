"""Everything in data/, loaded and checked together: briefs, passages with their themes, positions, labels."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from handbook import project
from handbook.briefs import Brief, load_briefs
from handbook.context import Context, load_context
from handbook.events import Event, load_events
from handbook.notes import Note, load_notes, validate as validate_notes
from handbook.passages import passages_frame
from handbook.positions import NOT_YET_CODED, SUGGESTED, Question, load_positions
from handbook.problems import DataError, Problem, yaml_lines
from handbook.reliability import Cell, second_coding
from handbook.themes import Codebook, Tagging, load_codebook, load_labels, tag_passages

# Beyond this many briefs awaiting coding, a question lists them instead of quoting each one.
MAX_SUGGESTED = 8

# Okabe–Ito: distinguishable with the common forms of colour blindness. A brief keeps its colour
# when others are added, because colours follow the order in which briefs entered the handbook.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


@dataclass
class Corpus:
    data: Path
    briefs: list[Brief]
    codebook: Codebook
    questions: list[Question]
    labels: dict[str, set[str]]
    events: list[Event]
    cells: list[Cell]  # the cells coded twice, for agreement
    context: Context = field(default_factory=Context)
    notes: dict[str, Note] = field(default_factory=dict)

    def brief(self, brief_id: str) -> Brief:
        return next(brief for brief in self.briefs if brief.id == brief_id)

    @cached_property
    def colours(self) -> dict[str, str]:
        in_order = sorted(self.briefs, key=lambda brief: (brief.added or "9999", brief.date_value, brief.id))
        return {brief.id: PALETTE[index % len(PALETTE)] for index, brief in enumerate(in_order)}

    @cached_property
    def tagging(self) -> Tagging:
        """Every passage's themes with their reasons, and how the method for each theme was chosen."""
        frame = passages_frame(self.briefs)
        return tag_passages(self.codebook, dict(zip(frame["passage_id"], frame["text"])),
                            dict(zip(frame["passage_id"], frame["brief_id"])), self.labels,
                            cache=self.data.parent / "_build" / "cache")

    @cached_property
    def passages(self) -> pd.DataFrame:
        """One row per passage, with its themes and the reasons for each (terms found, or the words that
        weighed most in the model)."""
        frame = passages_frame(self.briefs)
        tags = [self.tagging.tags[passage_id] for passage_id in frame["passage_id"]]
        frame["themes"] = [";".join(theme for theme in self.codebook.themes if theme in tag) for tag in tags]
        frame["reasons"] = [
            "; ".join(f"{theme}: {', '.join(terms)}" for theme, terms in tag.items()) for tag in tags
        ]
        return frame

    @cached_property
    def _texts(self) -> dict[str, str]:
        return dict(zip(self.passages["passage_id"], self.passages["text"]))

    def passage_text(self, passage_id: str) -> str:
        return self._texts[passage_id]

    def on_theme(self, theme: str) -> pd.Series:
        """For each passage (in the order of `passages`), whether it carries the theme."""
        return self.passages["themes"].str.split(";").apply(lambda themes: theme in themes)

    def awaiting_coding(self) -> bool:
        """Whether a comparison will suggest passages: a key question with a brief not yet coded on it,
        and no more than MAX_SUGGESTED such briefs (beyond that it lists them without quoting)."""
        return any(0 < len(self.waiting(question)) <= MAX_SUGGESTED for question in self.questions)

    def waiting(self, question: Question) -> list[Brief]:
        """The briefs not yet coded on a key question."""
        return [brief for brief in self.briefs if question.position(brief.id).status in (SUGGESTED, NOT_YET_CODED)]

    def questions_for(self, theme: str) -> list[Question]:
        return [question for question in self.questions if question.theme == theme]

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"no key question '{question_id}' in data/questions/*.yml")


def load_corpus(root: Path | None = None) -> Corpus:
    """Load and cross-check all of data/; raise DataError listing every problem found."""
    data = (root or project.root()) / "data"
    problems: list[Problem] = []

    def attempt(load, *args, default=None):
        try:
            return load(*args)
        except DataError as error:
            problems.extend(error.problems)
            return default

    briefs = attempt(load_briefs, data / "briefs", default=[])
    codebook = attempt(load_codebook, data / "codebook.yml")
    labels = attempt(load_labels, data / "labels.csv", codebook, default={}) if codebook else {}
    events = attempt(load_events, data / "events.csv", default=[])
    context = attempt(load_context, data / "context", set(codebook.themes) if codebook else None, default=Context())
    notes = attempt(load_notes, data / "notes.yml", default={})

    passage_texts = {p.id: p.text for brief in briefs for p in brief.passages}
    brief_ids = {brief.id for brief in briefs}
    questions, found = load_positions(data, passage_texts, brief_ids, set(codebook.themes) if codebook else set())
    problems.extend(found)
    cells, found = second_coding(data, questions, passage_texts, brief_ids)
    problems.extend(found)
    if briefs:
        label_lines = {row.split(",", 1)[0]: number for number, row in
                       enumerate((data / "labels.csv").read_text(encoding="utf-8").split("\n"), start=1)}
        for passage_id in labels:
            if passage_id not in passage_texts:
                problems.append(Problem(data / "labels.csv", label_lines.get(passage_id),
                                        f"passage '{passage_id}' does not exist",
                                        "remove the row or correct the passage id"))
        for event in events:
            for passage_id in event.passages:
                if passage_id not in passage_texts:
                    problems.append(Problem(data / "events.csv", event.line,
                                            f"event '{event.name}' cites passage '{passage_id}', which does not exist",
                                            "correct the passage id"))
        problems.extend(validate_notes(notes, passage_texts, data / "notes.yml"))
        if codebook:
            lines = yaml_lines((data / "codebook.yml").read_text(encoding="utf-8"))
            for theme in codebook.themes.values():
                for index, passage_id in enumerate(theme.examples):
                    if passage_id not in passage_texts:
                        problems.append(Problem(data / "codebook.yml", lines[("themes", theme.id, "examples", index)],
                                                f"example '{passage_id}' of theme '{theme.id}' does not exist",
                                                "use a passage id of a brief in data/briefs/"))
    if problems:
        raise DataError(problems)
    return Corpus(data, briefs, codebook, questions, labels, events, cells, context, notes)


def _read_pickle(path: Path) -> Corpus | None:
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # not built yet for this data, or written by other code


def checked_corpus(root: Path | None = None) -> Corpus:
    """The corpus, checked: from the pickle of cached_corpus when this very data and code were checked
    before (a corpus with problems is never pickled), otherwise loaded and checked now.

    A build with unchanged data/ then spends milliseconds, not the second that parsing every brief
    and YAML file takes, on the check every build starts with.
    """
    root = root or project.root()
    return _read_pickle(project.corpus_pickle(root, project.fingerprint(root))) or load_corpus(root)


def cached_corpus(root: Path | None = None, loaded: Corpus | None = None) -> Corpus:
    """The corpus, checked and tagged, from a pickle keyed by the fingerprint of data/ and handbook/.

    Every executed page needs the tagged corpus; tagging it once per build rather than once per page
    is what keeps builds with many briefs short. While a brief awaits coding, its passages are ranked
    here too, for every comparison that suggests one (with the method that the held-out evaluation of
    the suggestions chooses, which takes seconds unless kept from an earlier build); the kernels then
    need not import scikit-learn. With every brief coded only the method page reads that evaluation,
    and computes it there, while the pages that wait for this pickle are already running. Any
    change to data/ or to this package changes the key, so a stale copy is never read; a corpus with
    problems is never written. `loaded` is a corpus the caller has just loaded from the same data, to
    be tagged and kept rather than loaded again.
    """
    from handbook import suggest

    root = root or project.root()
    path = project.corpus_pickle(root, project.fingerprint(root))
    folder = path.parent
    corpus = _read_pickle(path)
    if corpus is not None:
        return corpus
    corpus = loaded or load_corpus(root)
    corpus.passages  # tag now, so that the pickle carries the tags
    corpus._texts
    if corpus.awaiting_coding():
        for question in corpus.questions:
            waiting = corpus.waiting(question)
            for brief in waiting if len(waiting) <= MAX_SUGGESTED else []:
                suggest.for_brief(corpus, question, brief.id)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(pickle.dumps(corpus, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(partial, path)  # atomic: a page reading at the same time sees the whole file or none
    for stale in folder.glob("corpus-*.pickle"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return corpus
