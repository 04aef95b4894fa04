"""The shared code of the Pakistan–U.S. Relations handbook: briefs, passages, themes, tables, charts."""

from __future__ import annotations

from functools import lru_cache

# Imported before `corpus` below is defined: importing the submodule binds its name in this package.
from handbook.corpus import Corpus, cached_corpus


@lru_cache(maxsize=1)
def corpus() -> Corpus:
    """The project's data, checked and tagged once per build (see cached_corpus)."""
    return cached_corpus()


def _chapter(theme: str):
    """What a theme chapter calls: `chapter("china")`. Charts are imported on first use, not by Sphinx."""
    from handbook.chapter import Chapter

    # That import bound the submodule handbook.chapter to this package's name `chapter`, over this
    # function: put the function back, so that a second page run in the same kernel gets it too.
    globals()["chapter"] = _chapter
    return Chapter(corpus(), theme)


chapter = _chapter
