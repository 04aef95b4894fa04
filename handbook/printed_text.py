"""Text in print: a word longer than its line, or than a table cell can hold, may break after any character.

TeX breaks lines only at spaces and hyphens, so such a word (a brief can hold one: markup, an address, a
run of characters pasted by mistake) runs off the page or over the next column; and XeTeX corrupts its
memory on a word of a thousand characters or so, stopping the whole book far from the word ('Missing
number, treated as zero'). Every character is kept: the break is a zero-width \\allowbreak, which prints
nothing and copies as nothing.
"""

from __future__ import annotations

import re
import unicodedata

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

# A printed line holds about 88 characters (handbook.render measures tables in the same unit); a table
# cell, whose column may be a fifth of the line, keeps whole the longest words of the book's own tables
# ("Afghanistan–Pakistan"). A word, for the count: characters between spaces and hyphens, at which TeX
# breaks already.
LONGEST_WORD, LONGEST_CELL_WORD = 88, 20
_WORD = re.compile(r"[^\s\-]{%d,}" % (LONGEST_WORD + 1))
_CELL_WORD = re.compile(r"[^\s\-]{%d,}" % (LONGEST_CELL_WORD + 1))
BREAK = r"\allowbreak{}"
# Text LaTeX does not typeset character by character, so a break there would show or be lost; and a
# link, whose text Sphinx compares with its address (xurl breaks a printed address anywhere already).
_AS_IS = (nodes.FixedTextElement, nodes.raw, nodes.math, nodes.comment, nodes.reference)


def _joined(previous: str, char: str) -> bool:
    """No break between a character and a mark on it (variation selectors are marks too), nor inside an
    emoji joined by ZWJ."""
    return unicodedata.category(char).startswith("M") or "\u200d" in (previous, char)


def _pieces(text: str, long_word: re.Pattern) -> list[nodes.Node]:
    """`text` as Text and raw LaTeX breaks, with a break allowed after each character of a long word."""
    output, start = [], 0
    for word in long_word.finditer(text):
        pending = text[start:word.start()] + word.group()[0]
        for previous, char in zip(word.group(), word.group()[1:]):
            if _joined(previous, char):
                pending += char
                continue
            output += [nodes.Text(pending), nodes.raw("", BREAK, format="latex")]
            pending = char
        output.append(nodes.Text(pending))
        start = word.end()
    if start < len(text):
        output.append(nodes.Text(text[start:]))
    return output


class BreakLongWords(SphinxPostTransform):
    """In the LaTeX build only: the HTML is left as it is."""

    builders = ("latex",)
    default_priority = 900  # after the `only` nodes of the other builders are gone

    def run(self, **kwargs) -> None:
        for text in list(self.document.findall(nodes.Text)):
            if not _CELL_WORD.search(text):
                continue
            ancestors = list(_ancestors(text))
            if any(isinstance(node, _AS_IS) for node in ancestors):
                continue
            long_word = _CELL_WORD if any(isinstance(node, nodes.entry) for node in ancestors) else _WORD
            if long_word.search(text):
                parent = text.parent
                index = parent.index(text)
                parent[index:index + 1] = _pieces(str(text), long_word)


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent
