"""Where the project's data lives: the nearest folder, from the working directory up, with _config.yml and data/.

Chapters execute in chapters/, the command line runs from the root, and tests build copies of the
project elsewhere: each finds its own data this way.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


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
