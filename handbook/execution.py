"""Executes the pages Sphinx is about to read in one long-lived kernel per core, not one kernel per page.

A fresh kernel per page (what myst-nb does) pays the kernel start and the imports of pandas, Altair
and vl-convert on every page, one page after another. Here each kernel runs many pages: before each
page its namespace is reset, its working directory set to the page's folder and the handbook's corpus
cache cleared, so a page sees what a fresh kernel would show it, except that modules stay imported.
The kernels start and import while this process prepares what the pages read (the tagged corpus):
on two cores the two take seconds each, side by side rather than one after the other.

The executed notebooks go into myst-nb's own jupyter-cache, in a folder named after the fingerprint
of data/ and handbook/; myst-nb then reads every page from that cache in the standard way. A page
that fails here is left out of the cache, so that myst-nb executes it again in a fresh kernel and
reports the error as it always does.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from myst_nb.core.read import create_nb_reader
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from sphinx.util import logging

logger = logging.getLogger(__name__)

# Run silently before each page: what a page defined is gone, the corpus is read again (from the pickle
# that handbook.corpus.cached_corpus keeps), and relative paths resolve from the page's folder.
PAGE_SETUP = """\
get_ipython().reset(new_session=True)
import os as _os, sys as _sys
_os.chdir({cwd!r})
if "handbook" in _sys.modules:
    _sys.modules["handbook"].corpus.cache_clear()
del _os, _sys
"""


@dataclass
class Page:
    path: Path
    notebook: object
    kernel: str
    timeout: int | None
    allow_errors: bool


def pages_to_execute(env, docnames, cache) -> list[Page]:
    """The notebooks among `docnames` that the cache does not hold yet, read as myst-nb reads them."""
    config = env.mystnb_config
    pages = []
    for docname in docnames:
        path = Path(env.doc2path(docname))
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, config, text)
        if reader is None:
            continue
        notebook = reader.read(text)
        if not any(cell.cell_type == "code" for cell in notebook.cells):
            continue
        # Pages with their own execution settings are left to myst-nb, which knows them all.
        if config.metadata_key in notebook.metadata or any(path.match(p) for p in config.execution_excludepatterns):
            continue
        try:
            cache.match_cache_notebook(notebook)
            continue
        except KeyError:
            pass
        own = notebook.metadata.get("execution", {})
        pages.append(Page(path, notebook, notebook.metadata.get("kernelspec", {}).get("name", "python3"),
                          own.get("timeout", config.execution_timeout),
                          own.get("allow_errors", config.execution_allow_errors)))
    return pages


class SharedKernel:
    """One kernel that runs page after page."""

    def __init__(self):
        self.client: NotebookClient | None = None

    async def start(self, page: Page, warm_up: str) -> None:
        """Start the kernel in the page's folder, as myst-nb's would (later pages chdir), and run `warm_up`."""
        # Stopped at once when the pages are done: every reply and output is in by then, and the graceful
        # shutdown waited most of a second per kernel, one kernel after the other.
        self.client = NotebookClient(page.notebook, kernel_name=page.kernel, record_timing=False,
                                     shutdown_kernel="immediate",
                                     resources={"metadata": {"path": str(page.path.parent)}})
        self.client.km = self.client.create_kernel_manager()
        await self.client.async_start_new_kernel()
        await self.client.async_start_new_kernel_client()
        if warm_up:
            await self._silently(warm_up, "the kernel's warm-up failed")

    async def _silently(self, code: str, failure: str) -> None:
        request = self.client.kc.execute(code, silent=True, store_history=False)
        reply = await self.client.async_wait_for_reply(request)
        if reply is None or reply["content"]["status"] != "ok":
            raise DeadKernelError(failure)

    async def run(self, page: Page, warm_up: str = "") -> None:
        if self.client is None or self.client.kc is None or self.client.kernel_name != page.kernel:
            await self.close()
            await self.start(page, warm_up)
        await self._silently(PAGE_SETUP.format(cwd=str(page.path.parent)), "the kernel could not be reset for the next page")
        client = self.client
        client.nb, client.timeout, client.allow_errors = page.notebook, page.timeout, page.allow_errors
        await client.async_execute(cleanup_kc=False)

    async def close(self) -> None:
        if self.client is not None and self.client.km is not None:
            await self.client._async_cleanup_kernel()
        self.client = None


async def _work(queue: asyncio.Queue, kernel: SharedKernel, done: list, warm_up: str) -> None:
    while not queue.empty():
        page = queue.get_nowait()
        start = time.perf_counter()
        try:
            await kernel.run(page, warm_up)
        except (CellExecutionError, CellTimeoutError) as error:
            logger.info(f"{page.path}: failed in a shared kernel ({type(error).__name__}); myst-nb runs it again")
            continue
        except (DeadKernelError, RuntimeError) as error:
            logger.info(f"{page.path}: the shared kernel failed ({error!r}); myst-nb runs it again")
            await kernel.close()  # the next page gets a fresh kernel
            continue
        done.append((page, time.perf_counter() - start))


async def _start(kernel: SharedKernel, page: Page, warm_up: str) -> None:
    try:
        await kernel.start(page, warm_up)
    except (DeadKernelError, RuntimeError) as error:
        logger.info(f"a shared kernel did not start ({error!r}); the first page it runs starts another")
        await kernel.close()


def execute_pages(env, docnames, prepare=None, warm_up: str = "") -> None:
    """Execute the notebooks among `docnames` that the cache lacks.

    If there are any, `prepare()` runs first in this process, while the kernels start and run
    `warm_up` (imports, say): the two take seconds each, and happen at the same time.
    """
    cache = get_cache(env.mystnb_config.execution_cache_path)
    pages = pages_to_execute(env, docnames, cache)
    if not pages:
        return
    # The longest pages first, so that no kernel is left with a long page at the end.
    pages.sort(key=lambda page: -sum(len(cell.source) for cell in page.notebook.cells if cell.cell_type == "code"))
    queue: asyncio.Queue = asyncio.Queue()
    for page in pages:
        queue.put_nowait(page)
    kernels = [SharedKernel() for _ in range(min(len(pages), _cores()))]
    done: list = []

    async def run_all():
        try:
            starting = [_start(kernel, page, warm_up) for kernel, page in zip(kernels, pages)]
            await asyncio.gather(asyncio.to_thread(prepare or (lambda: None)), *starting)
            await asyncio.gather(*(_work(queue, kernel, done, warm_up) for kernel in kernels))
        finally:
            await asyncio.gather(*(kernel.close() for kernel in kernels))

    asyncio.run(run_all())
    for page, seconds in done:
        cache.cache_notebook_bundle(CacheBundleIn(page.notebook, str(page.path),
                                                  data={"execution_seconds": seconds}),
                                    check_validity=False, overwrite=True)
        logger.info(f"{page.path}: Executed notebook in {seconds:.2f} seconds (shared kernel)")


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
