"""The few calls a theme chapter makes, so that the chapter itself reads as prose."""

from __future__ import annotations

from handbook import charts, show, tables
from handbook.corpus import Corpus


class Chapter:
    def __init__(self, corpus: Corpus, theme: str):
        self.corpus = corpus
        self.theme = theme
        self.label = corpus.codebook.themes[theme].label
        self.in_text = corpus.codebook.themes[theme].in_text

    # The coverage table and chart stay out of the handout, whose six pages go to the briefs' positions
    # and words; how much each brief says on the theme is in the book and online.
    def coverage_table(self):
        return show.table(tables.theme_coverage(self.corpus, self.theme),
                          f"How many passages of each brief are on {self.in_text}", f"{self.theme}-coverage",
                          handout=False)

    def coverage_chart(self):
        return show.chart(charts.coverage_chart(self.corpus, self.theme),
                          f"{self.label}: each brief's share by passages and by words",
                          f"{self.theme}-coverage-chart", handout=False)

    def compare(self, question_id: str):
        return show.comparison(self.corpus, question_id)

    def position_table(self):
        return show.table(tables.position_map(self.corpus, self.theme),
                          f"Position map: {self.label}", f"{self.theme}-positions",
                          csv_frame=tables.position_codes(self.corpus, self.theme))

    def position_chart(self):
        # Not in the handout, which prints the position map once, as the table.
        return show.chart(charts.position_chart(self.corpus, self.theme),
                          f"Where the briefs stand on each key question: {self.label}",
                          f"{self.theme}-positions-chart", handout=False)

    def agreement_table(self):
        # Not in the handout: each question there opens with the same figures in a sentence.
        return show.table(tables.agreement(self.corpus, self.theme),
                          f"How far the briefs agree: {self.label}", f"{self.theme}-agreement", handout=False)

    def glue_figures(self) -> None:
        """Name the agreement figures of each key question, so that prose can cite them ({glue})."""
        from myst_nb import glue

        for question in self.corpus.questions_for(self.theme):
            figures = question.agreement()
            glue(f"{question.id}-coded", figures.coded, display=False)
            glue(f"{question.id}-holders", figures.holders, display=False)
            glue(f"{question.id}-stances", figures.in_use, display=False)
            glue(f"{question.id}-top", question.label(figures.top) if figures.top else "none", display=False)
