"""The exercises of a page as a kit students run in plain Jupyter, offline: a notebook made from the
page's own cells (so nothing is written twice), with the data and the code it needs beside it.

The notebook holds the page's section of exercises: its text (MyST roles and links to other pages
reduced to plain text) and its code cells, solutions collapsed, no outputs. `show.table` and
`show.chart` display as an HTML table and an SVG chart outside the book, so results show in Jupyter.
"""

from __future__ import annotations

import importlib.metadata
import io
import re
import zipfile
from pathlib import Path

import nbformat
from myst_nb.core.read import read_myst_markdown_notebook

from handbook import project

NOTEBOOK = "exercises.ipynb"
# What `from handbook import corpus, show, charts` needs, and Jupyter itself.
PACKAGES = ["pandas", "pyyaml", "altair", "vl-convert-python", "markdown-it-py", "mdit-py-plugins", "ipykernel"]
JUPYTER = "jupyterlab>=4,<5"
HIDDEN_TAGS = {"remove-cell", "remove-input"}
SOLUTION_TAGS = {"hide-input", "hide-cell"}
README = """The exercises of the handbook "{title}", to run in Jupyter without an internet connection.

Once, with an internet connection (or from a local package mirror), in this folder:

    python3 -m venv .venv                      (Windows: py -m venv .venv)
    .venv/bin/pip install -r requirements.txt  (Windows: .venv\\Scripts\\pip install -r requirements.txt)

Then, offline, every time:

    .venv/bin/jupyter lab {notebook}            (Windows: .venv\\Scripts\\jupyter lab {notebook})

Run the cells from the top. The data are the briefs in data/; the code that reads them is in handbook/.
Python 3.11 or newer is needed (pandas 3).
"""


def _plain_markdown(text: str) -> str:
    """MyST that plain Jupyter does not know, as the words a reader sees: {term}`CPEC` -> CPEC, and a
    link to another page of the book -> its text."""
    text = re.sub(r"\{[a-z:-]+\}`([^`<]*?)(?:\s*<[^`]*>)?`", r"\1", text)
    return re.sub(r"\[([^\]]+)\]\((?!https?:)[^)]*\)", r"\1", text)


def _section(cells: list, heading: str) -> list:
    """The cells from the markdown heading `heading` to the next heading of the same level."""
    level = heading.split(" ")[0]
    kept, inside = [], False
    for cell in cells:
        if cell.cell_type == "markdown":
            parts = re.split(rf"(?m)^(?={re.escape(level)} )", cell.source)
            for part in parts:
                if part.startswith(heading):
                    inside = True
                elif part.startswith(level + " "):
                    inside = False
                if inside and part.strip():
                    kept.append(nbformat.v4.new_markdown_cell(_plain_markdown(part.strip())))
        elif inside:
            tags = set(cell.metadata.get("tags", []))
            if tags & HIDDEN_TAGS:
                continue
            code = nbformat.v4.new_code_cell(cell.source)
            if tags & SOLUTION_TAGS:
                code.metadata["jupyter"] = {"source_hidden": True}
                code.metadata["tags"] = ["solution"]
            kept.append(code)
    if not kept:
        raise ValueError(f"no section '{heading}' with cells found")
    return kept


def notebook(page: Path, heading: str) -> nbformat.NotebookNode:
    source = read_myst_markdown_notebook(page.read_text(encoding="utf-8"))
    result = nbformat.v4.new_notebook()
    result.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                       "language_info": {"name": "python"}}
    result.cells = _section(source.cells, heading)
    return result


def requirements(root: Path) -> str:
    """The packages the kit needs, at the versions the book is built with."""
    pinned = {}
    for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name = re.split(r"[<>=!~ \[]", line.strip(), maxsplit=1)[0].lower()
        if name:
            pinned[name] = line.strip()
    lines = [pinned.get(name) or f"{name}=={importlib.metadata.version(name)}" for name in PACKAGES]
    return "\n".join([*lines, JUPYTER]) + "\n"


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))  # the same kit for the same sources
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def kit(page: str, heading: str, title: str) -> bytes:
    """A zip: the notebook, the project's data and package, its configuration, requirements and a README."""
    root = project.root()
    folder = Path(page).stem
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, f"{folder}/{NOTEBOOK}", nbformat.writes(notebook(root / page, heading)).encode("utf-8"))
        _add(archive, f"{folder}/requirements.txt", requirements(root).encode("utf-8"))
        _add(archive, f"{folder}/README.txt", README.format(title=title, notebook=NOTEBOOK).encode("utf-8"))
        _add(archive, f"{folder}/_config.yml", (root / "_config.yml").read_bytes())
        files = sorted((root / "data").rglob("*")) + sorted((root / "handbook").glob("*.py"))
        for path in files:
            if path.is_file():
                _add(archive, f"{folder}/{path.relative_to(root).as_posix()}", path.read_bytes())
    return buffer.getvalue()
