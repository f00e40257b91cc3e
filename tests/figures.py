"""Figures a test measured (counts, not pass/fail), printed at the end of the run."""

FIGURES: list[str] = []


def report_figure(line: str) -> None:
    FIGURES.append(line.strip())
