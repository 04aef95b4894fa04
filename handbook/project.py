"""Where the project's data lives: the nearest folder, from the working directory up, with _config.yml and data/.

Chapters execute in chapters/, the command line runs from the root, and tests build copies of the
project elsewhere: each finds its own data this way.
"""

from __future__ import annotations

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

