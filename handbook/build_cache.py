"""Results kept between builds in _build/cache/, each under a hash of everything it was computed from.

The corpus pickle (handbook.corpus) is keyed by all of data/, so any edit misses it. What is kept here
is keyed more narrowly, by the inputs a result really reads: the fitted taggers read only the
hand-labelled passages, the evaluation of the suggestions only the coded briefs. A brief added without
labels or coding then finds both, and the build spends its time on what the new brief changed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from importlib.metadata import version
from pathlib import Path


def versions(*distributions: str) -> list[str]:
    """For a key: results computed by another version of a library are not read back."""
    return [f"{name}=={version(name)}" for name in distributions]


def kept(folder: Path | None, name: str, key: str, compute):
    """`compute()`, or the result it gave before for the same `key`, read from `folder`.

    `key` must name everything the result depends on, the code that computes it included. One file is
    kept per `name`: a result for a new key replaces the one before. Without a folder, `compute()` runs.
    """
    if folder is None:
        return compute()
    path = folder / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass  # not computed yet for this key, or written by other code
    result = compute()
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f"{name}-*.pickle"):
        stale.unlink(missing_ok=True)
    scratch = path.with_suffix(f".{os.getpid()}.tmp")
    scratch.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    scratch.replace(path)  # atomic: processes reading at the same time never see half a file
    return result
