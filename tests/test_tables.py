"""The derived tables and the data behind the charts, checked against data/ read afresh here.

Each expectation is computed in this file from the raw files (YAML and CSV read with the standard
readers) or from the tagged passages, never by calling the function under test or its helpers: a
table that shows a wrong count, stance, order or share fails here, without building the book.
"""

from __future__ import annotations

import csv
from collections import Counter
from urllib.parse import quote_plus

import pytest
import yaml

from handbook import charts, tables
from handbook.positions import STATUS_LABELS
from tests.conftest import ROOT

THEMES = sorted(path.stem for path in (ROOT / "data" / "questions").glob("*.yml"))


def scheme(theme: str) -> list[dict]:
    return yaml.safe_load((ROOT / "data" / "questions" / f"{theme}.yml").read_text(encoding="utf-8"))["questions"]


def coded(theme: str) -> dict:
    return yaml.safe_load((ROOT / "data" / "positions" / f"{theme}.yml").read_text(encoding="utf-8"))["positions"]


def labels_of(question: dict) -> dict[str, str]:
    return {stance["id"]: stance["label"] for stance in question["stances"]}


@pytest.fixture(scope="module")
def briefs(corpus):
    return {brief.id: brief.label for brief in corpus.briefs}


@pytest.mark.parametrize("theme", THEMES)
def test_the_position_map_shows_each_briefs_stances_in_words(corpus, briefs, theme):
    frame = tables.position_map(corpus, theme)
    questions = scheme(theme)
    assert list(frame.columns) == ["Brief"] + [f"Q{n}. {q['question']}" for n, q in enumerate(questions, start=1)]
    assert list(frame["Brief"]) == list(briefs.values())
    positions = coded(theme)
    for row, brief_id in zip(frame.to_dict("records"), briefs):
        for number, question in enumerate(questions, start=1):
            cell = positions[question["id"]][brief_id]
            held = {h["stance"] for h in cell.get("stances", [])}
            want = (" / ".join(label for stance, label in labels_of(question).items() if stance in held)  # scheme order
                    if cell["status"] == "coded" else STATUS_LABELS[cell["status"]])
            assert row[f"Q{number}. {question['question']}"] == want, (question["id"], brief_id)


@pytest.mark.parametrize("theme", THEMES)
def test_the_long_position_table_has_a_row_per_stance_held_with_its_passage(corpus, briefs, theme):
    frame = tables.position_codes(corpus, theme)
    positions, want = coded(theme), []
    for number, question in enumerate(scheme(theme), start=1):
        order = [stance["id"] for stance in question["stances"]]
        for brief_id, label in briefs.items():
            cell = positions[question["id"]][brief_id]
            if cell["status"] == "coded":
                want += [(question["id"], f"Q{number}", question["question"], label, "coded",
                          labels_of(question)[held["stance"]], order.index(held["stance"]), held["passage"])
                         for held in cell["stances"]]
            else:
                want.append((question["id"], f"Q{number}", question["question"], label, STATUS_LABELS[cell["status"]],
                             STATUS_LABELS[cell["status"]], len(order), ""))
    assert list(frame.itertuples(index=False, name=None)) == want
    assert list(frame) == ["question_id", "number", "question", "brief", "status", "stance", "rank", "passage_id"]


@pytest.mark.parametrize("theme", THEMES)
def test_agreement_counts_the_most_widely_held_stance_among_the_coded_briefs(corpus, theme):
    frame = tables.agreement(corpus, theme)
    positions = coded(theme)
    for row, (number, question) in zip(frame.to_dict("records"), enumerate(scheme(theme), start=1)):
        cells = [cell for cell in positions[question["id"]].values() if cell["status"] == "coded"]
        counts = Counter(held["stance"] for cell in cells for held in {h["stance"]: h for h in cell["stances"]}.values())
        order = [stance["id"] for stance in question["stances"]]
        top = min(counts, key=lambda stance: (-counts[stance], order.index(stance))) if counts else None
        assert row["Key question"] == f"Q{number}. {question['question']}"
        assert row["Briefs coded"] == len(cells)
        assert row["Most widely held stance"] == (labels_of(question)[top] if top else "")
        assert row["Briefs holding it"] == (counts[top] if top else 0)
        if not cells:
            assert row["Reading"] == "No brief coded"
        elif counts[top] == len(cells) and len(cells) > 1:
            assert row["Reading"].startswith("All coded briefs share a stance")
            assert row["Reading"].endswith("(some hold others too)") is (len(counts) > 1)
        elif len(counts) > 1:
            assert row["Reading"] == f"Divided: {len(counts)} stances in use"
        else:
            assert row["Reading"] == "One brief coded"


