"""What the print build alone makes: the explorer's table of every passage, and each link to a page of
the online book turned into its text.

The HTML build used to carry both forms of these, in `only` nodes: ten nodes per passage for a table it
never shows, and five nodes where one does for every link, all read, pickled and walked by every
transform. At 200 briefs that was more than half of the book's nodes.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


class printed_table(nodes.General, nodes.Element):
    """The explorer's table of every passage (the payload handbook.render makes a table from), until the
    print build makes it."""


class ForPrint(SphinxPostTransform):
    """In the LaTeX build only. Before the references are resolved (priority 10): a table's passages
    link to the Sources appendix."""

    builders = ("latex",)
    default_priority = 5

    def run(self, **kwargs) -> None:
        from handbook.render import _table_node  # imports Altair, which only pages need

        for node in list(self.document.findall(printed_table)):
            # smartquotes ran at reading; these nodes come after it and need no guard from it
            node.replace_self(_table_node(node["docname"], node["payload"]))
        for link in list(self.document.findall(nodes.reference)):
            if "explorer-link" in link["classes"]:
                link.parent.replace(link, nodes.Text(link.get("printed", link.astext())))
