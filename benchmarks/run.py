"""Build benchmarks for the handbook: how long builds take, how much memory they use, how heavy the pages are.

Run with `make bench` (or `.venv/bin/python benchmarks/run.py --help`). Everything happens in scratch
copies of the project under a temporary folder, which is removed at the end (unless --keep): the
working tree and its _build/ are never touched. Results go to benchmarks/results.json and a summary
is printed. Nothing here asserts a timing: targets are checked and reported, never enforced.

See benchmarks/README.md for what each scenario means and for results from a run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
JUPYTER_BOOK = BIN / "jupyter-book"
# The stock book's environment: the same lock plus matplotlib, which its sample notebook plots with
# (`make bench` creates it; the handbook's .venv must hold the lock and nothing else).
PEER_VENV = ROOT / "_build" / ".bench-venv"
GNU_TIME = Path("/usr/bin/time")
# What a copy of the project leaves out: environments, outputs, and this folder (its scratch/ would recurse).
NOT_COPIED = {".venv", "_build", "node_modules", ".git", ".pytest_cache", "benchmarks", "__pycache__",
              "mutants"}  # mutants: make mutate's copy of the project
ANSI = re.compile(r"\x1b\[[0-9;]*m")
APPENDED_SENTENCE = "This sentence was appended by the build benchmark to measure a prose-only rebuild."
ADDED_LABEL = "Synth added"
# The targets of the build-speed issue, and the page weight of an earlier one.
TARGETS = {"cold_vs_floor": 2.5, "per_page_vs_peer": 0.5, "no_change_ratio": 0.05, "add_brief_ratio": 0.60,
           "scaling_200_vs_5": 2.5, "chapter_page_weight_bytes": 1.5 * 1024 * 1024}


# ---------------------------------------------------------------- copies of the project

def copy_project(source: Path, dest: Path) -> Path:
    """The sources only, as the brief's tar command copies them (plus no __pycache__)."""
    def ignore(folder, names):
        top = Path(folder) == source
        return [name for name in names if name == "__pycache__" or (top and name in NOT_COPIED)]

    shutil.copytree(source, dest, symlinks=True, ignore=ignore)
    # Installed packages, not sources: the build copies Vega from node_modules into every book.
    (dest / "node_modules").symlink_to(source / "node_modules")
    return dest


def save(work: Path, saved: Path) -> None:
    """Everything, _build/ included. copytree keeps file times (copy2), so Sphinx sees no change."""
    shutil.copytree(work, saved, symlinks=True)


def restore(saved: Path, work: Path) -> None:
    """Put a built project back at the same path: Sphinx's environment records absolute paths."""
    shutil.rmtree(work, ignore_errors=True)
    save(saved, work)


def build_env(project: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "HANDBOOK_ROOT"}
    # The venv has `handbook` installed editable from the working tree, which others may be editing while
    # we measure; putting the copy first on the path makes the build (and its kernels) use the snapshot.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project), env.get("PYTHONPATH")]))
    # Unbuffered output, so that the time at which each log line arrives marks when that phase happened.
    env["PYTHONUNBUFFERED"] = "1"
    return env


# ---------------------------------------------------------------- measuring one process tree

