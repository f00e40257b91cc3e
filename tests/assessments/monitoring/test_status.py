"""An indicator's status for each kind of threshold, and when a reading is overdue
(assessments/monitoring/status.py, docs/monitoring.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from assessments.models import Indicator, Reading
from assessments.monitoring.status import Status, is_overdue, shown_value, status_of

Kind = Indicator.ThresholdKind


def _indicator(kind, value=None, levels="", every=None) -> Indicator:
    return Indicator(
        threshold_kind=kind,
        threshold_value=None if value is None else Decimal(str(value)),
        levels=levels,
        frequency_days=every,
    )


def _number(v) -> Reading:
    return Reading(date=date(2026, 1, 1), value=Decimal(str(v)))


@pytest.mark.parametrize(
    ("reading", "expected"),
    [(50, Status.NORMAL), (89, Status.NORMAL), (90, Status.WATCH), (100, Status.WATCH),
     (100.5, Status.CROSSED), (400, Status.CROSSED)],
)  # fmt: skip
def test_above_a_number_crosses_when_strictly_greater_and_watches_within_ten_percent(
    reading, expected
):
    assert status_of(_indicator(Kind.ABOVE, 100), _number(reading)) == expected


@pytest.mark.parametrize(
    ("reading", "expected"),
    [(30, Status.NORMAL), (22.1, Status.NORMAL), (22, Status.WATCH), (20, Status.WATCH),
     (19.99, Status.CROSSED)],
)  # fmt: skip
def test_below_a_number_crosses_when_strictly_less(reading, expected):
    assert status_of(_indicator(Kind.BELOW, 20), _number(reading)) == expected


def test_a_threshold_of_zero_watches_within_one():
    indicator = _indicator(Kind.ABOVE, 0)
    assert status_of(indicator, _number(-0.5)) == Status.WATCH
    assert status_of(indicator, _number(-2)) == Status.NORMAL
    assert status_of(indicator, _number(0.1)) == Status.CROSSED


@pytest.mark.parametrize(
    ("level", "expected"), [(1, Status.NORMAL), (2, Status.WATCH), (3, Status.CROSSED),
                            (4, Status.CROSSED)],
)  # fmt: skip
def test_a_level_crosses_at_or_above_and_watches_one_step_below(level, expected):
    indicator = _indicator(Kind.LEVEL, 3, levels="calm\ntense\nclashes\nfighting")
    reading = Reading(date=date(2026, 1, 1), level=level)
    assert status_of(indicator, reading) == expected
    assert shown_value(indicator, reading) == ["calm", "tense", "clashes", "fighting"][level - 1]


def test_any_occurrence_crosses_and_has_no_watch():
    indicator = _indicator(Kind.OCCURRENCE)
    assert status_of(indicator, Reading(date=date(2026, 1, 1), occurred=True)) == Status.CROSSED
    assert status_of(indicator, Reading(date=date(2026, 1, 1), occurred=False)) == Status.NORMAL


def test_without_a_machine_threshold_a_reading_is_normal_and_none_is_no_reading():
    indicator = _indicator(Kind.NONE)
    assert status_of(indicator, _number(10**6)) == Status.NORMAL
    assert status_of(indicator, None) == Status.NONE


def test_overdue_counts_from_the_latest_reading():
    indicator = _indicator(Kind.ABOVE, 10, every=30)
    latest = Reading(date=date(2026, 1, 1), value=Decimal(1))
    assert not is_overdue(indicator, latest, None, date(2026, 1, 31))
    assert is_overdue(indicator, latest, None, date(2026, 2, 1))


def test_before_its_first_reading_an_indicator_is_overdue_from_the_approval_only():
    indicator = _indicator(Kind.ABOVE, 10, every=7)
    assert not is_overdue(indicator, None, None, date(2030, 1, 1))
    assert is_overdue(indicator, None, date(2026, 1, 1), date(2026, 1, 9))
    assert not is_overdue(indicator, None, date(2026, 1, 1), date(2026, 1, 8))


def test_without_a_frequency_nothing_is_overdue():
    old = Reading(date=date(2000, 1, 1), value=Decimal(1))
    assert not is_overdue(_indicator(Kind.ABOVE, 10), old, date(2000, 1, 1), date(2026, 1, 1))
