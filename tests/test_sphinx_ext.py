"""The handbook's Sphinx extension, one hook at a time, without a build: what keeps pages in step with
data/, the stamp the HTML and PDF tests trust, and what each page loads."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

from handbook import project as project_module
from handbook import sphinx_ext
from handbook.project import fingerprint
from tests.conftest import ROOT


@pytest.fixture
def tree(tmp_path):
    for name in ("data", "chapters", "handbook"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(ROOT / name, tmp_path)
    (tmp_path / "index.md").write_text("# The handbook\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# For contributors\n", encoding="utf-8")
    return tmp_path


def test_the_sources_fingerprint_changes_with_any_source_and_not_with_what_a_build_writes(tree):
    before = project_module.sources_fingerprint(tree)
    assert project_module.sources_fingerprint(tree) == before
    for written in ("_build/html/index.html", ".git/HEAD", "node_modules/x.js", "tests/test_x.py",
                    "benchmarks/results.json", "handbook/__pycache__/x.pyc", "handbook.egg-info/PKG-INFO",
                    ".pytest_cache/x"):
        (tree / written).parent.mkdir(parents=True, exist_ok=True)
        (tree / written).write_text("x", encoding="utf-8")
    (tree / "README.md").write_text("edited", encoding="utf-8")
    assert project_module.sources_fingerprint(tree) == before, "build output, tools and the README are not sources"
    for source in ("chapters/china.md", "data/events.csv", "handbook/show.py", "_config.yml"):
        path = tree / source
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert project_module.sources_fingerprint(tree) != before, source
        path.write_bytes(original)
    (tree / "chapters" / "new.md").write_text("# New\n", encoding="utf-8")
    assert project_module.sources_fingerprint(tree) != before, "a new page"


def test_every_page_is_read_again_when_data_or_code_changed_and_none_otherwise():
    app = SimpleNamespace(handbook_fingerprint="new")
    env = SimpleNamespace(handbook_fingerprint="old", found_docs={"a", "b", "c", "d"})
    assert sphinx_ext.on_env_get_outdated(app, env, added={"a"}, changed={"b"}, removed=set()) == ["c", "d"]
    assert env.handbook_fingerprint == "new"
    assert sphinx_ext.on_env_get_outdated(app, env, added=set(), changed=set(), removed=set()) == []
    fresh = SimpleNamespace(found_docs={"a"})
    assert sphinx_ext.on_env_get_outdated(app, fresh, added=set(), changed=set(), removed=set()) == ["a"]


def test_the_chart_library_is_vega_from_npm_with_the_loader_under_its_version(tmp_path):
    vega = tmp_path / "node_modules" / "vega"
    (vega / "build").mkdir(parents=True)
    (vega / "build" / "vega.min.js").write_text("/*vega*/", encoding="utf-8")
    (vega / "package.json").write_text(json.dumps({"version": "5.0.1"}), encoding="utf-8")
    static = tmp_path / "static"
    static.mkdir()
    (static / "handbook-charts-vega-4.0.0.js").write_text("old", encoding="utf-8")
    name = sphinx_ext._chart_library(tmp_path, static)
    assert name == "handbook-charts-vega-5.0.1.js"
    assert (static / name).read_text(encoding="utf-8") == "/*vega*/" + sphinx_ext.CHART_LOADER
    assert not (static / "handbook-charts-vega-4.0.0.js").exists(), "an older library is removed"
    shutil.rmtree(vega)
    with pytest.raises(sphinx_ext.ConfigError, match="npm ci"):
        sphinx_ext._chart_library(tmp_path, static)


def test_a_file_is_rewritten_only_when_its_text_changes(tmp_path):
    path = tmp_path / "deep" / "file.css"
    sphinx_ext._write_if_changed(path, "a")
    stamp = path.stat().st_mtime_ns
    sphinx_ext._write_if_changed(path, "a")
    assert path.stat().st_mtime_ns == stamp, "unchanged: Sphinx need not copy it again"
    sphinx_ext._write_if_changed(path, "b")
    assert path.read_text(encoding="utf-8") == "b"


class Script(str):
    def __new__(cls, name, body=""):
        script = super().__new__(cls, name)
        script.attributes = {"body": body} if body else {}
        return script


def test_a_page_loads_the_chart_library_only_with_a_chart_and_none_of_the_unwanted_scripts():
    added = []
    app = SimpleNamespace(handbook_chart_library="handbook-charts-vega-5.js",
                          add_js_file=lambda name, **options: added.append((name, options)))
    scripts = [Script("_static/thebe.js"), Script("_static/design-tabs.js"), Script("_static/book.js"),
               Script("", "const x = 1;"), Script("", "const x = 1;"), Script("_static/THEBE-lite.js"),
               Script("_static/book.js"), Script("_static/other.js")]
    context = {"body": '<div class="vega-chart"></div><dl role="doc-biblioentry">'
                       '<summary aria-label="Toggle hidden content">More</summary>',
               "script_files": scripts, "css_files": ["_static/sphinx-design.css", "_static/book.css", "thebe.css"]}
    sphinx_ext.on_html_page_context(app, "chapters/china", "page.html", context, None)
    assert added == [("handbook-charts-vega-5.js", {"defer": "defer"})]
    assert context["script_files"] == ["_static/book.js", "", "_static/other.js"] and context["script_files"][1].attributes
    assert context["css_files"] == ["_static/book.css"]
    assert context["body"] == '<div class="vega-chart"></div><dl role="listitem"><summary>More</summary>'
    plain = {"body": "<p>text</p>", "script_files": [], "css_files": []}
    sphinx_ext.on_html_page_context(app, "index", "page.html", plain, None)
    assert len(added) == 1, "no chart, no chart library"


def test_the_stamp_names_the_sources_a_finished_build_was_made_from(tmp_path):
    app = SimpleNamespace(outdir=str(tmp_path), handbook_sources="abc123", warningiserror=True, _warncount=0)
    sphinx_ext.on_build_finished_stamp(app, exception=RuntimeError("failed"))
    assert not (tmp_path / project_module.STAMP).exists(), "a failed build leaves no stamp"
    app._warncount = 1
    sphinx_ext.on_build_finished_stamp(app, exception=None)
    assert not (tmp_path / project_module.STAMP).exists(), "a warning under -W fails a --keep-going build at its end"
    app.warningiserror = False
    sphinx_ext.on_build_finished_stamp(app, exception=None)
    assert (tmp_path / project_module.STAMP).read_text(encoding="utf-8") == "abc123\n", "a warning alone fails nothing"
    (tmp_path / project_module.STAMP).unlink()
    app.warningiserror, app._warncount = True, 0
    sphinx_ext.on_build_finished_stamp(app, exception=None)
    assert (tmp_path / project_module.STAMP).read_text(encoding="utf-8") == "abc123\n"


def test_make_skips_a_build_only_while_its_stamp_matches_the_sources(tree):
    """What `make html` and `make pdf` run first, as make runs it: the file alone, isolated from the package."""
    output = tree / "_build" / "html"
    output.mkdir(parents=True)

    def current():
        return subprocess.run([sys.executable, "-I", str(tree / "handbook" / "project.py"), "current", "_build/html"],
                              cwd=tree, capture_output=True, text=True)

    assert current().returncode == 1, "no build yet"
    (output / project_module.STAMP).write_text(project_module.sources_fingerprint(tree) + "\n", encoding="utf-8")
    done = current()
    assert done.returncode == 0 and "_build/html is up to date" in done.stdout
    (tree / "chapters" / "china.md").write_text("# Edited\n", encoding="utf-8")
    assert current().returncode == 1, "a source changed since the build"
    assert not project_module.is_current(output, tree)


def test_the_edition_reaches_the_footer_and_the_title_page(corpus, monkeypatch):
    from handbook import editions

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    config = SimpleNamespace(version="", release="", latex_elements={"papersize": "a4paper"}, html_context={"x": 1})
    sphinx_ext._set_edition(config, corpus)
    edition = editions.current(corpus.briefs)
    assert (config.version, config.release) == (str(edition.number), f"{edition.number} ({edition.date_text})")
    assert config.html_context == {"x": 1, "handbook_edition": config.release, "handbook_built": "2023-11-14"}
    assert config.latex_elements["papersize"] == "a4paper" and config.latex_elements["releasename"] == "Edition"
    assert config.latex_elements["maketitle"] == r"\date{Built 2023-11-14}\sphinxmaketitle"


def test_the_execution_cache_is_one_folder_per_state_of_data_and_code(tmp_path):
    caches = tmp_path / ".jupyter_cache"
    (caches / "stale0000000000000").mkdir(parents=True)
    config = SimpleNamespace(execution_mode="cache", copy=lambda **changes: SimpleNamespace(execution_mode="cache", **changes))
    app = SimpleNamespace(outdir=str(tmp_path / "html"), handbook_fingerprint=fingerprint(ROOT),
                          env=SimpleNamespace(mystnb_config=config))
    sphinx_ext.on_builder_inited(app)
    assert app.env.mystnb_config.execution_cache_path == str(caches / fingerprint(ROOT)[:16])
    assert not (caches / "stale0000000000000").exists(), "the cache of another state of data/ is removed"


def test_the_project_is_the_nearest_folder_up_with_both_config_and_data(tmp_path, monkeypatch):
    book = tmp_path / "book"
    (book / "data").mkdir(parents=True)
    (book / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (book / "chapters" / "sub").mkdir(parents=True)
    (book / "chapters" / "_config.yml").write_text("title: not a book\n", encoding="utf-8")  # config, no data/
    (book / "chapters" / "sub" / "data").mkdir()  # data/, no config
    monkeypatch.delenv("HANDBOOK_ROOT", raising=False)
    monkeypatch.chdir(book / "chapters" / "sub")
    assert project_module.root() == book.resolve()
    monkeypatch.setenv("HANDBOOK_ROOT", str(book / "data"))
    assert project_module.root() == book.resolve() and project_module.data_dir() == book.resolve() / "data"
    monkeypatch.setenv("HANDBOOK_ROOT", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="no handbook project"):
        project_module.root()


def test_configuring_the_book_checks_the_data_writes_each_briefs_colour_and_removes_the_last_stamp(project):
    from handbook.corpus import load_corpus

    vega = project / "node_modules" / "vega"
    (vega / "build").mkdir(parents=True)
    (vega / "build" / "vega.min.js").write_text("/*vega*/", encoding="utf-8")
    (vega / "package.json").write_text(json.dumps({"version": "5.0.1"}), encoding="utf-8")
    outdir = project / "_build" / "html"
    outdir.mkdir(parents=True)
    (outdir / project_module.STAMP).write_text("an older build\n", encoding="utf-8")
    app = SimpleNamespace(srcdir=str(project), outdir=str(outdir))
    config = SimpleNamespace(html_static_path=["_static"], latex_elements={}, html_context={})
    sphinx_ext.on_config_inited(app, config)
    corpus = load_corpus(project)
    static = project / "_build" / "generated" / "static"
    assert (static / "handbook-briefs.css").read_text(encoding="utf-8") == "".join(
        f".brief-{brief.id} {{ --brief-colour: {corpus.colours[brief.id]}; }}\n" for brief in corpus.briefs)
    assert config.html_static_path == ["_static", str(static), str(sphinx_ext.STATIC)]
    assert (static / app.handbook_chart_library).exists()
    assert app.handbook_fingerprint == fingerprint(project) and app.handbook_sources == project_module.sources_fingerprint(project)
    assert [brief.id for brief in app.handbook_corpus.briefs] == [brief.id for brief in corpus.briefs]
    assert not (outdir / project_module.STAMP).exists(), "until this build finishes, no stamp"
    assert config.html_context["handbook_edition"] == config.release and config.version in config.release
    (project / "data" / "briefs" / f"{corpus.briefs[0].id}.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    with pytest.raises(sphinx_ext.ConfigError, match="data/ has problems; the book was not built:\n.*"
                                                     f"{corpus.briefs[0].id}.md"):
        sphinx_ext.on_config_inited(app, config)


def test_before_reading_the_print_documents_are_the_books_and_pages_run_only_from_the_cache(monkeypatch):
    ran = []
    monkeypatch.setattr(sphinx_ext, "execute_pages", lambda env, docnames, **options: ran.append((docnames, options)))
    documents = [["index", "handbook.tex", "Book", "Editors", "manual"]]
    app = SimpleNamespace(config=SimpleNamespace(handbook_latex_documents=documents, latex_documents=[("x",)]),
                          srcdir=str(ROOT))
    env = SimpleNamespace(mystnb_config=SimpleNamespace(execution_mode="off"))
    sphinx_ext.on_env_before_read_docs(app, env, ["a"])
    assert app.config.latex_documents == [("index", "handbook.tex", "Book", "Editors", "manual")] and not ran
    env.mystnb_config.execution_mode = "cache"
    sphinx_ext.on_env_before_read_docs(app, env, ["a", "b"])
    assert [docnames for docnames, _ in ran] == [["a", "b"]]
    assert ran[0][1]["warm_up"] == sphinx_ext.KERNEL_WARM_UP and callable(ran[0][1]["prepare"])


def test_the_extension_declares_it_is_safe_in_parallel_and_connects_every_hook():
    connected, registered = [], []
    app = SimpleNamespace(
        add_config_value=lambda *args: registered.append(args), setup_extension=registered.append,
        connect=lambda event, hook, priority=500: connected.append((event, hook.__name__, priority)),
        add_node=lambda node, **visitors: registered.append((node.__name__, sorted(visitors))),
        add_post_transform=lambda transform: registered.append(transform.__name__),
        add_css_file=registered.append)
    assert sphinx_ext.setup(app) == {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
    assert sorted(connected) == sorted([
        ("config-inited", "on_config_inited", 500), ("builder-inited", "on_builder_inited", 600),
        ("env-before-read-docs", "on_env_before_read_docs", 500), ("env-get-outdated", "on_env_get_outdated", 500),
        ("html-page-context", "on_html_page_context", 900),
        ("build-finished", "on_build_finished_stamp", 500), ("doctree-resolved", "on_doctree_resolved", 500)])
    assert ("handbook_latex_documents", [], "env") in registered and "handbook.handout" in registered
    assert ("vega_pdf", ["html", "latex", "text"]) in registered and "BreakLongWords" in registered
    assert ("printed_table", ["html", "latex", "text"]) in registered and "ForPrint" in registered
    assert "handbook.css" in registered and "handbook-briefs.css" in registered
