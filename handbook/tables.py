"""Derived tables, computed from data/ at build time. Each records in .attrs the briefs it draws on."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

import pandas as pd

from handbook.corpus import Corpus
from handbook.positions import CODED, NOT_ADDRESSED, NOT_APPLICABLE, STATUS_LABELS


# A status in the long tables and their CSV: words, as the reader sees them.
STATUS_WORDS = {CODED: "coded", **STATUS_LABELS}


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
        row = {"Brief": brief.label}  # how many passages each brief has: the briefs table above
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
    passages["on_words"] = passages["words"].where(passages["on"], 0)
    # One grouping, not one selection per brief: at 200 briefs the selections took most of a second.
    totals = passages.groupby("brief_id")[["words", "on", "on_words"]].sum()
    sizes = passages.groupby("brief_id").size()
    rows = []
    for brief in corpus.briefs:
        size = int(sizes.get(brief.id, 0))
        total, on, on_words = totals.loc[brief.id] if size else (0, 0, 0)
        rows.append({"Brief": brief.label, "Passages": size, "Words": int(total),
                     "On the theme (passages)": int(on), "On the theme (words)": int(on_words),
                     "By passages (%)": round(100 * (on / size)) if size else 0,
                     "By words (%)": round(100 * on_words / max(total, 1))})
    return _sourced(pd.DataFrame(rows), corpus, "data/briefs/, data/codebook.yml")


def position_map(corpus: Corpus, theme: str) -> pd.DataFrame:
    """Each brief's stance on each key question (Q1, Q2, … in chapter order), in words. One row per
    brief, so that the table keeps its width however many briefs there are."""
    questions = corpus.questions_for(theme)
    rows = []
    for brief in corpus.briefs:
        row = {"Brief": brief.label}
        for number, question in enumerate(questions, start=1):
            row[f"Q{number}. {question.text}"] = question.describe(question.position(brief.id))
        rows.append(row)
    return _sourced(pd.DataFrame(rows), corpus, f"data/questions/{theme}.yml, data/positions/{theme}.yml")


def position_codes(corpus: Corpus, theme: str) -> pd.DataFrame:
    """The position map in long form: one row per stance held, and one per cell not coded."""
    rows = []
    for number, question in enumerate(corpus.questions_for(theme), start=1):
        for brief in corpus.briefs:
            position = question.position(brief.id)
            base = {"question_id": question.id, "number": f"Q{number}", "question": question.text,
                    "brief": brief.label, "status": STATUS_WORDS[position.status]}
            if position.status == CODED:
                rows += [{**base, "stance": question.label(held.stance), "rank": list(question.stances).index(held.stance),
                          "passage_id": held.passage_id} for held in position.held]
            else:
                rows.append({**base, "stance": question.describe(position), "rank": len(question.stances), "passage_id": ""})
    return _sourced(pd.DataFrame(rows), corpus, f"data/questions/{theme}.yml, data/positions/{theme}.yml")


def agreement(corpus: Corpus, theme: str) -> pd.DataFrame:
    """For each key question: how many coded briefs share its most widely held stance."""
    rows = []
    for number, question in enumerate(corpus.questions_for(theme), start=1):
        figures = question.agreement()
        if not figures.coded:
            reading = "No brief coded"
        elif figures.holders == figures.coded and figures.coded > 1:
            reading = "All coded briefs share a stance" + (" (some hold others too)" if figures.diverges else "")
        elif figures.diverges:
            reading = f"Divided: {figures.in_use} stances in use"
        else:
            reading = "One brief coded"
        rows.append({"Key question": f"Q{number}. {question.text}", "Briefs coded": figures.coded,
                     "Most widely held stance": question.label(figures.top) if figures.top else "",
                     "Briefs holding it": figures.holders, "Reading": reading})
    return _sourced(pd.DataFrame(rows), corpus, f"data/positions/{theme}.yml")


def question_coverage(corpus: Corpus, theme: str) -> pd.DataFrame:
    """For each key question of the theme: the briefs that take a position, those that do not address
    it or to which it does not apply, and (while any) those not coded yet."""
    columns = {CODED: "Briefs taking a position", NOT_ADDRESSED: "Do not address it",
               NOT_APPLICABLE: "Not applicable", "uncoded": "Not coded yet"}
    rows = []
    for question in corpus.questions_for(theme):
        row = {"Key question": question.text, **{column: [] for column in columns.values()}}
        for brief in corpus.briefs:
            status = question.position(brief.id).status
            row[columns.get(status, columns["uncoded"])].append(brief.label)
        rows.append({key: ", ".join(value) if isinstance(value, list) else value for key, value in row.items()})
    frame = pd.DataFrame(rows)
    frame = frame.drop(columns=[c for c in ("Not applicable", "Not coded yet") if (frame[c] == "").all()])
    return _sourced(frame, corpus, f"data/positions/{theme}.yml")


def stance_scheme(corpus: Corpus, theme: str) -> pd.DataFrame:
    """A theme's key questions and their stances, with definitions and coding rules, in scheme order."""
    rows = [{"Key question": f"Q{number}. {question.text}" if index == 0 else "",
             "Stance": stance.label, "Definition": stance.definition, "Code it when": stance.include}
            for number, question in enumerate(corpus.questions_for(theme), start=1)
            for index, stance in enumerate(question.stances.values())]
    return _sourced(pd.DataFrame(rows), corpus, f"data/questions/{theme}.yml", [])


