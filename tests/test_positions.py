"""Key questions and coded positions: enough questions, at least three briefs quoted, quotes verbatim."""

from __future__ import annotations

import pytest

from handbook.passages import quote_in_passage
from handbook.positions import NOT_ADDRESSED
from tests.conftest import CHAPTERS


@pytest.mark.parametrize("theme", CHAPTERS)
def test_each_theme_has_three_to_six_key_questions(corpus, theme):
    assert 3 <= len(corpus.questions_for(theme)) <= 6


@pytest.mark.parametrize("theme", CHAPTERS)
def test_each_question_quotes_at_least_three_briefs_verbatim(corpus, theme):
    for question in corpus.questions_for(theme):
        coded = [p for p in question.positions.values() if p.code != NOT_ADDRESSED]
        assert len({p.brief_id for p in coded}) >= 3, question.id
        for position in coded:
            assert position.code in question.codes
            assert quote_in_passage(position.quote, corpus.passage_text(position.passage_id)), (question.id, position)
            assert position.passage_id.startswith(position.brief_id + "-")


def test_every_original_brief_is_coded_on_every_question(corpus):
    for question in corpus.questions:
        assert set(question.positions) == {brief.id for brief in corpus.briefs}, question.id
