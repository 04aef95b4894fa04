"""Pages run in shared kernels (handbook.execution) on a few tiny pages, without Sphinx: each page sees a
fresh namespace in its own folder, what ran goes into myst-nb's cache, and what failed is left to myst-nb."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
from jupyter_cache import get_cache
from myst_nb.core.config import NbParserConfig
from myst_parser.config.main import MdParserConfig

from handbook import execution

HEADER = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
{extra}---

# {title}

"""


def page(folder: Path, name: str, code: str, extra: str = "") -> Path:
    path = folder / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    cells = "".join(f"```{{code-cell}} ipython3\n{source}\n```\n\n" for source in code.split("\n---\n")) if code else ""
    path.write_text(HEADER.format(title=name, extra=extra) + "Some prose.\n\n" + cells, encoding="utf-8")
    return path


@pytest.fixture
def book(tmp_path):
    # Pages run longest code first: first, second, dies, broken. Each notes in order.txt that it ran.
    pages = {
        "first": page(tmp_path, "first", "# the longest page, so run first\nsecret = 41 + 1\nopen('order.txt', 'a').write('first ')\n---\n"
                               "print(secret)"),
        "chapters/second": page(tmp_path / "chapters", "second",
                                "import os\nprint(os.getcwd())\nopen('../order.txt', 'a').write('second ')\n---\n"
                                "print('secret' in globals())"),
        "broken": page(tmp_path, "broken", "_ = open('order.txt', 'a').write('broken ')\n---\nraise ValueError('a page that fails')"),
        "dies": page(tmp_path, "dies", "import os  # a page that kills its kernel\nopen('order.txt', 'a').write('dies ')\nos._exit(1)"),
        "prose": page(tmp_path, "prose", ""),
        "own-settings": page(tmp_path, "own-settings", "print('mine')", extra="mystnb:\n  execution_mode: force\n"),
    }
    env = SimpleNamespace(mystnb_config=NbParserConfig(execution_cache_path=str(tmp_path / "cache"), execution_timeout=60),
                          myst_config=MdParserConfig(), doc2path=lambda docname: str(pages[docname]))
    return env, pages


def execute(*args, **options):
    """As Sphinx calls it: in a thread with no event loop running (the browser tests' Playwright runs one in
    the main thread for the whole session, and asyncio.run refuses to start inside it)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(execution.execute_pages, *args, **options).result()


def outputs(cache, path: Path) -> list[str]:
    (record,) = [r for r in cache.list_cache_records() if r.uri == str(path)]
    notebook = cache.get_cache_bundle(record.pk).nb
    return ["".join(output["text"]) for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs if output["output_type"] == "stream"]


@pytest.mark.parametrize("cores", [1, 2])
def test_pages_run_in_shared_kernels_each_in_a_fresh_namespace_in_its_own_folder(book, monkeypatch, cores):
    env, pages = book
    monkeypatch.setattr(execution, "_cores", lambda: cores)  # one kernel: every page after another in it
    prepared = []
    execute(env, list(pages), prepare=lambda: prepared.append(True), warm_up="import json")
    cache = get_cache(env.mystnb_config.execution_cache_path)
    assert sorted(record.uri for record in cache.list_cache_records()) == \
        sorted(str(pages[name]) for name in ("first", "chapters/second")), "a failed page is left to myst-nb"
    assert outputs(cache, pages["first"]) == ["42\n"]
    assert outputs(cache, pages["chapters/second"]) == [f"{pages['chapters/second'].parent}\n", "False\n"], \
        "its own folder, and nothing another page defined"
    assert prepared == [True]
    (record,) = [r for r in cache.list_cache_records() if r.uri == str(pages["first"])]
    assert 0 < json.loads(json.dumps(record.data))["execution_seconds"] < 60
    if cores == 1:
        assert (pages["first"].parent / "order.txt").read_text() == "first second dies broken ", \
            "the longest page first, and a page after one that killed its kernel runs in a new one"


def test_a_page_already_in_the_cache_or_without_code_or_with_settings_of_its_own_is_not_run(book):
    env, pages = book
    cache = get_cache(env.mystnb_config.execution_cache_path)
    assert [page.path for page in execution.pages_to_execute(env, list(pages), cache)] == \
        [pages["first"], pages["chapters/second"], pages["broken"], pages["dies"]]
    found = execution.pages_to_execute(env, ["first"], cache)[0]
    assert (found.kernel, found.timeout, found.allow_errors) == ("python3", 60, False)
    execute(env, ["first"])
    prepared = []
    execute(env, ["first", "prose"], prepare=lambda: prepared.append(True))
    assert prepared == [], "nothing to run: nothing prepared, no kernel started"
    assert execution.pages_to_execute(env, list(pages), cache)[0].path == pages["chapters/second"]
