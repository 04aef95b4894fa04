"""The handbook's Sphinx extension: checks data/ before a build, keeps pages in step with data/,
executes outdated pages in shared kernels (handbook.execution), draws charts as PDF for print only,
and serves the chart library and brief colours from files it derives at build time."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

from handbook import editions
from handbook.corpus import cached_corpus, checked_corpus
from handbook.execution import execute_pages
from handbook.print_only import ForPrint, printed_table
from handbook.printed_charts import draw_vega_pdfs, vega_pdf
from handbook.printed_text import BreakLongWords
from handbook.problems import DataError
from handbook.project import STAMP, fingerprint, sources_fingerprint

GENERATED = Path("_build") / "generated"
STATIC = Path(__file__).parent / "static"
# Draws each chart placeholder from its Vega spec (compiled from Vega-Lite at build time, so pages
# need Vega alone); the spec sits in a script element of type application/json, which never runs.
CHART_LOADER = """
(function () {
  function drawCharts() {
    document.querySelectorAll('script.vega-spec').forEach(function (element) {
      var target = document.getElementById(element.dataset.chart);
      if (!target || target.dataset.drawn) { return; }
      target.dataset.drawn = 'true';
      // Links in a chart are relative to the book's root, as Sphinx gives it for this page.
      var loader = vega.loader({baseURL: document.documentElement.dataset.content_root || ''});
      new vega.View(vega.parse(JSON.parse(element.textContent)),
                    {renderer: 'svg', container: target, hover: true, loader: loader})
        .runAsync()
        .catch(function (error) { target.textContent = 'The chart could not be drawn: ' + error; });
    });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', drawCharts); }
  else { drawCharts(); }
})();
"""


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _chart_library(root: Path, static: Path) -> str:
    """Vega's own browser build (from npm, see package.json) and the loader, as one file; its name."""
    vega = root / "node_modules" / "vega"
    if not (vega / "build" / "vega.min.js").exists():
        raise ConfigError(f"{vega} is missing: run `npm ci` (make book does it)")
    version = json.loads((vega / "package.json").read_text(encoding="utf-8"))["version"]
    name = f"handbook-charts-vega-{version}.js"
    _write_if_changed(static / name, (vega / "build" / "vega.min.js").read_text(encoding="utf-8") + CHART_LOADER)
    for stale in static.glob("handbook-charts-*.js"):
        if stale.name != name:
            stale.unlink()
    return name


def on_config_inited(app: Sphinx, config) -> None:
    root = Path(app.srcdir)
    try:
        corpus = checked_corpus(root)
    except DataError as error:
        raise ConfigError("data/ has problems; the book was not built:\n" + str(error)) from None
    generated = root / GENERATED
    static = generated / "static"
    app.handbook_chart_library = _chart_library(root, static)
    colours = "".join(
        f".brief-{brief_id} {{ --brief-colour: {colour}; }}\n" for brief_id, colour in corpus.colours.items()
    )
    _write_if_changed(static / "handbook-briefs.css", colours)
    config.html_static_path = [*config.html_static_path, str(static), str(STATIC)]
    app.handbook_fingerprint = fingerprint(root)
    app.handbook_corpus = corpus  # tagged and kept for the pages by on_env_before_read_docs
    app.handbook_sources = sources_fingerprint(root)
    (Path(app.outdir) / STAMP).unlink(missing_ok=True)  # a failed build leaves no stamp
    _set_edition(config, corpus)


def _set_edition(config, corpus) -> None:
    """The edition and build date for the footer (html_context) and the PDF title page (release, date)."""
    edition = editions.current(corpus.briefs)
    built = editions.build_date()
    config.version = str(edition.number)
    config.release = f"{edition.number} ({edition.date_text})"
    # The title page date: latex_elements has no "date" key, and setting `today` would make every day's
    # first build re-read every page.
    config.latex_elements = {**config.latex_elements, "releasename": "Edition",
                             "maketitle": rf"\date{{Built {built}}}\sphinxmaketitle"}
    config.html_context = {**config.html_context, "handbook_edition": config.release, "handbook_built": built}


def on_env_get_outdated(app: Sphinx, env, added, changed, removed):
    """Re-read every page when data/ or handbook/ changed: execution output depends on them, not on the page."""
    if getattr(env, "handbook_fingerprint", None) == app.handbook_fingerprint:
        return []
    env.handbook_fingerprint = app.handbook_fingerprint
    return sorted(env.found_docs - set(added) - set(changed))


# Assets no page needs: Thebe (live code is off, and it names a CDN), and sphinx-design's, whose
# components the book does not use.
UNWANTED_SCRIPTS = ("thebe", "design-tabs.js")
UNWANTED_STYLES = ("thebe", "sphinx-design")


def _wanted_scripts(scripts) -> list:
    """The page's scripts less the unwanted ones and the duplicate inline scripts Sphinx 7.4 writes
    (a second `const` declaration is a page error)."""
    kept, seen = [], set()
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body", "")
        if any(name in (str(script) + body).lower() for name in UNWANTED_SCRIPTS):
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
        app.add_js_file(app.handbook_chart_library, defer="defer")
    # In place: these lists are the builder's own, which later add_js_file calls extend.
    context["script_files"][:] = _wanted_scripts(context["script_files"])
    context["css_files"][:] = [css for css in context["css_files"]
                               if not any(name in str(css) for name in UNWANTED_STYLES)]


def on_builder_inited(app: Sphinx) -> None:
    """Keep executed notebooks in a jupyter-cache of their own for each state of data/ and handbook/.

    jupyter-cache matches a page by its code alone; the pages' output also depends on data/, so each
    fingerprint gets its own cache, and a page whose code and data are unchanged is not executed again.
    """
    if app.env.mystnb_config.execution_mode != "cache":
        return
    caches = Path(app.outdir).parent / ".jupyter_cache"
    current = caches / app.handbook_fingerprint[:16]
    for stale in caches.glob("*") if caches.is_dir() else []:
        if stale.is_dir() and stale != current:
            shutil.rmtree(stale, ignore_errors=True)
    app.env.mystnb_config = app.env.mystnb_config.copy(execution_cache_path=str(current))


def on_env_before_read_docs(app: Sphinx, env, docnames) -> None:
    # Set here, after Jupyter Book has applied its own single-document LaTeX overrides.
    app.config.latex_documents = [tuple(document) for document in app.config.handbook_latex_documents]
    if env.mystnb_config.execution_mode == "cache":
        # The corpus is tagged once, here, while the kernels start, and read from its pickle by every
        # page; the copy this build loaded to check data/ is the one tagged.
        execute_pages(env, docnames, prepare=lambda: cached_corpus(Path(app.srcdir), app.handbook_corpus),
                      warm_up=KERNEL_WARM_UP)


# What every page's cells import, and vl-convert's first compilation (half a second, once per process),
# done in each kernel while this process tags the corpus. Not handbook.chapter: importing that
# submodule hides the function of the same name (see handbook/__init__.py). Not scikit-learn (1.5 s of
# import): only the method page needs it, for kappa, and imports it there; the passages of a brief not
# yet coded are ranked in this process, with the corpus. And no SVG copies of the
# charts: the book draws them from their Vega spec, and the SVG, for plain Jupyter (handbook.show.Display),
# took most of each chart's time (seconds per chart with 200 briefs).
KERNEL_WARM_UP = """\
import handbook.show, vl_convert
vl_convert.vegalite_to_vega({"mark": "point"})
get_ipython().display_formatter.formatters["image/svg+xml"].enabled = False
"""


def on_build_finished_stamp(app: Sphinx, exception) -> None:
    # With --keep-going, warnings that -W makes errors fail the build only after this event.
    if not exception and not (app.warningiserror and app._warncount):
        (Path(app.outdir) / STAMP).write_text(app.handbook_sources + "\n", encoding="utf-8")


def on_doctree_resolved(app: Sphinx, doctree, docname) -> None:
    if app.builder.format == "latex":
        draw_vega_pdfs(doctree, Path(app.builder.outdir))


def _skip(self, node):
    raise nodes.SkipNode


def setup(app: Sphinx):
    app.add_config_value("handbook_latex_documents", [], "env")
    app.setup_extension("handbook.handout")
    app.connect("config-inited", on_config_inited)
    app.connect("builder-inited", on_builder_inited, priority=600)  # after myst-nb has made its config
    app.connect("env-before-read-docs", on_env_before_read_docs)
    app.connect("env-get-outdated", on_env_get_outdated)
    # Last, so that the scripts other extensions add for the page are there to be filtered.
    app.connect("html-page-context", on_html_page_context, priority=900)
    app.connect("build-finished", on_build_finished_stamp)
    app.connect("doctree-resolved", on_doctree_resolved)
    # Only inside `only(latex)`, replaced before the LaTeX writer sees it: other builders never meet it.
    app.add_node(vega_pdf, html=(_skip, None), latex=(_skip, None), text=(_skip, None))
    app.add_node(printed_table, html=(_skip, None), latex=(_skip, None), text=(_skip, None))
    app.add_post_transform(ForPrint)
    app.add_post_transform(BreakLongWords)
    app.add_css_file("handbook.css")
    app.add_css_file("handbook-briefs.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