def test_agreement_reads_each_case_in_words(corpus):
    readings = {row["Reading"].split(":")[0].split(" (")[0] for theme in THEMES
                for row in tables.agreement(corpus, theme).to_dict("records")}
    assert {"All coded briefs share a stance", "Divided"} <= readings, "the data reach both readings"


@pytest.mark.parametrize("theme", THEMES)
def test_question_coverage_names_the_briefs_in_each_status(corpus, briefs, theme):
    frame = tables.question_coverage(corpus, theme)
    positions = coded(theme)
    columns = {"coded": "Briefs taking a position", "not-addressed": "Do not address it",
               "not-applicable": "Not applicable"}
    used = {columns[cell["status"]] for question in positions.values() for cell in question.values()}
    assert list(frame.columns) == ["Key question"] + [c for c in columns.values() if c in used or c != "Not applicable"]
    for row, question in zip(frame.to_dict("records"), scheme(theme)):
        assert row["Key question"] == question["question"]
        for status, column in columns.items():
            if column in frame.columns:
                assert row[column] == ", ".join(label for brief_id, label in briefs.items()
                                                if positions[question["id"]][brief_id]["status"] == status)


def passages_on(corpus, theme):
    """brief id -> (passages, passages on the theme, words, words on the theme), counted passage by passage."""
    counts = {}
    for brief_id, text, themes in zip(corpus.passages["brief_id"], corpus.passages["text"], corpus.passages["themes"]):
        on = theme in themes.split(";")
        total, hits, words, words_on = counts.get(brief_id, (0, 0, 0, 0))
        counts[brief_id] = (total + 1, hits + on, words + len(text.split()), words_on + on * len(text.split()))
    return counts


@pytest.mark.parametrize("theme", THEMES)
def test_coverage_counts_each_briefs_passages_and_words_on_the_theme(corpus, briefs, theme):
    counts = passages_on(corpus, theme)
    coverage = tables.theme_coverage(corpus, theme).to_dict("records")
    assert [row["Brief"] for row in coverage] == list(briefs.values())
    for row, brief in zip(coverage, corpus.briefs):
        total, hits, _, _ = counts[brief.id]
        assert (row["Published"], row["Passages"], row["On this theme"]) == (brief.date, total, hits)
        assert row["Passages"] == len(brief.passages)
        assert row["Share (%)"] == round(100 * hits / total)
    by_words = tables.theme_share_by_words(corpus, theme).to_dict("records")
    for row, brief in zip(by_words, corpus.briefs):
        total, hits, words, words_on = counts[brief.id]
        assert (row["Passages"], row["Words"], row["On the theme (passages)"], row["On the theme (words)"]) == \
            (total, words, hits, words_on)
        assert row["By passages (%)"] == round(100 * hits / total)
        assert row["By words (%)"] == round(100 * words_on / words)
    assert any(row["By passages (%)"] != row["By words (%)"] for row in by_words), "the two measures can differ"


def test_the_theme_matrix_gives_each_briefs_share_on_every_theme(corpus, briefs):
    matrix = tables.theme_matrix(corpus)
    themes = yaml.safe_load((ROOT / "data" / "codebook.yml").read_text(encoding="utf-8"))["themes"]
    assert list(matrix.columns) == ["Brief"] + [theme["label"] for theme in themes.values()]
    assert list(matrix["Brief"]) == list(briefs.values())
    for theme_id, theme in themes.items():
        counts = passages_on(corpus, theme_id)
        assert list(matrix[theme["label"]]) == [round(100 * counts[b][1] / counts[b][0]) for b in briefs]
    assert matrix.attrs["theme_columns"] == {theme["label"]: theme_id for theme_id, theme in themes.items()}
    from handbook import show

    links = show.table(matrix, "Themes by brief").payload["links"]
    assert links == [[""] + [f"explorer.html?brief={quote_plus(label)}&theme={theme_id}" for theme_id in themes]
                     for label in briefs.values()], "each share opens the explorer on the passages it counts"


