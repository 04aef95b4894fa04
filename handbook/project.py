"""Where the project's data lives: the nearest folder, from the working directory up, with _config.yml and data/.
And which files it is built from, by fingerprint.

Chapters execute in chapters/, the command line runs from the root, and tests build copies of the
project elsewhere: each finds its own data this way.

Only the standard library here: make runs this file on its own (`python -I handbook/project.py current
_build/html`) to learn whether a build is current, and importing the package would load pandas first.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

# Written into each finished build's output folder: the sources_fingerprint of the tree it was built from,
# so that make can skip a build that is current and tests can refuse to read one that is not.
STAMP = ".handbook-sources"
# Not read by the build: editing them must not make a build stale.
NOT_SOURCES = {"_build", "tests", "benchmarks", "node_modules", "README.md", "mutants"}  # mutants: make mutate's copy


def root() -> Path:
    start = Path(os.environ.get("HANDBOOK_ROOT") or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "_config.yml").is_file() and (folder / "data").is_dir():
            return folder
    raise FileNotFoundError(f"no handbook project (a folder with _config.yml and data/) at or above {start}")


def data_dir() -> Path:
    return root() / "data"


def digest(root: Path, files) -> str:
    """A hash of the files' names (relative to the project) and contents."""
    hashed = hashlib.sha256()
    for path in files:
        if path.is_file():
            # The code that runs may be installed outside the project (the tests build copies of it).
            name = path.relative_to(root if path.is_relative_to(root) else path.parents[1])
            hashed.update(str(name).encode())
            hashed.update(path.read_bytes())
    return hashed.hexdigest()


def fingerprint(root: Path) -> str:
    """A hash of everything executed pages read: the data and the code that turns it into pages."""
    return digest(root, sorted((root / "data").rglob("*")) + sorted(Path(__file__).parent.glob("*.py"))
                  + [root / "CITATION.cff"])


def corpus_pickle(root: Path, key: str) -> Path:
    """Where the checked and tagged corpus for one fingerprint is kept (see corpus.cached_corpus)."""
    return root / "_build" / "generated" / f"corpus-{key[:16]}.pickle"


def sources_fingerprint(root: Path) -> str:
    """A hash of every file the book is built from: pages, configuration, data, code and assets."""
    files = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not _ignored(name))
        files += [Path(folder) / name for name in sorted(names) if not _ignored(name)]
    return digest(root, files)


def _ignored(name: str) -> bool:
    return name.startswith(".") or name in NOT_SOURCES or name.endswith((".egg-info", ".pyc")) or name == "__pycache__"


def is_current(output: Path, root: Path) -> bool:
    """Whether `output` holds a finished build of the sources as they are now."""
    stamp = output / STAMP
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == sources_fingerprint(root)


if __name__ == "__main__":
    # `current FOLDER`: exit 0, saying so, when FOLDER holds a finished build of the tree in the working directory.
    command, output = sys.argv[1:]
    if command != "current":
        sys.exit(f"unknown command {command!r}; the only one is: current FOLDER")
    if is_current(Path(output), Path.cwd()):
        print(f"{output} is up to date: no source has changed since it was built")
        sys.exit(0)
    sys.exit(1)
