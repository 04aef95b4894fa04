"""Turn a plain-text brief (as converted from a PDF) into a brief file with front matter."""

from __future__ import annotations

import datetime as dt
import re

import yaml

BULLET = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+")


def _blocks(text: str) -> list[str]:
    """Paragraphs are separated by blank lines; a bullet line starts a list item of its own."""
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
        elif BULLET.match(line) and current:
            blocks.append(current)
            current = [line]
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return [" ".join(part.strip() for part in block) for block in blocks]


def brief_markdown(text: str, args) -> str:
    meta = {
        "id": args.id, "title": args.title,
        "authors": [name.strip() for name in args.authors.split(";") if name.strip()],
        "institution": args.institution, "date": args.date, "perspective": args.perspective,
        "kind": args.kind, "added": dt.date.today().isoformat(),
    }
    if args.short:
        meta["short"] = args.short
    if args.url:
        meta["url"] = args.url
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    body = []
    for block in _blocks(text):
        if BULLET.match(block):
            body.append("- " + BULLET.sub("", block))
        else:
            body.append(block)
    return f"---\n{front}---\n\n" + "\n\n".join(body) + "\n"
