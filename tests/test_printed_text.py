"""Breaks in long words for print (handbook.printed_text), node by node: where a break may go, what it is,
and that every character and every neighbouring node is kept."""

from __future__ import annotations

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from handbook.printed_text import _WORD, BREAK, LONGEST_WORD, BreakLongWords, _pieces


def segments(pieces) -> list[str]:
    """The text between breaks."""
    out = [""]
    for piece in pieces:
        if isinstance(piece, nodes.raw):
            out.append("")
        else:
            out[-1] += piece.astext()
    return out


def test_a_break_is_latex_that_prints_nothing_after_each_character_of_a_long_word():
    text = "before " + "x" * (LONGEST_WORD + 12) + " after"
    pieces = _pieces(text, _WORD)
    breaks = [piece for piece in pieces if isinstance(piece, nodes.raw)]
    assert all((raw["format"], raw.astext()) == ("latex", BREAK) for raw in breaks), "LaTeX only: HTML never shows it"
    assert len(breaks) == LONGEST_WORD + 11, "one after every character of the word but its last"
    assert "".join(p.astext() for p in pieces if not isinstance(p, nodes.raw)) == text
    assert all(piece.astext() for piece in pieces), "no empty text between pieces"
    assert segments(pieces)[0] == "before x" and segments(pieces)[-1] == "x after"
    assert _pieces("x" * (LONGEST_WORD + 1), _WORD)[-1].astext() == "x", "nothing after a word that ends the text"


@pytest.mark.parametrize("sequence", ["e\u0301", "\U0001F469\u200d\U0001F4BB", "\u270c\ufe0f", "x\ufe00"],
                         ids=["accent", "ZWJ emoji", "emoji presentation", "variation selector"])
def test_no_break_falls_inside_a_letter_with_its_mark_or_a_joined_emoji(sequence):
    word = "a" * 60 + sequence + "b" * 60
    parts = segments(_pieces(word, _WORD))
    assert "".join(parts) == word
    (holder,) = [part for part in parts if sequence[-1] in part]
    assert sequence in holder, f"{sequence!r} split across {parts!r}"
    assert len(parts) == len(word) - len(sequence) + 1, "a break at every other place"


def document_of(*children):
    document = new_document("test", get_default_settings(Parser))
    document += list(children)
    return document


def test_every_long_word_of_a_document_breaks_whatever_comes_before_it():
    long = "z" * (LONGEST_WORD + 5)
    document = document_of(nodes.paragraph(text="short"), nodes.literal_block(long, long), nodes.paragraph(text=long))
    BreakLongWords(document).run()
    short, block, last = document.children
    assert not list(block.findall(nodes.raw)), "code keeps its lines as written"
    assert len(list(last.findall(nodes.raw))) == LONGEST_WORD + 4


def test_the_nodes_beside_a_broken_word_are_kept():
    long = "z" * (LONGEST_WORD + 5)
    paragraph = nodes.paragraph("", "", nodes.Text(long), nodes.strong(text="bold"), nodes.Text(" tail"))
    BreakLongWords(document_of(paragraph)).run()
    assert paragraph.astext().replace(BREAK, "") == long + "bold tail"
    assert isinstance(paragraph.children[-2], nodes.strong) and paragraph.children[-1].astext() == " tail"
