"""Command line: python -m handbook {passages,positions,reliability,suggest,check,add-brief} — see README.md."""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

from handbook import project
from handbook.corpus import load_corpus
from handbook.problems import DataError


def passages(_args) -> int:
    frame = load_corpus().passages
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["passage_id", "brief_id", "text", "themes"])
    writer.writerows(frame[["passage_id", "brief_id", "text", "themes"]].itertuples(index=False))
    return 0


def positions(_args) -> int:
    """One row per stance a brief holds on a key question; one row per cell not coded."""
    corpus = load_corpus()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["theme", "question_id", "brief_id", "stance", "status", "passage_id"])
    for question in corpus.questions:
        for brief in corpus.briefs:
            position = question.position(brief.id)
            if position.held:
                writer.writerows([question.theme, question.id, brief.id, held.stance, position.status, held.passage_id]
                                 for held in position.held)
            else:
                writer.writerow([question.theme, question.id, brief.id, "", position.status, ""])
    return 0


def reliability(_args) -> int:
    from handbook.reliability import reliability as agreement

    agreement(load_corpus().cells).to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def suggest(args) -> int:
    """Write ranked passages into the brief's uncoded position entries, for an editor to review."""
    from ruamel.yaml import YAML

    from handbook import suggest as ranking
    from handbook.positions import SUGGESTED

    corpus = load_corpus()
    if args.brief_id not in {brief.id for brief in corpus.briefs}:
        raise SystemExit(f"error: no brief '{args.brief_id}' in data/briefs/")
    yaml = YAML()  # round trip: the editors' comments, order and quoting stay as they wrote them
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = 4096
    refused = []
    for theme in dict.fromkeys(q.theme for q in corpus.questions):
        path = corpus.data / "positions" / f"{theme}.yml"
        raw = yaml.load(path.read_text(encoding="utf-8")) if path.exists() else None
        if raw is None:
            raw = {"theme": theme, "positions": {}}
        raw.setdefault("positions", {})
        written = 0
        for question in corpus.questions_for(theme):
            entries = raw["positions"].setdefault(question.id, {})
            if question.position(args.brief_id).status not in (SUGGESTED, "not-yet-coded"):
                refused.append(question.id)
                continue
            entries[args.brief_id] = {"status": SUGGESTED, "suggestions": [
                {"passage": s.passage_id, "quote": corpus.passage_text(s.passage_id)}
                for s in ranking.for_brief(corpus, question, args.brief_id)]}
            written += 1
        if written:
            with path.open("w", encoding="utf-8") as handle:
                yaml.dump(raw, handle)
            print(f"wrote {path.relative_to(corpus.data.parent)}: suggestions for {written} key questions")
    if refused:
        print(f"left alone, already coded: {', '.join(refused)}")
    load_corpus()  # what was written must still pass every check
    return 0


def check(_args) -> int:
    corpus = load_corpus()
    print(f"data/ is valid: {len(corpus.briefs)} briefs, {len(corpus.passages)} passages, "
          f"{len(corpus.questions)} key questions, {len(corpus.labels)} hand-labelled passages, "
          f"{len(corpus.context.datasets)} context series, {len(corpus.context.events)} context events, "
          f"{len(corpus.notes)} editor's notes.")
    for brief in corpus.briefs:
        print(f"  {brief.id}: cited as '{brief.label}' ({brief.label_origin})")
    return 0


def add_brief(args) -> int:
    from handbook.briefs import ID_PATTERN
    from handbook.convert import brief_markdown

    target = project.data_dir() / "briefs" / f"{args.id}.md"
    if not ID_PATTERN.match(args.id):
        raise SystemExit(f"error: id {args.id!r} is not valid: use lowercase letters, digits and hyphens")
    if target.exists():
        raise SystemExit(f"error: {target} already exists; choose another --id or edit that file")
    try:
        text = Path(args.source).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SystemExit(f"error: {args.source} is not UTF-8 text; convert it to UTF-8 first") from None
    markdown = brief_markdown(text, args)
    from handbook.briefs import read_brief

    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / target.name
        trial.write_text(markdown, encoding="utf-8")
        brief = read_brief(trial)
    target.write_text(markdown, encoding="utf-8")
    print(f"wrote {target} ({len(brief.passages)} passages). Check it against the original, then run: make book")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("passages", help="print every passage as CSV").set_defaults(run=passages)
    commands.add_parser("positions", help="print every coded position as CSV").set_defaults(run=positions)
    commands.add_parser("reliability", help="print agreement between the two codings as CSV").set_defaults(run=reliability)
    commands.add_parser("check", help="validate everything in data/").set_defaults(run=check)
    ranked = commands.add_parser("suggest", help="suggest passages for a new brief's positions")
    ranked.add_argument("brief_id", help="the brief's id, e.g. 'csis-2025'")
    ranked.set_defaults(run=suggest)
    add = commands.add_parser("add-brief", help="turn a plain-text brief into data/briefs/<id>.md")
    add.add_argument("source", help="the plain-text brief")
    add.add_argument("--id", required=True, help="lowercase id, e.g. 'csis-2025'; also the file name")
    add.add_argument("--title", required=True)
    add.add_argument("--authors", default="", help="names separated by ';'")
    add.add_argument("--institution", required=True)
    add.add_argument("--date", required=True, help="YYYY-MM-DD or YYYY-MM")
    add.add_argument("--perspective", required=True, help="e.g. Pakistani, American")
    add.add_argument("--kind", default="Policy brief")
    add.add_argument("--url", default="")
    add.add_argument("--short", default="", help="short label, e.g. 'CSIS 2025'")
    add.set_defaults(run=add_brief)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DataError as error:
        print("data/ has problems; nothing was changed:\n" + str(error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
