"""Charts in print: the LaTeX build draws each chart's Vega spec as a vector PDF, and only the LaTeX build.

Drawing every chart as PDF while the HTML is built would cost every HTML build that time. This module
imports docutils alone, so that Sphinx can load it on every build at no cost.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from docutils import nodes


class vega_pdf(nodes.General, nodes.Element):
    """A chart's place in print: its Vega spec, its name and its alt text, until draw_vega_pdfs draws it."""


def draw_vega_pdfs(doctree: nodes.Node, outdir: Path) -> None:
    """Replace each vega_pdf node by an image of the chart drawn as vector PDF in the LaTeX folder."""
    import vl_convert  # only the print build needs it in the Sphinx process

    for node in list(doctree.findall(vega_pdf)):
        spec = json.dumps(node["spec"], sort_keys=True)
        name = f"{node['name']}-{hashlib.sha256(spec.encode('utf-8')).hexdigest()[:16]}.pdf"
        if not (outdir / name).exists():  # charts in a handout are in the book too, and in the last build
            (outdir / name).write_bytes(vl_convert.vega_to_pdf(node["spec"]))
        node.replace_self(nodes.image(uri=name, alt=node["alt"], candidates={"*": name}))
