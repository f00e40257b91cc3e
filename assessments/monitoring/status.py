"""An indicator's status from its readings: pure functions, no queries.

- **crossed**: the latest reading is past the threshold: above a number (strictly
  greater), below a number (strictly less), at or above a level, or any occurrence
  (the event happened).
- **watch**: not crossed, but close: a number within 10 % of the threshold (of its
  absolute value; within 1 when the threshold is 0), or a level one step below it.
  An occurrence threshold has no watch: an event happens or it does not.
- **normal**: anything else; an indicator without a machine-readable threshold is
  always normal once read.
- **overdue**: the indicator says how often it is read (`frequency_days`) and no reading
  came in that many days since the latest one, or, before the first reading, since
  the assessment was approved (monitoring starts with approval).
docs/monitoring.md says the same for people.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Indicator, Reading

Kind = Indicator.ThresholdKind
NUMERIC = (Kind.NONE, Kind.ABOVE, Kind.BELOW)
WATCH_SHARE = Decimal("0.1")


class Status(models.TextChoices):
    NONE = "none", _("No reading yet")
    NORMAL = "normal", _("Normal")
    WATCH = "watch", _("Watch")
    CROSSED = "crossed", _("Crossed")


def measure_of(indicator: Indicator) -> str:
    """Which field of a reading holds its value: "value", "level" or "occurred"."""
    if indicator.threshold_kind == Kind.LEVEL:
        return "level"
    if indicator.threshold_kind == Kind.OCCURRENCE:
        return "occurred"
    return "value"


def crosses(indicator: Indicator, reading: Reading) -> bool:
    kind, limit = indicator.threshold_kind, indicator.threshold_value
    if kind == Kind.OCCURRENCE:
        return bool(reading.occurred)
    if limit is None:
        return False
    if kind == Kind.ABOVE and reading.value is not None:
        return reading.value > limit
    if kind == Kind.BELOW and reading.value is not None:
        return reading.value < limit
    if kind == Kind.LEVEL and reading.level is not None:
        return reading.level >= limit
    return False


def _near(indicator: Indicator, reading: Reading) -> bool:
    kind, limit = indicator.threshold_kind, indicator.threshold_value
    if limit is None:
        return False
    if kind == Kind.LEVEL and reading.level is not None:
        return reading.level == limit - 1
    if kind in (Kind.ABOVE, Kind.BELOW) and reading.value is not None:
        margin = abs(limit) * WATCH_SHARE or Decimal(1)
        if kind == Kind.ABOVE:
            return reading.value >= limit - margin
        return reading.value <= limit + margin
    return False


def status_of(indicator: Indicator, latest: Reading | None) -> Status:
    if latest is None:
        return Status.NONE
    if crosses(indicator, latest):
        return Status.CROSSED
    if _near(indicator, latest):
        return Status.WATCH
    return Status.NORMAL


def due_date(indicator: Indicator, latest: Reading | None, started: date | None) -> date | None:
    """When the next reading is due, or None when the indicator has no frequency (or,
    before its first reading, monitoring has not started)."""
    if not indicator.frequency_days:
        return None
    since = latest.date if latest is not None else started
    if since is None:
        return None
    return since + timedelta(days=indicator.frequency_days)


def is_overdue(
    indicator: Indicator, latest: Reading | None, started: date | None, today: date
) -> bool:
    due = due_date(indicator, latest, started)
    return due is not None and due < today


def shown_value(indicator: Indicator, reading: Reading) -> str:
    """A reading's value in words: the number, the level's name, yes or no."""
    measure = measure_of(indicator)
    if measure == "occurred":
        return str(_("Yes") if reading.occurred else _("No"))
    if measure == "level":
        names = indicator.level_list
        position = reading.level or 0
        return names[position - 1] if 0 < position <= len(names) else str(position)
    return number_text(reading.value)


def number_text(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = format(value.normalize(), "f")
    return text


def plotted(indicator: Indicator, reading: Reading) -> float:
    """The reading as a point on a trend line (events as 0 or 1)."""
    measure = measure_of(indicator)
    if measure == "occurred":
        return 1.0 if reading.occurred else 0.0
    if measure == "level":
        return float(reading.level or 0)
    return float(reading.value or 0)