class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants.

    /usr/bin/time (and getrusage) report the largest single process; the Jupyter kernels run beside
    the Sphinx process, so the sum is what a small machine must actually hold. Shared pages are counted
    once per process, so this over-estimates a little.
    """

    def __init__(self, pid: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self.stopped = threading.Event()
        self.page_kb = os.sysconf("SC_PAGE_SIZE") // 1024

    def run(self):
        while not self.stopped.wait(self.interval):
            self.peak_kb = max(self.peak_kb, self._tree_rss_kb())

    def _tree_rss_kb(self) -> int:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
                pages = int(Path(f"/proc/{entry.name}/statm").read_text().split()[1])
            except (OSError, ValueError, IndexError):
                continue  # the process ended while we looked
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
            rss[int(entry.name)] = pages * self.page_kb
        total, stack = 0, [self.pid]
        while stack:
            pid = stack.pop()
            total += rss.get(pid, 0)
            stack.extend(children.get(pid, []))
        return total


# Fallback when /usr/bin/time is missing: a wrapper whose RUSAGE_CHILDREN covers exactly one build,
# written in /usr/bin/time's words so that one parser reads both.
RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(f'User time (seconds): {usage.ru_utime}\\n'\n"
    "                             f'System time (seconds): {usage.ru_stime}\\n'\n"
    "                             f'Maximum resident set size (kbytes): {usage.ru_maxrss}\\n')\n"
    "sys.exit(code)\n"
)


def measure(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> dict:
    """Run a command; return its wall time, peak memory and its output lines with arrival times."""
    log.parent.mkdir(parents=True, exist_ok=True)
    rss_file = log.with_suffix(".rss")
    if GNU_TIME.exists():
        wrapped = [str(GNU_TIME), "-v", "-o", str(rss_file), *command]
    else:
        wrapped = [sys.executable, "-c", RUSAGE_WRAPPER, str(rss_file), *command]
    lines = []
    start = time.perf_counter()
    process = subprocess.Popen(wrapped, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, errors="replace", bufsize=1)
    sampler = TreeSampler(process.pid)
    sampler.start()
    for line in process.stdout:
        lines.append((round(time.perf_counter() - start, 3), ANSI.sub("", line.rstrip("\n"))))
    returncode = process.wait()
    wall = time.perf_counter() - start
    sampler.stopped.set()
    sampler.join()
    log.write_text("".join(f"{t:9.3f} {text}\n" for t, text in lines), encoding="utf-8")
    return {"wall_s": round(wall, 3), **_rusage(rss_file),
            "tree_rss_peak_mb": round(sampler.peak_kb / 1024, 1), "returncode": returncode,
            "lines": lines, "log": str(log)}


def _rusage(rss_file: Path) -> dict:
    """Peak RSS of the largest process in the tree, and CPU seconds of the whole tree (user + system).

    CPU time is the steadier number on a shared machine: other people's load stretches wall time
    much more than it stretches the CPU time the build itself needs.
    """
    text = rss_file.read_text() if rss_file.exists() else ""
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    cpu = [float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text)]
    return {"peak_rss_mb": round(int(rss.group(1)) / 1024, 1) if rss else None,
            "cpu_s": round(sum(cpu), 2) if len(cpu) == 2 else None}


# ---------------------------------------------------------------- one build, and what its log says

def build(project: Path, builder: str, logs: Path, name: str, strict: bool = True,
          jupyter_book: Path = JUPYTER_BOOK) -> dict:
    """One `jupyter-book build`, as the Makefile runs it except for --quiet.

    --quiet would hide the "Executed notebook" lines this benchmark counts; writing the log to a pipe
    costs nothing measurable next to a build. `strict=False` (no --warningiserror) is for the book
    with execution off, whose glue references then warn.
    """
    command = [str(jupyter_book), "build", str(project), "--builder", builder] + (["--warningiserror"] * strict)
    load_before = os.getloadavg()[0]
    result = measure(command, project, build_env(project), logs / f"{name}.log")
    if result["returncode"] != 0:
        tail = "\n".join(text for _, text in result["lines"][-40:])
        raise SystemExit(f"build '{name}' failed (exit {result['returncode']}); log {result['log']}:\n{tail}")
    result.update(parse_log(result.pop("lines"), result["wall_s"], project))
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return result


def _first(lines, pattern: str) -> float | None:
    return next((t for t, text in lines if re.search(pattern, text)), None)


def parse_log(lines: list[tuple[float, str]], wall: float, project: Path) -> dict:
    """Which notebooks ran and for how long, and when each phase of the build began."""
    executed = {}
    for _, text in lines:
        match = re.match(r"(\S+): Executed notebook in ([\d.]+) seconds", text)
        if match:
            executed[Path(match.group(1)).relative_to(project).with_suffix("").as_posix()] = float(match.group(2))
    marks = {
        "environment": _first(lines, r"^updating environment"),
        "reading": _first(lines, r"^reading sources"),
        "read": _first(lines, r"^looking for now-outdated files"),
        "succeeded": _first(lines, r"^build succeeded"),
    }
    phases = {}
    if marks["environment"] is not None:
        # Before "updating environment": interpreter, Jupyter Book, Sphinx and extension start-up,
        # including handbook.sphinx_ext loading data/ and writing the chart library.
        phases["startup_s"] = marks["environment"]
    if marks["environment"] is not None and marks["read"] is not None:
        phases["read_and_execute_s"] = round(marks["read"] - marks["environment"], 3)
        if marks["reading"] is not None:
            # handbook.sphinx_ext executes the pages in shared kernels before Sphinx reads the first one.
            phases["execute_s"] = round(marks["reading"] - marks["environment"], 3)
            phases["read_s"] = round(marks["read"] - marks["reading"], 3)
    if marks["read"] is not None and marks["succeeded"] is not None:
        phases["write_s"] = round(marks["succeeded"] - marks["read"], 3)
    if marks["succeeded"] is not None:
        # After Sphinx: for pdflatex this is latexmk/xelatex on every document; for HTML, just the exit.
        phases["after_sphinx_s"] = round(wall - marks["succeeded"], 3)
    return {
        # One line per executed page, from the shared kernels or from myst-nb's own.
        "notebooks_executed": sum(bool(re.search(r": Executed notebook in ", text)) for _, text in lines),
        "executed": executed,
        "executed_total_s": round(sum(executed.values()), 2),
        "phases": phases,
        "xelatex_runs": sum(text.startswith("Running 'xelatex") for _, text in lines),
        "latex_documents": _latex_documents(lines, wall),
        # LaTeX's complaint when something is wider than the page: a proxy for unreadable print tables.
        "overfull_boxes": sum(text.startswith("Overfull \\") for _, text in lines),
    }


def _latex_documents(lines, wall: float) -> dict[str, dict]:
    """Seconds and xelatex passes per LaTeX document, from when latexmk announced each one."""
    documents = {}
    current = None
    for t, text in lines:
        match = re.match(r"Running 'xelatex .*\"([^\"]+)\.tex\"'", text)
        if text.startswith("Latexmk: This is Latexmk"):
            current = {"start": t, "passes": 0}
        elif match and current is not None:
            documents.setdefault(match.group(1), current)["passes"] += 1
    starts = sorted((doc["start"], name) for name, doc in documents.items())
    ends = [t for t, _ in starts[1:]] + [wall]
    return {name: {"seconds": round(end - t, 2), "passes": documents[name]["passes"]}
            for (t, name), end in zip(starts, ends)}


# ---------------------------------------------------------------- what the built site weighs

def site_sizes(html: Path) -> dict:
    pages = {p.relative_to(html).as_posix(): p.stat().st_size for p in sorted(html.rglob("*.html"))
             if not p.relative_to(html).parts[0].startswith("_")}
    static = [p for p in (html / "_static").rglob("*") if p.is_file()]
    library = sorted((html / "_static").glob("handbook-charts-*.js"))
    charts = sum(p.read_text(encoding="utf-8").count('class="vega-spec"') for p in html.rglob("*.html"))
    return {
        "pages": pages,
        "charts": charts,  # each one was also converted to PDF while the HTML was built
        "static_bytes": sum(p.stat().st_size for p in static),
        "static_files": len(static),
        "chart_library": {p.name: p.stat().st_size for p in library},
        "total_bytes": sum(p.stat().st_size for p in html.rglob("*") if p.is_file()),
    }


def page_weight(html: Path, page: str) -> dict:
    """The page plus every script, stylesheet, preload and image it loads, each file counted once.

    Fonts and images referenced from inside CSS are not followed: browsers fetch them only when used.
    """
    path = html / page
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    urls = [tag["src"] for tag in soup.find_all(["script", "img"], src=True)]
    urls += [tag["href"] for tag in soup.find_all("link", href=True)
             if {"stylesheet", "preload", "icon", "modulepreload"} & set(tag.get("rel", []))]
    files = {}
    for url in urls:
        if re.match(r"^[a-z]+:|^//", url):
            continue  # data: URIs are inline; an external URL would be a bug the HTML tests catch
        target = (path.parent / url.split("?")[0].split("#")[0]).resolve()
        if target.is_file():
            files[target.relative_to(html.resolve()).as_posix()] = target.stat().st_size
    html_bytes = path.stat().st_size
    gzipped = len(gzip.compress(path.read_bytes())) + sum(
        len(gzip.compress((html / name).read_bytes())) for name in files)
    by_kind = {"html": html_bytes}
    for name, size in files.items():
        kind = "chart_library" if "handbook-charts-" in name else Path(name).suffix.lstrip(".") or "other"
        by_kind[kind] = by_kind.get(kind, 0) + size
    return {"bytes": html_bytes + sum(files.values()), "gzip_bytes": gzipped, "by_kind": by_kind,
            "files": len(files) + 1, "largest": sorted(files.items(), key=lambda item: -item[1])[:5]}


def readability(html: Path, chapter: str) -> dict:
    """Numbers that tell whether a chapter's position map and charts still fit on a screen."""
    soup = BeautifulSoup((html / f"chapters/{chapter}.html").read_text(encoding="utf-8"), "html.parser")
    tables = {}
    for table in soup.select("table.handbook-table"):
        tables[_caption(table.caption)] = {"columns": len(table.select("thead th")),
                                           "rows": len(table.select("tbody tr"))}
    charts = {}
    for script in soup.select("script.vega-spec"):
        spec = json.loads(script.string)
        figure = script.find_parent("figure")
        charts[_caption(figure.figcaption if figure else None)] = {
            "width": spec.get("width"), "height": spec.get("height"), "spec_bytes": len(script.string)}
    colours = re.findall(r"--brief-colour: (#[0-9A-Fa-f]+)", (html / "_static/handbook-briefs.css").read_text())
    return {"tables": tables, "charts": charts, "briefs": len(colours), "distinct_brief_colours": len(set(colours))}


