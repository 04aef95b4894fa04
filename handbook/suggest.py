"""Suggested positions: a brief's passages ranked by how well they answer a key question.

A question is matched on its words, the labels, definitions and coding rules of its stances, and the
passages coders chose for it in other briefs. Inputs are plain data in the shape of
`data/questions/<theme>.yml` and `data/positions/<theme>.yml` (see spec: positions format), so that
ranking does not depend on how those files are loaded:

    question  = {"id": "china-choose", "question": "Must Pakistan ...?",
                 "stances": [{"id": "balance", "label": "...", "definition": "...", "include": "..."}, ...]}
    passages  = {"wilson-2019-1": "text", ...}              # one brief's passages, in order
    positions = {"china-choose": {"wilson-2019": {"status": "coded",
                                                  "stances": [{"stance": "balance", "passage": "wilson-2019-39",
                                                               "quote": "..."}]}, ...}, ...}

Suggestions are for an editor to review, never a coding.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from handbook import build_cache

BM25, TFIDF = "bm25", "tfidf"
CODED = "coded"
# How much the passages coded elsewhere count beside the question's own words (which count 1). Chosen by
# leave-one-brief-out recall@3 on the five coded briefs: passages coded in other briefs help only as a
# tie-breaker; weighed as much as the question, they pull in passages that are on the theme but answer
# another question.
EXAMPLE_WEIGHT = 0.1

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


# Per word: Snowball's English stemmer is pure Python, and the same few thousand words recur in every
# brief (stemming text by text was most of the method evaluation's time).
@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return tuple(_stem(word) for word in _WORD.findall(text.lower()) if word not in ENGLISH_STOP_WORDS)


def tokens(text: str) -> list[str]:
    """Lower-cased word stems without English stop words: 'choosing sides' and 'choose a side' meet."""
    return list(_tokens(text))


def question_text(question: dict) -> str:
    """What a coder reads to decide: the question and, for each stance, its label, definition and rule."""
    parts = [question.get("question", "")]
    for stance in question.get("stances") or []:
        parts += [stance.get(key) or "" for key in ("label", "definition", "include")]
    return " ".join(part for part in parts if part)


def _normalised(scores: np.ndarray) -> np.ndarray:
    top = scores.max(initial=0.0)
    return scores / top if top > 0 else scores


def _bm25_scores(documents: list[list[str]], queries: list[list[str]]) -> list[np.ndarray]:
    import bm25s

    index = bm25s.BM25()
    index.index(documents, show_progress=False)
    vocabulary = index.vocab_dict
    return [index.get_scores([token for token in query if token in vocabulary]) if any(
        token in vocabulary for token in query) else np.zeros(len(documents)) for query in queries]


def _tfidf_scores(documents: list[list[str]], queries: list[list[str]]) -> list[np.ndarray]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
    matrix = vectorizer.fit_transform(documents)
    # All queries in one transform and one product: each query's row is transformed on its own either way.
    return list((matrix @ vectorizer.transform(queries).T).toarray().T)


SCORERS = {BM25: _bm25_scores, TFIDF: _tfidf_scores}


@dataclass(frozen=True)
class Suggestion:
    passage_id: str
    # The match with the question's words, scaled so that the brief's best is 1, plus EXAMPLE_WEIGHT times
    # the best match with a passage coded elsewhere, scaled likewise.
    score: float


def rank(question: dict, passages: dict[str, str], examples: list[str] = (), method: str = TFIDF) -> list[Suggestion]:
    """The brief's passages, best match first (ties in the brief's order).

    `examples` are the texts of passages coded on this question in other briefs; each is matched on its
    own, and a passage scores by its best match among them, so that one long example does not drown
    the others.
    """
    ids = list(passages)
    if not ids:
        return []
    documents = [tokens(passages[pid]) for pid in ids]
    queries = [tokens(question_text(question))] + [tokens(example) for example in examples]
    scores = SCORERS[method](documents, queries)
    total = _normalised(np.asarray(scores[0], dtype=float))
    if len(scores) > 1:
        total = total + EXAMPLE_WEIGHT * _normalised(np.max([np.asarray(s, dtype=float) for s in scores[1:]], axis=0))
    order = sorted(range(len(ids)), key=lambda index: (-total[index], index))
    return [Suggestion(ids[index], round(float(total[index]), 4)) for index in order]


def coded_passages(cell: dict | None) -> list[str]:
    """The passages a coder chose in one (question, brief) cell; none unless it is coded."""
    if not cell or cell.get("status") != CODED:
        return []
    return list(dict.fromkeys(stance["passage"] for stance in cell.get("stances") or [] if stance.get("passage")))


def examples_for(question_id: str, positions: dict, passages: dict[str, dict[str, str]], except_brief: str) -> list[str]:
    """Texts of the passages coded on the question in every brief but one."""
    return [passages[brief_id][pid]
            for brief_id, cell in (positions.get(question_id) or {}).items() if brief_id != except_brief
            for pid in coded_passages(cell) if pid in passages.get(brief_id, {})]


def recall_by_method(questions: list[dict], positions: dict, passages: dict[str, dict[str, str]],
                     k: int = 3) -> dict[str, dict]:
    """recall_at_k for every ranking method, for the method page's comparison."""
    return {method: recall_at_k(questions, positions, passages, k, method) for method in SCORERS}