def test_the_heatmap_draws_the_matrix_and_names_its_largest_share(corpus):
    matrix = tables.theme_matrix(corpus)
    result = charts.theme_heatmap(corpus)
    cells = {(row["Brief"], row["Theme"]): row["Share (%)"] for row in result.data.to_dict("records")}
    want = {(row["Brief"], theme): row[theme] for row in matrix.to_dict("records") for theme in matrix.columns[1:]}
    assert cells == want
    (brief, theme), share = max(want.items(), key=lambda item: item[1])
    assert result.alt_text.endswith(f"The largest share is {theme} in {brief} ({share}%).")
    assert f"for {len(matrix)} briefs and {len(matrix.columns) - 1} themes" in result.alt_text


@pytest.mark.parametrize("theme", ["china", "economics"])
def test_the_coverage_chart_draws_both_shares_and_says_them_in_its_alt_text(corpus, theme):
    result = charts.coverage_chart(corpus, theme)
    counts = passages_on(corpus, theme)
    for brief in corpus.briefs:
        total, hits, words, words_on = counts[brief.id]
        row = result.data[result.data["Brief"] == brief.label].iloc[0]
        assert (row["By passages (%)"], row["By words (%)"]) == (round(100 * hits / total), round(100 * words_on / words))
        assert (f"{brief.label} {round(100 * hits / total)}% of passages, "
                f"{round(100 * words_on / words)}% of words") in result.alt_text
    spec = result.chart.to_dict()
    top = max(max(round(100 * c[1] / c[0]), round(100 * c[3] / c[2])) for c in counts.values())
    domains = [layer["encoding"]["x"]["scale"]["domain"] for layer in spec["layer"]]
    assert all(domain == [0, 10 * -(-top // 10)] for domain in domains), "the axis ends at the next ten up"


@pytest.mark.parametrize("theme", THEMES)
def test_the_position_chart_draws_the_long_table_and_says_who_holds_what(corpus, theme):
    result = charts.position_chart(corpus, theme)
    codes = tables.position_codes(corpus, theme)
    assert result.data.equals(codes.drop(columns=["rank"]))
    positions = coded(theme)
    for number, question in enumerate(scheme(theme), start=1):
        holders = {}
        for brief in corpus.briefs:
            cell = positions[question["id"]][brief.id]
            for held in cell.get("stances", []) if cell["status"] == "coded" else []:
                holders.setdefault(labels_of(question)[held["stance"]], []).append(brief.label)
        said = "; ".join(f"{stance}: {', '.join(names)}" for stance, names in holders.items())
        assert f"Q{number} ({question['question']}) {said or 'no brief coded'}" in result.alt_text
    assert len(result.chart.to_dict()["vconcat"]) == len(scheme(theme)), "one panel per key question"


def test_the_events_table_lists_every_event_in_date_order_with_who_cites_it(corpus, briefs):
    with (ROOT / "data" / "events.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    frame = tables.events(corpus)
    rows.sort(key=lambda row: row["date"])
    assert list(frame["Date"]) == [row["date"] for row in rows]
    assert list(frame["Event"]) == [row["event"] for row in rows]
    assert list(frame["Passages"]) == [row["passages"].replace(";", ", ") for row in rows]
    assert list(frame["What happened"]) == [row["description"] for row in rows]
    for cited, row in zip(frame["Cited by"], rows):
        assert cited == ", ".join(sorted({briefs[p.rsplit("-", 1)[0]] for p in row["passages"].split(";")}))
    assert frame.attrs["briefs"] == [label for brief_id, label in briefs.items()
                                     if any(brief_id in row["passages"] for row in rows)]


def test_the_briefs_table_and_what_changed_describe_every_brief(corpus):
    overview = tables.briefs_overview(corpus).to_dict("records")
    assert [tuple(row.values()) for row in overview] == \
        [(b.label, b.title, b.author_line, b.institution, b.date, b.perspective, len(b.passages)) for b in corpus.briefs]
    assert list(overview[0]) == ["Brief", "Title", "Author(s)", "Institution", "Published", "Perspective", "Passages"]
    changed = tables.what_changed(corpus).to_dict("records")
    order = sorted(corpus.briefs, key=lambda b: (b.added, b.date_value))
    assert [row["Brief"] for row in changed] == [b.label for b in order]
    assert [row["Added to the handbook"] for row in changed] == [b.added or "first edition" for b in order]


def test_a_table_names_its_briefs_and_files_as_its_source(corpus, briefs):
    from handbook import show

    display = show.table(tables.theme_coverage(corpus, "china"), "Coverage")
    assert display.payload["source"] == (f"Source: the briefs {', '.join(briefs.values())}; computed at build "
                                         "time from data/briefs/, data/codebook.yml.")
    scheme_table = show.table(tables.stance_scheme(corpus, "china"), "Scheme")
    assert scheme_table.payload["source"] == "Source: computed at build time from data/questions/china.yml."
    assert display.payload["name"] == "coverage" and show.table(tables.events(corpus), "Events: cited, 1954–").payload["name"] == "events-cited-1954"


@pytest.mark.parametrize("theme", THEMES)
def test_a_comparison_quotes_each_coded_stance_in_the_words_and_passage_the_positions_file_gives(corpus, briefs, theme):
    from handbook import show

    positions = coded(theme)
    for question in scheme(theme):
        cells = positions[question["id"]]
        payload = show.comparison(corpus, question["id"]).payload
        want = [(briefs[brief_id], labels_of(question)[held["stance"]], held["passage"], held["quote"])
                for brief_id in briefs for held in cells[brief_id].get("stances", [])
                if cells[brief_id]["status"] == "coded"]
        assert [(q["label"], q["position"], q["passage_id"], q["text"]) for q in payload["quotes"]] == want
        assert payload["silent"] == [briefs[b] for b in briefs if cells[b]["status"] == "not-addressed"]
        assert payload["inapplicable"] == [f"{briefs[b]} ({cells[b]['reason']})" for b in briefs
                                           if cells[b]["status"] == "not-applicable"]


WHOLE_CORPUS_TABLES = ["briefs_overview", "theme_matrix", "reliability", "disagreements", "off_theme_quotes",
                       "suggestion_recall", "tagging_quality", "tagging_methods", "codebook_summary", "events",
                       "what_changed"]
THEME_TABLES = ["theme_coverage", "theme_share_by_words", "position_map", "position_codes", "agreement",
                "question_coverage", "stance_scheme"]


@pytest.mark.parametrize("name", WHOLE_CORPUS_TABLES + [f"{table} {theme}" for table in THEME_TABLES for theme in THEMES])
def test_every_table_names_the_files_of_data_it_is_computed_from(corpus, name):
    table, *theme = name.split()
    frame = getattr(tables, table)(corpus, *theme)
    files = frame.attrs["files"]
    assert isinstance(files, str) and files
    named = [part.split(" (")[0] for part in files.split(", ")]
    for path in named:
        assert path.startswith("data/") and (ROOT / path).exists(), f"{name}: {path!r} is not a file or folder of data/"
    if theme and table not in ("theme_coverage", "theme_share_by_words"):
        assert any(path.endswith(f"/{theme[0]}.yml") for path in named), f"{name}: the theme's own file"


def test_the_stance_scheme_lists_every_stance_under_its_question(corpus):
    frame = tables.stance_scheme(corpus, "china").to_dict("records")
    want = [(f"Q{n}. {q['question']}" if i == 0 else "", s["label"], s["definition"].strip(), " ".join(s["include"].split()))
            for n, q in enumerate(scheme("china"), start=1) for i, s in enumerate(q["stances"])]
    assert [(r["Key question"], r["Stance"], r["Definition"], " ".join(r["Code it when"].split())) for r in frame] == want


def test_the_coding_figures_count_every_stance_held_and_the_shared_ones(corpus):
    held = [(question_id, h["stance"]) for theme in THEMES for question_id, cells in coded(theme).items()
            for cell in cells.values() if cell["status"] == "coded" for h in cell["stances"]]
    counts = Counter(held)
    figures = tables.coding_figures(corpus)
    assert figures["coded-stances"] == len(held)
    assert figures["shared-percent"] == round(100 * sum(counts[item] >= 2 for item in held) / len(held))
    second = sum(len(cells) for theme in THEMES
                 for cells in yaml.safe_load((ROOT / "data" / "coding" / "second" / f"{theme}.yml")
                                             .read_text(encoding="utf-8"))["positions"].values())
    assert figures["double-coded-cells"] == second


def value(cell: dict) -> str:
    """A cell as the two codings are compared: its status, or the stances held joined by '+' (by id)."""
    return "+".join(sorted({h["stance"] for h in cell["stances"]})) if cell["status"] == "coded" else cell["status"]


def double_coded():
    """(theme, question, brief) -> (first value, second value, resolution or None), from the raw files."""
    resolutions = {(r["question"], r["brief"]): r for r in yaml.safe_load(
        (ROOT / "data" / "coding" / "resolutions.yml").read_text(encoding="utf-8"))["resolutions"]}
    cells = {}
    for theme in THEMES:
        second = yaml.safe_load((ROOT / "data" / "coding" / "second" / f"{theme}.yml").read_text(encoding="utf-8"))
        for question_id, briefs_coded in second["positions"].items():
            for brief_id, cell in briefs_coded.items():
                resolution = resolutions.get((question_id, brief_id))
                first = resolution["first"] if resolution else value(coded(theme)[question_id][brief_id])
                cells[(theme, question_id, brief_id)] = (first, value(cell), resolution)
    return cells


def test_the_disagreements_table_lists_every_cell_the_coders_read_differently(corpus, briefs):
    texts = {q["id"]: q["question"] for theme in THEMES for q in scheme(theme)}
    labels = {q["id"]: labels_of(q) for theme in THEMES for q in scheme(theme)}

    def words(question_id, cell_value):
        if cell_value in STATUS_LABELS:
            return STATUS_LABELS[cell_value]
        return " / ".join(labels[question_id][stance] for stance in cell_value.split("+"))

    want = sorted((texts[q], briefs[b], words(q, first), words(q, second),
                   words(q, resolution["resolved"]) if resolution else "not yet settled",
                   " ".join(resolution["reason"].split()) if resolution else "")
                  for (_, q, b), (first, second, resolution) in double_coded().items() if first != second)
    frame = tables.disagreements(corpus)
    got = sorted((row["Question"], row["Brief"], row["Book's first coding"], row["Second coder"], row["Settled on"],
                  " ".join(row["Why"].split())) for row in frame.to_dict("records"))
    assert got == want and want, "every disagreement, each with both readings and how it was settled"


def test_the_reliability_table_gives_agreement_and_kappa_per_theme(corpus):
    from sklearn.metrics import cohen_kappa_score

    cells = double_coded()
    codebook = yaml.safe_load((ROOT / "data" / "codebook.yml").read_text(encoding="utf-8"))["themes"]
    frame = tables.reliability(corpus)
    assert list(frame.columns) == ["Theme", "Cells coded twice", "Agreement (%)", "Cohen's kappa"]
    rows = {row["Theme"]: row for row in frame.to_dict("records")}
    assert set(rows) == {codebook[theme]["label"] for theme in {key[0] for key in cells}}
    for theme in {key[0] for key in cells}:
        pairs = [(first, second) for (t, _, _), (first, second, _) in cells.items() if t == theme]
        row = rows[codebook[theme]["label"]]
        assert row["Cells coded twice"] == len(pairs)
        assert row["Agreement (%)"] == round(100 * sum(a == b for a, b in pairs) / len(pairs))
        assert row["Cohen's kappa"] == pytest.approx(cohen_kappa_score(*zip(*pairs)), abs=0.006)


def test_the_off_theme_table_lists_each_quote_whose_passage_lacks_its_chapters_theme(corpus):
    themes_of = dict(zip(corpus.passages["passage_id"], corpus.passages["themes"].str.split(";")))
    codebook = yaml.safe_load((ROOT / "data" / "codebook.yml").read_text(encoding="utf-8"))["themes"]
    want = []
    for theme in THEMES:
        texts = {q["id"]: q["question"] for q in scheme(theme)}
        for question_id, cells in coded(theme).items():
            for cell in cells.values():
                for held in cell.get("stances", []) if cell["status"] == "coded" else []:
                    if theme not in themes_of[held["passage"]]:
                        want.append((codebook[theme]["label"], texts[question_id], held["passage"],
                                     ", ".join(codebook[t]["label"] for t in themes_of[held["passage"]] if t) or "none",
                                     held.get("off_theme", "")))
    frame = tables.off_theme_quotes(corpus)
    got = [tuple(row) for row in frame[["Chapter", "Question", "Passage", "Themes it carries", "Why it is quoted here"]]
           .itertuples(index=False, name=None)]
    assert sorted(got) == sorted(want) and want
    assert all(reason for *_, reason in got), "every off-theme quote says why it is quoted"


def test_the_suggestion_table_reports_each_rankings_held_out_recall_and_the_one_used(corpus):
    from handbook import suggest

    results = suggest.evaluation(corpus)
    frame = tables.suggestion_recall(corpus).to_dict("records")
    assert [row["Ranking"] for row in frame] == ["BM25" if method == suggest.BM25 else "TF-IDF similarity"
                                                  for method in results]
    for row, result in zip(frame, results.values()):
        assert (row["Coded passages"], row["Among the first three"]) == (result["coded"], result["hits"])
        assert row["Recall@3"] == round(result["hits"] / result["coded"], 2)
    best = max(row["Among the first three"] for row in frame)
    used = [row for row in frame if row["Used"] == "yes"]
    assert len(used) == 1 and used[0]["Among the first three"] == best
    assert sorted(row["Used"] for row in frame) == [""] * (len(frame) - 1) + ["yes"], "the others' cell left empty"
    if [row["Among the first three"] for row in frame].count(best) > 1:
        assert used[0]["Ranking"] == "TF-IDF similarity", "a tie goes to the simpler method"


def test_the_tagging_tables_report_the_evaluation_of_every_method_and_the_one_chosen(corpus):
    evaluation = corpus.tagging.evaluation
    codebook = yaml.safe_load((ROOT / "data" / "codebook.yml").read_text(encoding="utf-8"))["themes"]
    methods = tables.tagging_methods(corpus)
    assert list(methods["Theme"]) == [theme["label"] for theme in codebook.values()]
    for row, theme in zip(methods.to_dict("records"), codebook):
        for method, name in tables.METHOD_NAMES.items():
            f1 = evaluation[(evaluation["theme"] == theme) & (evaluation["method"] == method)]["f1_out"].item()
            assert row[name] == pytest.approx(f1, abs=0.005 + 1e-9), (theme, method)  # to two places
        assert row["Chosen"] == tables.METHOD_NAMES[corpus.tagging.methods[theme]]
    quality = tables.tagging_quality(corpus)
    rows = {row["Theme"]: row for row in quality.to_dict("records")}
    assert sorted(rows) == sorted(theme["label"] for theme in codebook.values())
    for theme in codebook:
        row = rows[codebook[theme]["label"]]
        chosen = evaluation[(evaluation["theme"] == theme) & evaluation["chosen"]].iloc[0]
        assert row["Tagged by"] == tables.METHOD_NAMES[chosen["method"]]
        assert row["Hand-labelled"] == chosen["labelled"]
        for key, name in (("precision", "Precision"), ("recall", "Recall"), ("f1", "F1")):
            assert row[f"{name} (in sample)"] == pytest.approx(chosen[f"{key}_in"], abs=0.005 + 1e-9)
            assert row[f"{name} (held-out brief)"] == pytest.approx(chosen[f"{key}_out"], abs=0.005 + 1e-9)
    labelled = {pid.rsplit("-", 1)[0] for pid in corpus.labels}
    assert quality.attrs["briefs"] == [b.label for b in corpus.briefs if b.id in labelled]
    sentence = tables.tagging_choice(corpus)
    assert sentence[0].isupper() and sentence.endswith(".")
    for theme, method in corpus.tagging.methods.items():
        assert codebook[theme]["label"] in sentence and method in sentence


def test_the_codebook_summary_shows_each_term_as_the_words_it_matches(corpus):
    frame = tables.codebook_summary(corpus).to_dict("records")
    texts = list(corpus.passages["text"])
    for row, theme in zip(frame, corpus.codebook.themes.values()):
        assert (row["Theme"], row["Definition"]) == (theme.label, theme.definition)
        for column, terms, separator in (("Strong terms (2 points)", theme.strong, ", "),
                                         ("Weak terms (1 point)", theme.weak, ", "),
                                         ("Other senses (no points)", theme.other_senses, "; ")):
            found, unused = theme.occurrences(terms, texts)
            assert row[column].startswith(separator.join(found))
            assert row[column].endswith(f"(and {unused} more not used in these briefs)") is bool(unused)
            for word in found:
                assert any(word.casefold() in text.casefold() for text in texts), f"{word!r} is in no passage"


def test_the_context_events_table_gives_each_event_its_source_and_link(corpus):
    from handbook import context_charts

    with (ROOT / "data" / "context" / "events.csv").open(encoding="utf-8", newline="") as file:
        rows = sorted(csv.DictReader(file), key=lambda row: row["date"])
    display = context_charts.events_table(corpus)
    payload = display.payload
    assert payload["columns"] == ["Date", "Event", "What happened", "Source", "Link"]
    assert [row[0] for row in payload["rows"]] == [row["date"] for row in rows]
    assert [row[4] for row in payload["rows"]] == [row["url"] for row in rows]
    assert [row[1:4] for row in payload["rows"]] == [[row["event"], row["description"], row["source"]] for row in rows]
    assert payload["caption"] == "Context events that none of the briefs cites"
    assert payload["link_columns"] == [4] and all(row["url"].startswith(("https://", "http://")) for row in rows)
    assert payload["source"].startswith("Source: the report named on each row.")
    china = context_charts.events_table(corpus, "china").payload
    assert china["caption"] == "Context events on the China balance that none of the briefs cites"
    assert 0 < len(china["rows"]) < len(payload["rows"])


def test_a_theme_label_reads_as_part_of_a_sentence(corpus):
    themes = corpus.codebook.themes
    assert (themes["china"].in_text, themes["afghanistan"].in_text) == ("the China balance", "Afghanistan")
    from handbook.chapter import Chapter

    assert Chapter(corpus, "india").coverage_table().payload["caption"] == \
        "How many passages of each brief are on the India factor"
    assert "each brief's share on the India factor, by passages" in charts.coverage_chart(corpus, "india").alt_text


def test_a_chapter_names_each_questions_agreement_figures_for_its_prose(corpus, monkeypatch):
    """The numbers a chapter's sentences cite ({glue}): coded briefs, holders of the top stance, stances."""
    import myst_nb

    from handbook.chapter import Chapter

    glued = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: glued.setdefault(name, (value, display)))
    Chapter(corpus, "china").glue_figures()
    positions = coded("china")
    assert len(glued) == 4 * len(scheme("china"))
    for question in scheme("china"):
        cells = [cell for cell in positions[question["id"]].values() if cell["status"] == "coded"]
        counts = Counter(stance for cell in cells for stance in {h["stance"] for h in cell["stances"]})
        order = [stance["id"] for stance in question["stances"]]
        top = min(counts, key=lambda stance: (-counts[stance], order.index(stance)))
        qid = question["id"]
        assert glued[f"{qid}-coded"] == (len(cells), False)
        assert glued[f"{qid}-holders"] == (counts[top], False)
        assert glued[f"{qid}-stances"] == (len(counts), False)
        assert glued[f"{qid}-top"] == (labels_of(question)[top], False)


@pytest.mark.parametrize("theme", THEMES)
def test_a_chapters_tables_and_charts_name_their_theme_and_keep_the_handout_to_the_positions(corpus, theme):
    """What the handout prints of a chapter's computed output: the position map, and nothing else of it
    (the quotes carry the rest); each output names its theme and has a file name of its own."""
    from handbook.chapter import Chapter

    chapter = Chapter(corpus, theme)
    label = corpus.codebook.themes[theme].label
    outputs = {"coverage table": chapter.coverage_table(), "coverage chart": chapter.coverage_chart(),
               "position map": chapter.position_table(), "position chart": chapter.position_chart(),
               "agreement": chapter.agreement_table()}
    assert {name: display.payload["handout"] for name, display in outputs.items()} == {
        "coverage table": False, "coverage chart": False, "position map": True, "position chart": False,
        "agreement": False}, "the renderer leaves out of the handout exactly what is marked False"
    assert len(outputs["agreement"].payload["rows"]) == len(scheme(theme)), "a row per key question of this theme"
    names = [display.payload["name"] for display in outputs.values()]
    assert len(set(names)) == len(names) and all(name.startswith(f"{theme}-") for name in names)
    for display in outputs.values():
        caption = display.payload["caption"]
        assert label in caption or corpus.codebook.themes[theme].in_text in caption, caption
    assert outputs["position map"].payload["csv"] == tables.position_codes(corpus, theme).to_csv(index=False), \
        "the map's CSV is the long table, one row per stance"
    assert outputs["position map"].payload["rows"] == \
        tables.position_map(corpus, theme).astype(str).values.tolist()