def _caption(element) -> str:
    """A caption without its number ("Table 16") and permalink sign, shortened: a key that stays stable."""
    text = element.get_text(" ", strip=True) if element else "?"
    return re.sub(r"^(Table|Fig\.) [\d.]+ |\s*#$", "", text)[:60]


# ---------------------------------------------------------------- changing the project

def notebook_pages(project: Path) -> list[str]:
    """Pages with code cells that import handbook: the ones whose output depends on data/ (and is computed)."""
    found = []
    for path in sorted(project.rglob("*.md")):
        relative = path.relative_to(project)
        if relative.parts[0] in NOT_COPIED or relative.parts[0] in {"data", "tests"}:
            continue
        text = path.read_text(encoding="utf-8")
        if "{code-cell}" in text and "handbook" in text:
            found.append(relative.with_suffix("").as_posix())
    return found


def passages_of(path: Path) -> list[str]:
    """The paragraphs and list items of one brief, footnote markers dropped (their notes are not copied)."""
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    passages = []
    for block in re.split(r"\n\s*\n", body):
        if not block.strip() or block.lstrip().startswith(("[^", "#")):
            continue  # footnote texts and headings are not passages
        block = re.sub(r"\[\^[^\]]+\]", "", block).strip()
        items = re.split(r"\n(?=- )", block) if block.startswith("- ") else [block]
        passages += [item.strip() for item in items if len(item) > 60]
    return passages


def passage_pool(briefs: Path) -> list[str]:
    """Every passage of every real brief, to resample from."""
    return [passage for path in sorted(briefs.glob("*.md")) for passage in passages_of(path)]


def synthetic_brief(rng: random.Random, pool: list[str], brief_id: str, label: str, passages: int) -> str:
    """A valid brief made of real passages in a new order: realistic text, so tagging finds themes as usual.

    Each passage ends with a note of its own (no theme's term), so that no two passages of the corpus
    are the same text: work kept per text (a passage's terms, its tokens) is then paid for every passage,
    as in a corpus of real briefs, rather than once for each of the real passages resampled."""
    year, month = rng.randint(2015, 2025), rng.randint(1, 12)
    front = "\n".join([
        "---", f"id: {brief_id}", f'short: "{label}"',
        f'title: "{label}: a synthetic brief for the build benchmark"', 'authors: ["Benchmark Generator"]',
        f'institution: "Synthetic Institute {label}"', f'date: "{year}-{month:02d}"',
        f"perspective: {rng.choice(['Pakistani', 'American'])}", 'kind: "Synthetic policy brief"',
        "added: 2026-12-01", "---", "",
    ])
    chosen = rng.sample(pool, min(passages, len(pool)))
    body = "\n\n".join(f"{text} (Benchmark copy {number} in {brief_id}.)" for number, text in enumerate(chosen, 1))
    return front + "\n## Summary\n\n" + body + "\n"


def add_synthetic_briefs(project: Path, total: int, seed: int = 2026) -> int:
    """Grow data/briefs/ to `total` briefs, keeping the real ones; each new one as long as a real one."""
    briefs = project / "data" / "briefs"
    real = sorted(briefs.glob("*.md"))
    pool = passage_pool(briefs)
    lengths = [len(passages_of(path)) for path in real]
    rng = random.Random(seed)
    for number in range(1, total - len(real) + 1):
        text = synthetic_brief(rng, pool, f"synth-{number:02d}", f"Synth {number:02d}", rng.choice(lengths))
        (briefs / f"synth-{number:02d}.md").write_text(text, encoding="utf-8")
    return len(list(briefs.glob("*.md")))


# ---------------------------------------------------------------- the scenarios

def scenario_cold(work: Path, runs: int, logs: Path) -> list[dict]:
    results = []
    for run in range(runs):
        shutil.rmtree(work / "_build", ignore_errors=True)
        results.append(build(work, "html", logs, f"cold-{run + 1}"))
    return results


def make_peer(folder: Path, jupyter_book: Path) -> Path:
    """The stock book every Jupyter Book starts from: `jupyter-book create`, from the pinned Jupyter Book."""
    subprocess.run([str(jupyter_book), "create", str(folder)], check=True, capture_output=True)
    return folder


def execution_off(base: Path, folder: Path) -> Path:
    """The same book with execution off: what Sphinx, the theme and our extension cost without any kernel."""
    project = copy_project(base, folder)
    config = project / "_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"execute_notebooks: \w+", 'execute_notebooks: "off"', text), encoding="utf-8")
    return project


