"""Derived tables, computed from data/ at build time. Each records in .attrs the briefs it draws on."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from handbook.corpus import Corpus
from handbook.positions import NOT_ADDRESSED, NOT_CODED
from handbook.themes import quality


# The passage explorer's page, relative to the book's root (handbook.render makes links relative to the page).
EXPLORER_PAGE = "explorer.html"


def explorer_query(brief: str, theme: str) -> str:
    """The passage explorer opened on the passages of one brief (its label) on one theme (its id)."""
    return f"{EXPLORER_PAGE}?{urlencode({'brief': brief, 'theme': theme})}"


def words(text: str) -> int:
    return len(text.split())


def _sourced(frame: pd.DataFrame, corpus: Corpus, files: str, brief_ids=None) -> pd.DataFrame:
    ids = list(brief_ids) if brief_ids is not None else [brief.id for brief in corpus.briefs]
    frame.attrs["briefs"] = [corpus.brief(brief_id).label for brief_id in ids]
    frame.attrs["files"] = files
    return frame


def briefs_overview(corpus: Corpus) -> pd.DataFrame:
    frame = pd.DataFrame([
        {"Brief": b.label, "Title": b.title, "Author(s)": b.author_line, "Institution": b.institution,
         "Published": b.date, "Perspective": b.perspective, "Passages": len(b.passages)}
        for b in corpus.briefs
    ])
    return _sourced(frame, corpus, "data/briefs/")


def _theme_share(corpus: Corpus, theme: str) -> pd.DataFrame:
    return corpus.on_theme(theme).groupby(corpus.passages["brief_id"]).agg(["sum", "size"])


def theme_matrix(corpus: Corpus) -> pd.DataFrame:
    """Share of each brief's passages on each theme, in per cent. Online, each share links to the
    passages it counts (attrs["theme_columns"])."""
    shares = {theme.label: _theme_share(corpus, theme.id) for theme in corpus.codebook.themes.values()}
    rows = []
    for brief in corpus.briefs:
        row = {"Brief": brief.label, "Passages": len(brief.passages)}
        for label, counts in shares.items():
            row[label] = round(100 * counts.at[brief.id, "sum"] / counts.at[brief.id, "size"])
        rows.append(row)
    frame = _sourced(pd.DataFrame(rows), corpus, "data/briefs/, data/codebook.yml")
    frame.attrs["theme_columns"] = {theme.label: theme.id for theme in corpus.codebook.themes.values()}
    return frame


def theme_coverage(corpus: Corpus, theme: str) -> pd.DataFrame:
    """How many of each brief's passages are on the theme. Online, the counts link to those passages."""
    counts = _theme_share(corpus, theme)
    frame = pd.DataFrame([
        {"Brief": b.label, "Published": b.date, "Passages": int(counts.loc[b.id, "size"]),
         "On this theme": int(counts.loc[b.id, "sum"]),
         "Share (%)": round(100 * counts.loc[b.id, "sum"] / counts.loc[b.id, "size"])}
        for b in corpus.briefs
    ])
    frame = _sourced(frame, corpus, "data/briefs/, data/codebook.yml")
    frame.attrs["theme_columns"] = {"On this theme": theme, "Share (%)": theme}
    return frame


def theme_share_by_words(corpus: Corpus, theme: str) -> pd.DataFrame:
    """Each brief's share on the theme measured two ways: by passages, and by the words in them. They
    differ when a brief mixes short list items with long paragraphs."""
    passages = corpus.passages.assign(words=corpus.passages["text"].map(words), on=corpus.on_theme(theme))
    rows = []
    for brief in corpus.briefs:
        own = passages[passages["brief_id"] == brief.id]
        rows.append({"Brief": brief.label, "Passages": len(own), "Words": int(own["words"].sum()),
                     "On the theme (passages)": int(own["on"].sum()),
                     "On the theme (words)": int(own.loc[own["on"], "words"].sum()),
                     "By passages (%)": round(100 * own["on"].mean()) if len(own) else 0,
                     "By words (%)": round(100 * own.loc[own["on"], "words"].sum() / max(own["words"].sum(), 1))})
    return _sourced(pd.DataFrame(rows), corpus, "data/briefs/, data/codebook.yml")


def position_map(corpus: Corpus, theme: str) -> pd.DataFrame:
    """Each brief's coded position on each key question (Q1, Q2, … in chapter order); uncoded briefs
    say so. One row per brief, so that the table keeps its width however many briefs there are."""
    questions = corpus.questions_for(theme)
    rows = []
    for brief in corpus.briefs:
        row = {"Brief": brief.label}
        for number, question in enumerate(questions, start=1):
            position = question.positions.get(brief.id)
            row[f"Q{number}. {question.text}"] = question.label(position.code) if position else NOT_CODED
        rows.append(row)
    return _sourced(pd.DataFrame(rows), corpus, f"data/positions/{theme}.yml")