def recall_at_k(questions: list[dict], positions: dict, passages: dict[str, dict[str, str]], k: int = 3,
                method: str = TFIDF) -> dict:
    """Leave-one-brief-out recall@k of the suggestions over the coded cells.

    For every coded (question, brief, passage) the brief is held out: its passages are ranked using the
    question and the passages coded on it in the *other* briefs only, and it is a hit when the coder's
    passage is among the top `k`. `positions` maps question id -> brief id -> cell; `passages` maps
    brief id -> {passage id: text}.

    Returns {"k", "coded", "hits", "recall", "details": [{"question", "brief", "passage", "rank"}]}: `coded`
    counts coded passages (a cell holding two stances on two passages counts twice), rank is 1-based, and
    recall is None when nothing is coded. Cells `suggested` are never counted: they are not a coder's.
    """
    details = []
    for question in questions:
        for brief_id, cell in (positions.get(question["id"]) or {}).items():
            chosen = coded_passages(cell)
            if not chosen or brief_id not in passages:
                continue
            examples = examples_for(question["id"], positions, passages, except_brief=brief_id)
            ranking = [suggestion.passage_id for suggestion in rank(question, passages[brief_id], examples, method)]
            for pid in chosen:
                details.append({"question": question["id"], "brief": brief_id, "passage": pid,
                                "rank": ranking.index(pid) + 1 if pid in ranking else None})
    hits = sum(1 for detail in details if detail["rank"] is not None and detail["rank"] <= k)
    return {"k": k, "coded": len(details), "hits": hits, "recall": hits / len(details) if details else None,
            "details": details}


# The loaded project in the plain shapes above.

def question_dict(question) -> dict:
    return {"id": question.id, "question": question.text,
            "stances": [{"id": s.id, "label": s.label, "definition": s.definition, "include": s.include}
                        for s in question.stances.values()]}


def positions_dict(questions) -> dict:
    return {q.id: {brief_id: {"status": p.status,
                              "stances": [{"stance": h.stance, "passage": h.passage_id, "quote": h.quote} for h in p.held]}
                   for brief_id, p in q.positions.items()} for q in questions}


def passages_by_brief(corpus) -> dict[str, dict[str, str]]:
    return {brief.id: {p.id: p.text for p in brief.passages} for brief in corpus.briefs}


def evaluation(corpus, k: int = 3) -> dict:
    """Leave-one-brief-out recall@k of the suggestions on the coded briefs, by ranking method.

    Computed once per loaded corpus, and kept between builds under a fingerprint of what it reads: the
    coded cells and the passages of the briefs they code. A brief added and not yet coded finds it.
    """
    if "suggestions" not in corpus.__dict__:
        questions, positions = [question_dict(q) for q in corpus.questions], positions_dict(corpus.questions)
        coded = {question_id: {brief_id: cell for brief_id, cell in cells.items() if coded_passages(cell)}
                 for question_id, cells in positions.items()}
        passages = passages_by_brief(corpus)
        read = {brief_id: passages[brief_id] for brief_id in sorted({b for cells in coded.values() for b in cells})
                if brief_id in passages}
        key = json.dumps([Path(__file__).read_text(encoding="utf-8"),
                          build_cache.versions("scikit-learn", "bm25s", "snowballstemmer"), k, questions, coded, read],
                         sort_keys=True)
        corpus.__dict__["suggestions"] = build_cache.kept(
            corpus.data.parent / "_build" / "cache", "suggestions", key,
            lambda: recall_by_method(questions, coded, read, k))
    return corpus.__dict__["suggestions"]


def chosen_method(corpus) -> str:
    """The ranking with the best held-out recall@3 (TF-IDF on a tie, the simpler to explain)."""
    results = evaluation(corpus)
    return max(SCORERS, key=lambda method: (results[method]["recall"] or 0, method == TFIDF))


def for_brief(corpus, question, brief_id: str, k: int = 3) -> list[Suggestion]:
    """The brief's k passages that best answer the question, helped by what was coded in other briefs.

    Ranked once per loaded corpus: handbook.corpus.cached_corpus ranks every brief awaiting coding
    before the pages run, so that their kernels need not import scikit-learn to do it.
    """
    rankings = corpus.__dict__.setdefault("rankings", {})
    if (question.id, brief_id) not in rankings:
        passages = passages_by_brief(corpus)
        examples = examples_for(question.id, positions_dict([question]), passages, except_brief=brief_id)
        rankings[question.id, brief_id] = rank(question_dict(question), passages[brief_id], examples,
                                               chosen_method(corpus))
    return rankings[question.id, brief_id][:k]
