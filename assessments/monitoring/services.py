"""Writes of monitoring: recording an indicator's reading, and the crossing it may
announce. A reading is written in any status of its assessment (monitoring, not
analysis), so it takes no edit lock; the unique (indicator, date) keeps one a day."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.core.services import save_validated, touch
from assessments.models import Indicator, Notification, Reading
from assessments.monitoring import status

logger = logging.getLogger(__name__)


def _checked_measure(indicator: Indicator, value, level, occurred) -> dict:
    """The one field this indicator's readings hold, checked; the others left empty."""
    measure = status.measure_of(indicator)
    if measure == "value":
        if value in (None, ""):
            raise ValidationError({"value": _("This indicator is read as a number: give one.")})
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except ArithmeticError:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError({"value": _("“%(value)s” is not a number.") % {"value": value}})
        return {"value": number, "level": None, "occurred": None}
    if measure == "level":
        count = len(indicator.level_list)
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= count:
            raise ValidationError(
                {"level": _("Choose one of the indicator's %(count)s levels.") % {"count": count}}
            )
        return {"value": None, "level": level, "occurred": None}
    if not isinstance(occurred, bool):
        raise ValidationError({"occurred": _("Say whether the event occurred: yes or no.")})
    return {"value": None, "level": None, "occurred": occurred}


@transaction.atomic
def reading_record(
    *,
    indicator: Indicator,
    user,
    date: date,
    value: Decimal | str | None = None,
    level: int | None = None,
    occurred: bool | None = None,
    note: str = "",
    source: str = "",
    today: date | None = None,
) -> tuple[Reading, list[str]]:
    """Record one reading; returns it and the warnings a person should read (a date
    before the assessment's period). Refused, and nothing saved: a future date, a value
    that does not fit the indicator's kind, a second reading for the same date."""
    today = today or timezone.localdate()
    if date > today:
        raise ValidationError({"date": _("A reading cannot be dated in the future.")})
    measure = _checked_measure(indicator, value, level, occurred)
    if Reading.objects.filter(indicator=indicator, date=date).exists():
        raise ValidationError(
            {
                "date": _("This indicator already has a reading for %(date)s.")
                % {"date": date_format(date)}
            }
        )
    reading = Reading(
        indicator=indicator, date=date, note=note, source=source, recorded_by=user, **measure
    )
    reading.crossed = status.crosses(indicator, reading)
    try:
        with transaction.atomic():
            save_validated(reading, user)
    except IntegrityError as exc:  # the same date, saved by someone else meanwhile
        raise ValidationError(
            {"date": _("This indicator already has a reading for that date.")}
        ) from exc
    assessment = indicator.threat.assessment
    touch(assessment)
    warnings = []
    if assessment.period_start and date < assessment.period_start:
        warnings.append(
            _("This reading is dated before the assessment's period (from %(start)s).")
            % {"start": date_format(assessment.period_start)}
        )
    if reading.crossed:
        transaction.on_commit(lambda: notify_crossing(reading))
    return reading, warnings


def notify_crossing(reading: Reading) -> list:
    """Tell the assessment's authors and the team's supervisors that `reading` crossed its
    indicator's threshold (the bell and, unless they turned it off, an email); the
    crossing also stays on their dashboards (selectors.crossings_for). Returns who is
    told; never raises (notify logs a failure)."""
    from assessments.notifications.services import notify

    assessment = reading.indicator.threat.assessment
    told = notify(assessment=assessment, kind=Notification.Kind.CROSSED, actor=reading.recorded_by)
    logger.info(
        "Reading %s crossed the threshold of indicator %s (%d told).",
        reading.pk,
        reading.indicator_id,
        len(told),
    )
    return [n.recipient for n in told]
