"""The shared code of the Pakistan–U.S. Relations handbook: briefs, passages, themes, tables, charts."""

from __future__ import annotations

from functools import lru_cache

from handbook.corpus import Corpus, load_corpus


@lru_cache(maxsize=1)
def corpus() -> Corpus:
    """The project's data, loaded once per process (one process per executed page)."""
    return load_corpus()


def chapter(theme: str):
    from handbook.chapter import Chapter

    return Chapter(corpus(), theme)
