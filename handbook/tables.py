"""Derived tables, computed from data/ at build time. Each records in .attrs the briefs it draws on."""

from __future__ import annotations

import pandas as pd

from handbook.corpus import Corpus
from handbook.positions import NOT_ADDRESSED, NOT_CODED


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
    """Share of each brief's passages on each theme, in per cent."""
    shares = {theme.label: _theme_share(corpus, theme.id) for theme in corpus.codebook.themes.values()}
    rows = []
    for brief in corpus.briefs:
        row = {"Brief": brief.label, "Passages": len(brief.passages)}
        for label, counts in shares.items():
            row[label] = round(100 * counts.at[brief.id, "sum"] / counts.at[brief.id, "size"])
        rows.append(row)
    return _sourced(pd.DataFrame(rows), corpus, "data/briefs/, data/codebook.yml")


def theme_coverage(corpus: Corpus, theme: str) -> pd.DataFrame:
    counts = _theme_share(corpus, theme)
    frame = pd.DataFrame([
        {"Brief": b.label, "Published": b.date, "Passages": int(counts.loc[b.id, "size"]),
         "On this theme": int(counts.loc[b.id, "sum"]),
         "Share (%)": round(100 * counts.loc[b.id, "sum"] / counts.loc[b.id, "size"])}
        for b in corpus.briefs
    ])
    return _sourced(frame, corpus, "data/briefs/, data/codebook.yml")


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


METHOD_NAMES = {"dictionary": "Dictionary (codebook terms)", "hybrid": "Hybrid (model + terms)",
                "model": "Model (words only)"}


def _labelled_briefs(corpus: Corpus) -> list[str]:
    brief_of = dict(zip(corpus.passages["passage_id"], corpus.passages["brief_id"]))
    labelled = {brief_of[pid] for pid in corpus.labels if pid in brief_of}
    return [brief.id for brief in corpus.briefs if brief.id in labelled]


def tagging_quality(corpus: Corpus) -> pd.DataFrame:
    """Per theme, the method that tags it and its precision, recall and F1 against the hand labels:
    in sample (fitted on all labelled passages) and leave-one-brief-out (fitted without the brief scored)."""
    evaluation = corpus.tagging.evaluation
    chosen = evaluation[evaluation["chosen"]]
    frame = pd.DataFrame({
        "Theme": [corpus.codebook.themes[theme].label for theme in chosen["theme"]],
        "Tagged by": [METHOD_NAMES[method] for method in chosen["method"]],
        "Hand-labelled": chosen["labelled"].to_list(),
        **{f"{name} (in sample)": chosen[f"{key}_in"].round(2).to_list() for key, name in _MEASURES},
        **{f"{name} (held-out brief)": chosen[f"{key}_out"].round(2).to_list() for key, name in _MEASURES},
    })
    return _sourced(frame, corpus, "data/labels.csv, data/codebook.yml", _labelled_briefs(corpus))


_MEASURES = (("precision", "Precision"), ("recall", "Recall"), ("f1", "F1"))


def tagging_methods(corpus: Corpus) -> pd.DataFrame:
    """Leave-one-brief-out F1 of every method for every theme: the comparison that chooses the method."""
    evaluation = corpus.tagging.evaluation
    scores = evaluation.pivot(index="theme", columns="method", values="f1_out").round(2)
    frame = pd.DataFrame({"Theme": [theme.label for theme in corpus.codebook.themes.values()]})
    for method, name in METHOD_NAMES.items():
        frame[name] = [scores.at[theme, method] for theme in corpus.codebook.themes]
    frame["Chosen"] = [METHOD_NAMES[corpus.tagging.methods[theme]] for theme in corpus.codebook.themes]
    return _sourced(frame, corpus, "data/labels.csv, data/codebook.yml", _labelled_briefs(corpus))


def tagging_choice(corpus: Corpus) -> str:
    """Which method tags which themes, as a sentence."""
    by_method = {}
    for theme, method in corpus.tagging.methods.items():
        by_method.setdefault(method, []).append(corpus.codebook.themes[theme].label)
    if len(by_method) == 1:
        return f"The {next(iter(by_method))} tags every theme."
    sentence = "; ".join(f"the {method} tags {', '.join(labels)}" for method, labels in by_method.items())
    return sentence[0].upper() + sentence[1:] + "."


def codebook_summary(corpus: Corpus) -> pd.DataFrame:
    frame = pd.DataFrame([
        {"Theme": theme.label, "Definition": theme.definition,
         "Strong terms (2 points)": ", ".join(theme.strong), "Weak terms (1 point)": ", ".join(theme.weak)}
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