def kernel_floor() -> dict:
    """One kernel start with the imports every executed page needs (the floor's second part)."""
    probe = subprocess.run([sys.executable, "-c", KERNEL_PROBE], cwd=ROOT, env=build_env(ROOT),
                           check=True, capture_output=True, text=True)
    return json.loads(probe.stdout.strip().splitlines()[-1])


def scenario_cold_paired(work: Path, peer: Path, off: Path, runs: int, logs: Path, peer_jupyter_book: Path) -> dict:
    """Cold builds of ours, the stock book and ours with execution off, in turn, run after run.

    Taking them in turn, and the ratios pair by pair, keeps the comparison fair when other people's
    load on the machine comes and goes during the benchmark.
    """
    ours, stock, floor, kernels, stock_again = [], [], [], [], []
    for run in range(runs):
        for project, results, name, strict, tool in ((work, ours, "cold", True, JUPYTER_BOOK),
                                                      (peer, stock, "peer", True, peer_jupyter_book),
                                                      (off, floor, "execution-off", False, JUPYTER_BOOK)):
            shutil.rmtree(project / "_build", ignore_errors=True)
            results.append(build(project, "html", logs, f"{name}-{run + 1}", strict=strict, jupyter_book=tool))
        # What any Jupyter Book's rebuild with nothing changed costs: start-up and exit alone.
        stock_again.append(build(peer, "html", logs, f"peer-no-change-{run + 1}", jupyter_book=peer_jupyter_book))
        kernels.append(kernel_floor())
    return {"ours": ours, "peer": stock, "execution_off": floor, "kernel": kernels, "peer_no_change": stock_again}


def scenario_fresh_clone(base: Path, scratch: Path, logs: Path) -> dict:
    """`make book` in a fresh copy of the sources, set-up excluded: the venv and node_modules exist already.

    `make -o` treats the install stamps as up to date, so make runs exactly what it runs for a
    maintainer whose set-up is done: check, HTML, then the PDF editions.
    """
    project = copy_project(base, scratch / "fresh-clone")
    (project / ".venv").symlink_to(ROOT / ".venv")
    make = ["make", "-o", ".venv/bin/.installed", "-o", "node_modules/.installed"]
    result = {}
    for target in ("html", "pdf"):
        run = measure([*make, target], project, build_env(project), logs / f"fresh-clone-{target}.log")
        if run["returncode"] != 0:
            raise SystemExit(f"make {target} in a fresh copy failed; log {run['log']}")
        run.pop("lines")
        result[target] = run
    result["book_wall_s"] = round(result["html"]["wall_s"] + result["pdf"]["wall_s"], 3)
    result["pdf_share"] = round(result["pdf"]["wall_s"] / result["book_wall_s"], 3)
    # What a maintainer waits for when nothing changed: make finds both editions current and builds nothing.
    again = measure([*make, "book"], project, build_env(project), logs / "fresh-clone-book-again.log")
    said = [text for _, text in again.pop("lines")]
    if again["returncode"] != 0 or sum("is up to date" in line for line in said) != 2:
        raise SystemExit(f"make book again, nothing changed, did not find both editions up to date; log {again['log']}")
    result["book_again"] = again
    return result


def scenario_no_change(saved: Path, work: Path, runs: int, logs: Path) -> list[dict]:
    results = []
    for run in range(runs):
        restore(saved, work)
        results.append(build(work, "html", logs, f"no-change-{run + 1}"))
    return results


