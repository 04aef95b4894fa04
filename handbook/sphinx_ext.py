"""The handbook's Sphinx extension: checks data/ before a build, keeps pages in step with data/,
and serves the chart library, brief colours and bibliography from files it derives at build time."""

from __future__ import annotations

import hashlib
from pathlib import Path

import vl_convert
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

from handbook.bib import bibtex
from handbook.corpus import load_corpus
from handbook.problems import DataError

GENERATED = Path("_build") / "generated"
STATIC = Path(__file__).parent / "static"
# Finds each chart placeholder and draws it; spec JSON sits in a non-executing script element.
CHART_LOADER = """
function drawCharts() {
  document.querySelectorAll('script.vega-spec').forEach(function (element) {
    var target = document.getElementById(element.dataset.chart);
    if (!target || target.dataset.drawn) { return; }
    target.dataset.drawn = 'true';
    vegaEmbed(target, JSON.parse(element.textContent), {actions: false, renderer: 'svg'})
      .catch(function (error) { target.textContent = 'The chart could not be drawn: ' + error; });
  });
}
if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', drawCharts); }
else { drawCharts(); }
"""


def fingerprint(root: Path) -> str:
    """A hash of everything executed pages read: the data and the code that turns it into pages."""
    digest = hashlib.sha256()
    files = sorted((root / "data").rglob("*")) + sorted(Path(__file__).parent.glob("*.py"))
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(path.parents[1])).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _chart_library(static: Path) -> None:
    """vl-convert's Vega bundle, wrapped so that nothing but its loader runs in the page's scope."""
    target = static / f"handbook-charts-{vl_convert.__version__}.js"
    if not target.exists():
        bundle = vl_convert.javascript_bundle(CHART_LOADER)
        _write_if_changed(target, "(function () {\n" + bundle + "\n})();\n")
    for stale in static.glob("handbook-charts-*.js"):
        if stale != target:
            stale.unlink()


def on_config_inited(app: Sphinx, config) -> None:
    root = Path(app.srcdir)
    try:
        corpus = load_corpus(root)
    except DataError as error:
        raise ConfigError("data/ has problems; the book was not built:\n" + str(error)) from None
    generated = root / GENERATED
    _write_if_changed(generated / "briefs.bib", bibtex(corpus.briefs))
    static = generated / "static"
    _chart_library(static)
    colours = "".join(
        f".brief-{brief_id} {{ --brief-colour: {colour}; }}\n" for brief_id, colour in corpus.colours.items()
    )
    _write_if_changed(static / "handbook-briefs.css", colours)
    config.html_static_path = [*config.html_static_path, str(static), str(STATIC)]
    app.handbook_fingerprint = fingerprint(root)


def on_env_get_outdated(app: Sphinx, env, added, changed, removed):
    """Re-read every page when data/ or handbook/ changed: execution output depends on them, not on the page."""
    if getattr(env, "handbook_fingerprint", None) == app.handbook_fingerprint:
        return []
    env.handbook_fingerprint = app.handbook_fingerprint
    return sorted(env.found_docs - set(added) - set(changed))


def _wanted_scripts(scripts) -> list:
    """The page's scripts without Thebe (live code is off, and it names a CDN) and without the
    duplicate inline scripts Sphinx 7.4 writes (a second `const` declaration is a page error)."""
    kept, seen = [], set()
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body", "")
        if "thebe" in (str(script) + body).lower():
            continue
        key = (str(script), body)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    return kept


# Docutils and myst-nb markup that fails accessibility checks, and the repair: citations use a
# deprecated ARIA role inside role="list", and the hidden-code toggle's label hides its visible text.
BODY_REPAIRS = [('role="doc-biblioentry"', 'role="listitem"'),
                ('<summary aria-label="Toggle hidden content">', "<summary>")]


def on_html_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    body = context.get("body", "")
    for old, new in BODY_REPAIRS:
        body = body.replace(old, new)
    context["body"] = body
    if 'class="vega-chart"' in body:
        app.add_js_file(f"handbook-charts-{vl_convert.__version__}.js", defer="defer")
    # In place: these lists are the builder's own, which later add_js_file calls extend.
    context["script_files"][:] = _wanted_scripts(context["script_files"])
    context["css_files"][:] = [css for css in context["css_files"] if "thebe" not in str(css)]


def on_env_before_read_docs(app: Sphinx, env, docnames) -> None:
    # Set here, after Jupyter Book has applied its own single-document LaTeX overrides.
    app.config.latex_documents = [tuple(document) for document in app.config.handbook_latex_documents]


def setup(app: Sphinx):
    app.add_config_value("handbook_latex_documents", [], "env")
    app.connect("config-inited", on_config_inited)
    app.connect("env-before-read-docs", on_env_before_read_docs)
    app.connect("env-get-outdated", on_env_get_outdated)
    # Last, so that the scripts other extensions add for the page are there to be filtered.
    app.connect("html-page-context", on_html_page_context, priority=900)
    app.add_css_file("handbook.css")
    app.add_css_file("handbook-briefs.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