def coding_figures(corpus: Corpus) -> dict[str, int]:
    """Book-wide figures on the coding, for the method page's prose."""
    held = [(q.id, h.stance) for q in corpus.questions for p in q.coded() for h in p.held]
    counts = Counter(held)
    shared = sum(counts[item] >= 2 for item in held)
    return {"coded-stances": len(held), "shared-percent": round(100 * shared / len(held)) if held else 0,
            "double-coded-cells": len(corpus.cells)}


def reliability(corpus: Corpus) -> pd.DataFrame:
    """Agreement of the two independent codings, per theme (see handbook.reliability)."""
    from handbook.reliability import reliability as per_theme

    frame = per_theme(corpus.cells)
    frame["theme"] = [corpus.codebook.themes[theme].label for theme in frame["theme"]]
    frame["agreement"] = (100 * frame["agreement"]).round().astype(int)
    frame["kappa"] = frame["kappa"].round(2)
    frame.columns = ["Theme", "Cells coded twice", "Agreement (%)", "Cohen's kappa"]
    return _sourced(frame, corpus, "data/positions/, data/coding/second/", [])


def disagreements(corpus: Corpus) -> pd.DataFrame:
    """Every cell the two coders coded differently, both readings in words, and how it was settled."""
    questions = {question.id: question for question in corpus.questions}

    def words(question, value: str) -> str:
        if value in STATUS_WORDS:
            return STATUS_WORDS[value]
        return " / ".join(question.label(stance) for stance in value.split("+"))

    rows = []
    for cell in corpus.cells:
        if cell.agrees:
            continue
        question = questions[cell.question_id]
        rows.append({"Question": question.text, "Brief": corpus.brief(cell.brief_id).label,
                     "Book's first coding": words(question, cell.first), "Second coder": words(question, cell.second),
                     "Settled on": words(question, cell.resolved) if cell.resolved else "not yet settled",
                     "Why": cell.reason})
    return _sourced(pd.DataFrame(rows, columns=["Question", "Brief", "Book's first coding", "Second coder",
                                                "Settled on", "Why"]),
                    corpus, "data/positions/, data/coding/second/, data/coding/resolutions.yml", [])


def off_theme_quotes(corpus: Corpus) -> pd.DataFrame:
    """Coded quotes whose passage does not carry its chapter's theme, with the coder's reason."""
    themes = dict(zip(corpus.passages["passage_id"], corpus.passages["themes"].str.split(";")))
    rows = [{"Chapter": corpus.codebook.themes[q.theme].label, "Question": q.text, "Passage": held.passage_id,
             "Themes it carries": ", ".join(corpus.codebook.themes[t].label for t in themes[held.passage_id] if t)
             or "none", "Why it is quoted here": held.off_theme}
            for q in corpus.questions for p in q.coded() for held in p.held
            if q.theme not in themes[held.passage_id]]
    return _sourced(pd.DataFrame(rows, columns=["Chapter", "Question", "Passage", "Themes it carries",
                                                "Why it is quoted here"]), corpus, "data/positions/", [])


METHOD_NAMES = {"dictionary": "Dictionary (codebook terms)", "hybrid": "Hybrid (model + terms)",
                "model": "Model (words only)"}


def _labelled_briefs(corpus: Corpus) -> list[str]:
    brief_of = dict(zip(corpus.passages["passage_id"], corpus.passages["brief_id"]))
    labelled = {brief_of[pid] for pid in corpus.labels if pid in brief_of}
    return [brief.id for brief in corpus.briefs if brief.id in labelled]


def suggestion_recall(corpus: Corpus) -> pd.DataFrame:
    """How often the passage a coder chose is among the first three suggested, each brief held out."""
    from handbook import suggest

    results, chosen = suggest.evaluation(corpus), suggest.chosen_method(corpus)
    frame = pd.DataFrame([{"Ranking": {"tfidf": "TF-IDF similarity", "bm25": "BM25"}[method],
                           "Coded passages": result["coded"], "Among the first three": result["hits"],
                           "Recall@3": round(result["recall"] or 0, 2), "Used": "yes" if method == chosen else ""}
                          for method, result in results.items()])
    return _sourced(frame, corpus, "data/positions/, data/questions/")


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
    """The codebook as a reader can check it: each term as the words it matches in the briefs (the
    regular expressions stay in data/codebook.yml), and the phrases in which a term means something else."""
    texts = list(corpus.passages["text"])

    def found(terms, separator=", "):
        words, unused = theme.occurrences(terms, texts)
        more = f" (and {unused} more not used in these briefs)" if unused else ""
        return separator.join(words) + more

    rows = []
    for theme in corpus.codebook.themes.values():
        rows.append({"Theme": theme.label, "Definition": theme.definition,
                     "Strong terms (2 points)": found(theme.strong), "Weak terms (1 point)": found(theme.weak),
                     "Other senses (no points)": found(theme.other_senses, "; ")})
    frame = pd.DataFrame(rows)
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
