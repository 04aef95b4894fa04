"""Text in print: a word longer than any printed line may break after any character.

TeX breaks lines only at spaces and hyphens, so such a word (a brief can hold one: an address, a run of
characters pasted by mistake) runs off the page; and XeTeX corrupts its memory on a word of a thousand
characters or so, stopping the whole book far from the word ('Missing number, treated as zero'). Every
character is kept: the break is a zero-width \\allowbreak, which prints nothing and copies as nothing.
"""

from __future__ import annotations

import re
import unicodedata

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

# A printed line of body or table text holds about this many characters (handbook.render measures
# tables in the same unit); no word that fits a line is touched.
LONGEST_WORD = 88
# A word, for the count: characters between spaces and hyphens, at which TeX breaks already.
_WORD = re.compile(r"[^\s\-]{%d,}" % (LONGEST_WORD + 1))
BREAK = r"\allowbreak{}"
# Text LaTeX does not typeset character by character: a break there would show or be lost.
_AS_IS = (nodes.FixedTextElement, nodes.raw, nodes.math, nodes.comment)


def _joined(previous: str, char: str) -> bool:
    """No break between a character and a mark on it, nor inside an emoji joined by ZWJ."""
    return unicodedata.category(char).startswith("M") or "\u200d" in (previous, char) or "\ufe00" <= char <= "\ufe0f"


def _pieces(text: str) -> list[nodes.Node]:
    """`text` as Text and raw LaTeX breaks, with a break allowed after each character of a long word."""
    output, start = [], 0
    for word in _WORD.finditer(text):
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
            if _WORD.search(text) and not any(isinstance(parent, _AS_IS) for parent in _ancestors(text)):
                parent = text.parent
                index = parent.index(text)
                parent[index:index + 1] = _pieces(str(text))


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent
