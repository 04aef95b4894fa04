"""The exercise kit a student downloads from the seminar guide, run in plain Jupyter from a scratch folder."""

from __future__ import annotations

import os
import zipfile

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def executed(html_dir, page, tmp_path_factory):
    link = next(a for a in page("seminar-guide.html").select("a.download") if a["href"].endswith(".zip"))
    scratch = tmp_path_factory.mktemp("student")
    with zipfile.ZipFile(html_dir / link["href"]) as kit:
        kit.extractall(scratch)
    (folder,) = [path for path in scratch.iterdir() if path.is_dir()]
    notebook = nbformat.read(folder / "exercises.ipynb", as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells)  # students run it themselves
    # Which handbook the notebook imported: the kit's own, beside it, not the project's.
    notebook.cells.append(nbformat.v4.new_code_cell("import handbook; print(handbook.__file__)"))
    env = {key: value for key, value in os.environ.items() if key != "HANDBOOK_ROOT"}
    previous = os.environ.copy()
    os.environ.clear()
    os.environ.update(env)
    try:
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(previous)
    return folder, notebook


def _outputs(cell, mime):
    return [output["data"][mime] for output in cell.get("outputs", []) if mime in output.get("data", {})]


def test_the_kit_has_what_it_needs_to_run(executed):
    folder, _ = executed
    assert (folder / "requirements.txt").read_text().count("\n") >= 5
    assert "jupyter lab exercises.ipynb" in (folder / "README.txt").read_text()
    assert list((folder / "data" / "briefs").glob("*.md"))


def test_the_notebook_shows_real_tables_and_a_chart(executed, corpus):
    folder, notebook = executed
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    errors = [output for cell in code for output in cell.get("outputs", []) if output["output_type"] == "error"]
    assert not errors
    tables = [html for cell in code for html in _outputs(cell, "text/html") if "<table" in html]
    assert len(tables) >= 3
    assert all(brief.label in tables[0] for brief in corpus.briefs)  # a row per brief: CPEC mentions
    charts = [svg for cell in code for svg in _outputs(cell, "image/svg+xml")]
    assert charts and all(brief.label in charts[0] for brief in corpus.briefs)
    solutions = [cell for cell in code if cell.metadata.get("jupyter", {}).get("source_hidden")]
    assert len(solutions) >= 3
    imported = "".join(output.get("text", "") for output in code[-1]["outputs"])
    assert str(folder) in imported and str(ROOT) not in imported