def brief_labels(project: Path) -> list[str]:
    """The labels the book cites the project's briefs by, as the snapshot's own code derives them."""
    probe = ("import json, sys; from pathlib import Path; from handbook.briefs import load_briefs; "
             "print(json.dumps([brief.label for brief in load_briefs(Path(sys.argv[1]))]))")
    result = subprocess.run([sys.executable, "-c", probe, str(project / "data" / "briefs")], cwd=project,
                            env=build_env(project), capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def pages_listing_every_brief(project: Path, pages: list[str]) -> list[str]:
    """The built pages with computed output that name every brief: those must name an added one too.

    A page that names none or some of the briefs (a background page with no brief-dated chart) cannot
    go stale by leaving a new brief out, and a page without code (the teachers' notes, whose prose
    names the briefs) shows no data.
    """
    labels = brief_labels(project)
    html = project / "_build" / "html"
    return [f"{page}.html" for page in pages
            if all(label in (html / f"{page}.html").read_text(encoding="utf-8") for label in labels)]


def scenario_add_brief(saved: Path, work: Path, runs: int, logs: Path) -> list[dict]:
    """Add one brief to the built book: every data-dependent page must be redone, and show it."""
    results = []
    pool = passage_pool(work / "data" / "briefs")
    listing = pages_listing_every_brief(saved, notebook_pages(saved))
    for run in range(runs):
        restore(saved, work)
        text = synthetic_brief(random.Random(run), pool, "synth-added", ADDED_LABEL, 40)
        (work / "data" / "briefs" / "synth-added.md").write_text(text, encoding="utf-8")
        result = build(work, "html", logs, f"add-brief-{run + 1}")
        html = work / "_build" / "html"
        result["pages_listing_every_brief"] = listing
        result["pages_missing_new_brief"] = [
            page for page in listing if ADDED_LABEL not in (html / page).read_text(encoding="utf-8")]
        results.append(result)
    return results


def scenario_edit_chapter(saved: Path, work: Path, runs: int, logs: Path, chapter: str = "china") -> list[dict]:
    """Prose-only change: only that chapter should be re-read and re-executed."""
    results = []
    for run in range(runs):
        restore(saved, work)
        with (work / "chapters" / f"{chapter}.md").open("a", encoding="utf-8") as file:
            file.write(f"\n{APPENDED_SENTENCE}\n")
        result = build(work, "html", logs, f"edit-chapter-{run + 1}")
        page = (work / "_build" / "html" / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
        result["edit_visible"] = APPENDED_SENTENCE in page
        results.append(result)
    return results


def scenario_pdf(saved: Path, work: Path, runs: int, logs: Path) -> list[dict]:
    """PDF after HTML, as `make book` does it: the same environment, then LaTeX for the book and handouts."""
    results = []
    for run in range(runs):
        restore(saved, work)
        result = build(work, "pdflatex", logs, f"pdf-{run + 1}")
        result["pdf_bytes"] = {p.name: p.stat().st_size for p in sorted((work / "_build" / "latex").glob("*.pdf"))
                               if p.name == "handbook.pdf" or p.name.startswith("handout-")}
        results.append(result)
    return results


def scenario_scaling(base: Path, scratch: Path, sizes: list[int], args, logs: Path) -> dict:
    """Cold builds of bigger synthetic corpora, then the PDF; page weight and readability at each size."""
    results = {}
    for size in sizes:
        project = copy_project(base, scratch / f"corpus-{size}")
        actual = add_synthetic_briefs(project, size)
        entry = {"cold_html": summarise(scenario_cold(project, args.scaling_runs, logs / f"scaling-{size}"))}
        entry.update(built_book(project), chapter_profile=chapter_profile(project))
        if args.scaling_pdf:
            entry["pdf"] = build(project, "pdflatex", logs / f"scaling-{size}", "pdf")
        results[str(actual)] = entry
        if not args.keep:
            shutil.rmtree(project)  # a built corpus of 50 briefs takes tens of MB
    return results


def built_book(project: Path) -> dict:
    """Sizes, chapter page weights and readability numbers of a built project."""
    html = project / "_build" / "html"
    chapters = [p.stem for p in sorted((project / "chapters").glob("*.md"))]
    return {
        "sizes": site_sizes(html),
        "page_weight": {c: page_weight(html, f"chapters/{c}.html") for c in chapters},
        "readability": {c: readability(html, c) for c in chapters},
    }


# ---------------------------------------------------------------- where the time goes, outside a build

def time_command(command: list[str], cwd: Path, runs: int) -> dict:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=build_env(cwd), check=True, capture_output=True)
        walls.append(round(time.perf_counter() - start, 3))
    return {"runs_s": walls, "median_s": round(statistics.median(walls), 3)}


def import_profile(project: Path) -> dict:
    """Top packages by cumulative import time (-X importtime), for the imports every kernel pays."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", "import handbook, altair, pandas, vl_convert"],
                            cwd=project, env=build_env(project), check=True, capture_output=True, text=True)
    roots = {}
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and "." not in match.group(3):
            name = match.group(3)
            roots[name] = max(roots.get(name, 0), int(match.group(1)))
    top = sorted(roots.items(), key=lambda item: -item[1])[:10]
    return {name: round(us / 1e6, 3) for name, us in top}


KERNEL_PROBE = """
import json, time
from jupyter_client.manager import start_new_kernel
start = time.perf_counter()
manager, client = start_new_kernel(kernel_name="python3")
ready = time.perf_counter()
client.execute_interactive("import handbook, altair, pandas, vl_convert", timeout=300)
imported = time.perf_counter()
client.stop_channels()
manager.shutdown_kernel(now=True)
print(json.dumps({"kernel_ready_s": round(ready - start, 3), "imports_in_kernel_s": round(imported - ready, 3)}))
"""

# One chapter's cells in one process, each timed; PDF conversion timed apart because HTML builds never show it.
CHAPTER_PROBE = """
import json, time
clock = time.perf_counter
start = clock()
import handbook, altair, pandas, vl_convert
from handbook import chapter
out = {"imports_s": clock() - start}
from pathlib import Path
from handbook.corpus import cached_corpus, load_corpus
root = Path.cwd().parent
start = clock(); load_corpus(root).passages; out["load_corpus_and_tag_s"] = clock() - start
cached_corpus(root)
start = clock(); cached_corpus(root); out["cached_corpus_s"] = clock() - start
china = chapter("china")
for name in ["coverage_table", "coverage_chart", "position_table", "position_chart"]:
    start = clock(); getattr(china, name)(); out[name + "_s"] = clock() - start
start = clock()
for question in china.corpus.questions_for("china"):
    china.compare(question.id)
out["comparisons_s"] = clock() - start
from handbook import charts
spec = charts.position_chart(china.corpus, "china").chart.to_dict()
start = clock(); vl_convert.vegalite_to_pdf(spec); out["one_chart_to_pdf_s"] = clock() - start
start = clock(); vl_convert.vegalite_to_svg(spec); out["one_chart_to_svg_s"] = clock() - start
print(json.dumps({key: round(value, 3) for key, value in out.items()}))
"""


def chapter_profile(project: Path) -> dict:
    """Seconds each part of the China chapter's cells takes when run in one warm-ish process."""
    result = subprocess.run([sys.executable, "-c", CHAPTER_PROBE], cwd=project / "chapters",
                            env=build_env(project), check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# The fonts of _config.yml's latex_elements: loading them is part of every xelatex pass.
MINIMAL_TEX = r"""\documentclass{article}
\usepackage{fontspec}
\setmainfont{FreeSerif}[Ligatures=TeX]\setsansfont{FreeSans}[Ligatures=TeX]\setmonofont{FreeMono}
\begin{document}One line.\end{document}
"""


def xelatex_floor(runs: int) -> dict | None:
    """One xelatex pass over a one-line document with the book's fonts: the fixed cost of every pass."""
    if not shutil.which("xelatex"):
        return None
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "minimal.tex").write_text(MINIMAL_TEX, encoding="utf-8")
        return time_command(["xelatex", "-interaction=batchmode", "minimal.tex"], Path(folder), runs)


def outside_build(project: Path, runs: int) -> dict:
    probe = subprocess.run([sys.executable, "-c", KERNEL_PROBE], cwd=project / "chapters", env=build_env(project),
                           check=True, capture_output=True, text=True)
    return {
        "xelatex_minimal_pass": xelatex_floor(runs),
        "python_startup": time_command([sys.executable, "-c", "pass"], project, runs),
        "imports": time_command([sys.executable, "-c", "import handbook, altair, pandas, vl_convert"], project, runs),
        "import_profile_s": import_profile(project),
        "kernel": json.loads(probe.stdout.strip().splitlines()[-1]),
        "chapter_profile": chapter_profile(project),
    }


# ---------------------------------------------------------------- the machine

def peer_packages(venv: Path) -> dict:
    """What the stock book's environment adds to the lock."""
    probe = "import json; from importlib import metadata; print(json.dumps({'matplotlib': metadata.version('matplotlib')}))"
    result = subprocess.run([str(venv / "bin" / "python"), "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    tex = shutil.which("xelatex")
    versions = {}
    for package in ["jupyter-book", "sphinx", "myst-nb", "pandas", "altair", "vl-convert-python", "ipykernel"]:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gb": round(int(memory.group(1)) / 1024 / 1024, 1) if memory else None,
        "cpu_model": model.group(1).strip() if model else platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "xelatex": subprocess.run([tex, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        if tex else None,
        "packages": versions,
        "gnu_time": GNU_TIME.exists(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# ---------------------------------------------------------------- summary

def median(results: list[dict], key: str):
    values = [r[key] for r in results if r.get(key) is not None]
    return round(statistics.median(values), 3) if values else None


def summarise(builds: list[dict]) -> dict:
    phases = {}
    for name in {key for r in builds for key in r["phases"]}:
        phases[name] = round(statistics.median(r["phases"][name] for r in builds if name in r["phases"]), 2)
    per_notebook = {}
    for doc in {doc for r in builds for doc in r["executed"]}:
        per_notebook[doc] = round(statistics.median(r["executed"][doc] for r in builds if doc in r["executed"]), 2)
    return {"runs": builds, "median_wall_s": median(builds, "wall_s"), "runs_wall_s": [r["wall_s"] for r in builds],
            "median_peak_rss_mb": median(builds, "peak_rss_mb"), "median_cpu_s": median(builds, "cpu_s"),
            "median_tree_rss_peak_mb": median(builds, "tree_rss_peak_mb"),
            "median_phases_s": phases, "median_executed_s": dict(sorted(per_notebook.items())),
            "median_executed_total_s": median(builds, "executed_total_s"),
            "notebooks_executed": [r["notebooks_executed"] for r in builds]}


def floor_s(results: dict) -> tuple[float, float]:
    """The floor: the book built with execution off, plus one kernel start with our imports (medians)."""
    off = results["scenarios"]["execution_off_cold_html"]["median_wall_s"]
    kernel = statistics.median(k["kernel_ready_s"] + k["imports_in_kernel_s"] for k in results["kernel_floor"])
    return off, round(kernel, 3)


def peer_ratios(results: dict) -> list[float]:
    """Pair by pair: our seconds per page with computed output over the stock book's."""
    ours = results["scenarios"]["cold_html"]["runs"]
    peer = results["scenarios"]["peer_cold_html"]["runs"]
    pages = len(results["notebook_pages"])
    return [round((a["wall_s"] / pages) / (b["wall_s"] / max(b["notebooks_executed"], 1)), 3)
            for a, b in zip(ours, peer)]


def round_ratios(results: dict, scenario: str, key: str = "wall_s") -> list[float]:
    """A scenario's time over the cold build of the same round, round by round."""
    cold = results["scenarios"]["cold_html"]["runs"]
    return [round(a[key] / b[key], 3) for a, b in zip(results["scenarios"][scenario]["runs"], cold)]


def no_change_target(results: dict) -> dict:
    """Judged on `make book`, which is how the book is built; `jupyter-book build` itself is reported beside it."""
    scenarios = results["scenarios"]
    target = {"jupyter_book_no_change_s": scenarios["no_change"]["median_wall_s"],
              "stock_book_no_change_s": scenarios["peer_no_change"]["median_wall_s"],
              "jupyter_book_ratios_by_round": round_ratios(results, "no_change"),
              "jupyter_book_cpu_ratios_by_round": round_ratios(results, "no_change", "cpu_s")}
    fresh = results.get("fresh_clone_make_book")
    if not fresh:
        ratio = statistics.median(target["jupyter_book_ratios_by_round"])
        return {**target, "median_ratio": ratio, "met": ratio <= TARGETS["no_change_ratio"]}
    ratio = round(fresh["book_again"]["wall_s"] / scenarios["cold_html"]["median_wall_s"], 3)
    return {**target, "make_book_nothing_changed_s": fresh["book_again"]["wall_s"], "make_book_ratio": ratio,
            "met": ratio <= TARGETS["no_change_ratio"]}


def check_targets(results: dict) -> dict:
    scenarios = results["scenarios"]
    cold = scenarios["cold_html"]["median_wall_s"]
    add, edit = scenarios["add_brief"], scenarios["edit_chapter_prose"]
    expected = results["notebook_pages"]
    weights = results["book"]["page_weight"]
    off, kernel = floor_s(results)
    ratios = peer_ratios(results)
    floors = [round(a["wall_s"] / (b["wall_s"] + k["kernel_ready_s"] + k["imports_in_kernel_s"]), 2)
              for a, b, k in zip(scenarios["cold_html"]["runs"], scenarios["execution_off_cold_html"]["runs"],
                                 results["kernel_floor"])]
    targets = {
        "cold_html_within_2_5x_floor": {
            "cold_s": cold, "execution_off_s": off, "kernel_and_imports_s": kernel, "ratios_by_round": floors,
            "median_ratio": statistics.median(floors), "met": statistics.median(floors) <= TARGETS["cold_vs_floor"]},
        "seconds_per_page_at_most_half_the_stock_book": {
            "ours_pages": len(expected), "peer_pages": results["peer_pages_executed"],
            "ratios_pair_by_pair": ratios, "median_ratio": statistics.median(ratios),
            "met": statistics.median(ratios) <= TARGETS["per_page_vs_peer"]},
        "no_change_at_most_5pct_of_cold": no_change_target(results),
        "add_brief_at_most_60pct_of_cold": {
            "ratios_by_round": round_ratios(results, "add_brief"),
            "cpu_ratios_by_round": round_ratios(results, "add_brief", "cpu_s"),
            "median_ratio": statistics.median(round_ratios(results, "add_brief")),
            "met": statistics.median(round_ratios(results, "add_brief")) <= TARGETS["add_brief_ratio"]},
        "add_brief_reexecutes_only_data_pages": {
            "executed": add["notebooks_executed"], "data_dependent_pages": len(expected),
            "met": all(n <= len(expected) for n in add["notebooks_executed"])},
        "add_brief_never_stale": {
            "pages_checked": add["runs"][0]["pages_listing_every_brief"],
            "pages_missing_new_brief": sorted({p for r in add["runs"] for p in r["pages_missing_new_brief"]}),
            "met": bool(add["runs"][0]["pages_listing_every_brief"])
                   and not any(r["pages_missing_new_brief"] for r in add["runs"])},
        "prose_edit_reexecutes_at_most_its_chapter": {
            "executed": [sorted(r["executed"]) for r in edit["runs"]],
            "met": all(set(r["executed"]) <= {"chapters/china"} and r["edit_visible"] for r in edit["runs"])},
        "chapter_page_weight_at_most_1_5_mb": {
            "bytes": {c: w["bytes"] for c, w in weights.items()},
            "met": all(w["bytes"] <= TARGETS["chapter_page_weight_bytes"] for w in weights.values())},
    }
    scaling = results.get("scaling") or {}
    smallest = min(scaling, key=int, default=None)
    if "200" in scaling and smallest:
        big, small = scaling["200"]["cold_html"]["median_wall_s"], scaling[smallest]["cold_html"]["median_wall_s"]
        targets["cold_200_briefs_within_2_5x_5_briefs"] = {
            "briefs": [int(smallest), 200], "cold_s": [small, big], "ratio": round(big / small, 2),
            "met": big <= TARGETS["scaling_200_vs_5"] * small}
    fresh = results.get("fresh_clone_make_book")
    if fresh:
        targets["make_book_from_a_fresh_clone_reported"] = {
            "html_s": fresh["html"]["wall_s"], "pdf_s": fresh["pdf"]["wall_s"], "book_s": fresh["book_wall_s"],
            "pdf_share": fresh["pdf_share"], "met": True}
    return targets


def print_summary(results: dict) -> None:
    mb = 1024 * 1024
    print("\n| scenario | median wall (s) | runs (s) | median CPU, user+sys (s) | peak RSS, largest process (MB) "
          "| peak RSS, process tree (MB) | notebooks executed |")
    print("|---|---|---|---|---|---|---|")
    for name, data in results["scenarios"].items():
        print(f"| {name} | {data['median_wall_s']} | {', '.join(map(str, data['runs_wall_s']))} "
              f"| {data['median_cpu_s']} | {data['median_peak_rss_mb']} | {data['median_tree_rss_peak_mb']} "
              f"| {', '.join(map(str, data['notebooks_executed']))} |")
    off, kernel = floor_s(results)
    print(f"\nFloor: execution off {off} s + one kernel start with our imports {kernel} s = {off + kernel:.2f} s.")
    pages = len(results["notebook_pages"])
    print(f"Stock book (jupyter-book create): {results['peer_pages_executed']} pages executed; ours {pages}. "
          f"Seconds per page, ours / stock, pair by pair: {peer_ratios(results)}.")
    fresh = results.get("fresh_clone_make_book")
    if fresh:
        print(f"make book in a fresh copy (set-up excluded): {fresh['book_wall_s']} s = HTML {fresh['html']['wall_s']} s "
              f"+ PDF {fresh['pdf']['wall_s']} s (PDF {fresh['pdf_share']:.0%}); again with nothing changed "
              f"{fresh['book_again']['wall_s']} s.")
    print("\nChapter page weight (HTML + what it loads), MB:",
          {c: round(w["bytes"] / mb, 2) for c, w in results["book"]["page_weight"].items()})
    if results.get("scaling"):
        print_scaling(results["scaling"])
    print_where_time_goes(results)
    print("\nTargets:")
    for name, target in results["targets"].items():
        print(f"  {'met    ' if target['met'] else 'NOT MET'} {name}: "
              + json.dumps({k: v for k, v in target.items() if k != 'met'}))


def print_scaling(scaling: dict) -> None:
    mb, kb = 1024 * 1024, 1024
    print("\n| briefs | cold HTML (s) | start-up (s) | executing (s) | reading (s) | writing (s) | PDF after HTML (s) "
          "| chapter page weight, max (MB) | chapter HTML, max (KB) | sources.html (KB) | explorer.html (KB) "
          "| position map columns | brief colours |")
    print("|" + "---|" * 13)
    for size, data in sorted(scaling.items(), key=lambda item: int(item[0])):
        pages, pdf, looks = data["sizes"]["pages"], data.get("pdf") or {}, data["readability"].values()
        phases = data["cold_html"]["median_phases_s"]
        columns = max(t["columns"] for r in looks for name, t in r["tables"].items() if name.startswith("Position map"))
        colours = min(r["distinct_brief_colours"] for r in looks)
        chapter_html = max(length for name, length in pages.items() if name.startswith("chapters/"))
        print(f"| {size} | {data['cold_html']['median_wall_s']} | {phases.get('startup_s', '-')} "
              f"| {phases.get('execute_s', '-')} | {phases.get('read_s', '-')} | {phases.get('write_s', '-')} "
              f"| {pdf.get('wall_s', '-')} | {max(w['bytes'] for w in data['page_weight'].values()) / mb:.2f} "
              f"| {chapter_html // kb} | {pages['sources.html'] // kb} | {pages['explorer.html'] // kb} | {columns} "
              f"| {colours} |")


def print_where_time_goes(results: dict) -> None:
    cold = results["scenarios"]["cold_html"]
    phases, outside = cold["median_phases_s"], results["outside_build"]
    print(f"\nWhere the cold HTML build's {cold['median_wall_s']} s go (medians): "
          f"start-up {phases.get('startup_s')} s, executing {len(cold['median_executed_s'])} pages in shared "
          f"kernels {phases.get('execute_s')} s, reading {phases.get('read_s')} s, writing {phases.get('write_s')} s, "
          f"exit {phases.get('after_sphinx_s')} s.")
    kernel, profile = outside["kernel"], outside["chapter_profile"]
    print(f"Each shared kernel pays once: start {kernel['kernel_ready_s']} s + imports {kernel['imports_in_kernel_s']} s; "
          f"loading and tagging data/ {profile['load_corpus_and_tag_s']} s is paid once per build, "
          f"reading its pickle {profile.get('cached_corpus_s')} s per page.")
    pdf = results["scenarios"].get("pdf_after_html")
    if pdf:
        documents = sorted(pdf["runs"], key=lambda run: run["wall_s"])[len(pdf["runs"]) // 2]["latex_documents"]
        latex = pdf["median_phases_s"].get("after_sphinx_s")
        difference = pdf["median_wall_s"] - results["scenarios"]["no_change"]["median_wall_s"]
        print(f"PDF after HTML {pdf['median_wall_s']} s, of which LaTeX {latex} s "
              f"(PDF minus no-change HTML: {difference:.1f} s; it now includes drawing "
              f"{results['book']['sizes']['charts']} charts as PDF, ~{profile['one_chart_to_pdf_s']} s each); "
              "per document (median run): "
              + ", ".join(f"{name} {d['seconds']} s/{d['passes']} passes" for name, d in documents.items()))


# ---------------------------------------------------------------- main

def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per main scenario; the median is reported")
    parser.add_argument("--scaling", default="50,200",
                        help="corpus sizes (briefs) for the scaling builds, comma-separated; '' to skip. "
                             "The real corpus is always measured by the main scenarios")
    parser.add_argument("--scaling-runs", type=int, default=1, help="cold builds per scaling size")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF scenarios (PDF after HTML, make book)")
    parser.add_argument("--scaling-pdf", action="store_true", help="also build the PDF at each scaling size")
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "results.json")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (its path is printed)")
    parser.add_argument("--peer-venv", type=Path, default=PEER_VENV,
                        help="the environment the stock book is built with: the lock plus benchmarks/requirements.txt")
    args = parser.parse_args(argv)
    if not (args.peer_venv / "bin" / "jupyter-book").exists():
        parser.error(f"{args.peer_venv} has no jupyter-book: `make bench` creates it")

    scratch = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    started = time.perf_counter()
    print(f"scratch: {scratch}", flush=True)
    try:
        results = run_all(args, scratch)
    finally:
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    results["total_runtime_s"] = round(time.perf_counter() - started, 1)
    args.output.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print_summary(results)
    print(f"\nraw results: {args.output}; total runtime {results['total_runtime_s']} s")


def run_all(args, scratch: Path) -> dict:
    logs = scratch / "logs"
    logs.mkdir()
    # One snapshot of the working tree, taken once: every scenario starts from the same sources.
    base = copy_project(ROOT, scratch / "source")
    work, saved = scratch / "book", scratch / "built"
    copy_project(base, work)
    results = {"machine": {**machine(), "peer_venv": str(args.peer_venv), "peer_packages": peer_packages(args.peer_venv)},
               "runs": args.runs, "notebook_pages": notebook_pages(base), "scenarios": {}}

    def step(name: str, builds: list[dict]) -> None:
        results["scenarios"][name] = summarise(builds)
        print(f"{name}: median {results['scenarios'][name]['median_wall_s']} s "
              f"(runs {results['scenarios'][name]['runs_wall_s']})", flush=True)

    peer_jupyter_book = args.peer_venv.resolve() / "bin" / "jupyter-book"
    peer = make_peer(scratch / "peer", peer_jupyter_book)
    off = execution_off(base, scratch / "execution-off")
    # Round after round, every scenario once: ratios are taken within a round, so that other people's
    # load, which comes and goes over a benchmark of many minutes, weighs on both sides of each ratio.
    rounds: dict[str, list] = {}
    for number in range(args.runs):
        round_logs = logs / f"round-{number + 1}"
        if number:
            restore(saved, work)  # the pristine sources again (the last round edited them)
        paired = scenario_cold_paired(work, peer, off, 1, round_logs, peer_jupyter_book)
        if not number:
            save(work, saved)  # the built book every later scenario starts from
            results["book"] = built_book(saved)
        paired["no_change"] = scenario_no_change(saved, work, 1, round_logs)
        paired["add_brief"] = scenario_add_brief(saved, work, 1, round_logs)
        paired["edit_chapter_prose"] = scenario_edit_chapter(saved, work, 1, round_logs)
        for name, builds in paired.items():
            rounds.setdefault(name, []).extend(builds)
        print(f"round {number + 1}: " + ", ".join(f"{name} {builds[0]['wall_s']} s" for name, builds in paired.items()
                                                if name != "kernel"), flush=True)
    results["kernel_floor"] = rounds.pop("kernel")
    for name, key in (("ours", "cold_html"), ("peer", "peer_cold_html"), ("execution_off", "execution_off_cold_html"),
                      ("peer_no_change", "peer_no_change"), ("no_change", "no_change"), ("add_brief", "add_brief"),
                      ("edit_chapter_prose", "edit_chapter_prose")):
        step(key, rounds[name])
    results["peer_pages_executed"] = [r["notebooks_executed"] for r in rounds["peer"]]
    if not args.no_pdf:
        step("pdf_after_html", scenario_pdf(saved, work, args.runs, logs))
        results["fresh_clone_make_book"] = scenario_fresh_clone(base, scratch, logs)
    results["outside_build"] = outside_build(base, args.runs)
    sizes = [int(size) for size in args.scaling.split(",") if size.strip()]
    if sizes:
        # The real corpus is the first point of the curve; its numbers come from the main scenarios.
        pdf = results["scenarios"].get("pdf_after_html")
        results["scaling"] = {str(len(list((base / "data" / "briefs").glob("*.md")))): {
            "cold_html": results["scenarios"]["cold_html"], **results["book"],
            "chapter_profile": results["outside_build"]["chapter_profile"],
            "pdf": sorted(pdf["runs"], key=lambda run: run["wall_s"])[len(pdf["runs"]) // 2] if pdf else None}}
        results["scaling"].update(scenario_scaling(base, scratch, sizes, args, logs))
    results["targets"] = check_targets(results)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


if __name__ == "__main__":
    main()