def position_codes(corpus: Corpus, theme: str) -> pd.DataFrame:
    """The position map in long form: one row per question and brief, for the chart and the CSV."""
    rows = []
    for number, question in enumerate(corpus.questions_for(theme), start=1):
        for brief in corpus.briefs:
            position = question.positions.get(brief.id)
            if position is None:
                status, code = NOT_CODED, ""
            elif position.code == NOT_ADDRESSED:
                status, code = "not addressed", ""
            else:
                status, code = "coded", position.code
            rows.append({"question_id": question.id, "number": f"Q{number}", "question": question.text,
                         "brief": brief.label,
                         "status": status, "code": code,
                         "position": question.label(position.code) if position else NOT_CODED,
                         "passage_id": position.passage_id if position else ""})
    return _sourced(pd.DataFrame(rows), corpus, f"data/positions/{theme}.yml")


def question_coverage(corpus: Corpus, theme: str) -> pd.DataFrame:
    """For each key question of the theme: the briefs that take a position, those that do not address
    it, and (while any) those not coded yet."""
    codes = position_codes(corpus, theme)
    rows = []
    for question, group in codes.groupby("question", sort=False):
        def briefs(status):
            return ", ".join(group.loc[group["status"] == status, "brief"])
        rows.append({"Key question": question, "Briefs taking a position": briefs("coded"),
                     "Do not address it": briefs("not addressed"), "Not coded yet": briefs(NOT_CODED)})
    frame = pd.DataFrame(rows)
    if (frame["Not coded yet"] == "").all():
        frame = frame.drop(columns="Not coded yet")
    return _sourced(frame, corpus, f"data/positions/{theme}.yml")


def tagging_quality(corpus: Corpus) -> pd.DataFrame:
    passages = corpus.passages.set_index("passage_id")
    predicted = {pid: set(filter(None, themes.split(";"))) for pid, themes in passages["themes"].items()}
    labelled = {pid: themes for pid, themes in corpus.labels.items() if pid in passages.index}
    frame = quality(predicted, labelled, corpus.codebook.themes)
    frame["theme"] = [corpus.codebook.themes[theme].label for theme in frame["theme"]]
    for column in ("precision", "recall", "f1"):
        frame[column] = frame[column].round(2)
    frame.columns = ["Theme", "Hand-labelled", "Tagged", "Both", "Precision", "Recall", "F1"]
    brief_ids = sorted({pid.rsplit("-", 1)[0] for pid in labelled}, key=[b.id for b in corpus.briefs].index)
    return _sourced(frame, corpus, "data/labels.csv, data/codebook.yml", brief_ids)


def codebook_summary(corpus: Corpus) -> pd.DataFrame:
    """The codebook as a reader can check it: each term as the words it matches in the briefs (the
    regular expressions stay in data/codebook.yml), and the passing phrases that are set aside."""
    texts = list(corpus.passages["text"])
    frame = pd.DataFrame([
        {"Theme": theme.label, "Definition": theme.definition,
         "Strong terms (2 points)": ", ".join(theme.occurrences(theme.strong, texts)),
         "Weak terms (1 point)": ", ".join(theme.occurrences(theme.weak, texts)),
         "Set aside as passing mentions": "; ".join(theme.occurrences(theme.passing, texts))}
        for theme in corpus.codebook.themes.values()
    ])
    return _sourced(frame, corpus, "data/codebook.yml", [])


def events(corpus: Corpus) -> pd.DataFrame:
    labels = {p.id: corpus.brief(p.brief_id).label for b in corpus.briefs for p in b.passages}
    frame = pd.DataFrame([
        {"Date": event.date, "Event": event.name, "Cited by": ", ".join(sorted({labels[p] for p in event.passages})),
         "Passages": ", ".join(event.passages), "What happened": event.description}
        for event in sorted(corpus.events, key=lambda event: event.date)
    ])
    cited = {pid.rsplit("-", 1)[0] for event in corpus.events for pid in event.passages}
    return _sourced(frame, corpus, "data/events.csv", [b.id for b in corpus.briefs if b.id in cited])


def what_changed(corpus: Corpus) -> pd.DataFrame:
    frame = pd.DataFrame([
        {"Added to the handbook": b.added or "first edition", "Brief": b.label, "Title": b.title,
         "Published": b.date, "Institution": b.institution}
        for b in sorted(corpus.briefs, key=lambda b: (b.added, b.date_value))
    ])
    return _sourced(frame, corpus, "data/briefs/ (field 'added')")
