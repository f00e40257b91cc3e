"""Recording readings: each kind's value, the bad input refused with nothing saved, the
warning before the period, history, and the crossing announced."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Indicator, Notification, Reading
from assessments.monitoring import selectors
from assessments.monitoring.services import notify_crossing, reading_record
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def _record(m, **kwargs):
    kwargs.setdefault("date", TODAY)
    return reading_record(indicator=m.indicator, user=m.users["owner"], today=TODAY, **kwargs)


def test_a_reading_on_an_approved_assessment_is_saved_with_its_history(monitored):
    reading, warnings = _record(monitored, value="120", note="Two districts", source="MoH")

    assert reading.value == Decimal(120) and reading.crossed
    assert warnings == []
    assert reading.history.get().history_user == monitored.users["owner"]
    assert monitored.assessment.status == "approved"


def test_a_comma_decimal_is_read_as_a_number(monitored):
    reading, _ = _record(monitored, value="99,5")
    assert reading.value == Decimal("99.5") and not reading.crossed


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"date": TODAY + timedelta(days=1)}, "date", "cannot be dated in the future"),
        ({"value": "many"}, "value", "“many” is not a number."),
        ({"value": ""}, "value", "read as a number"),
        ({"value": "NaN"}, "value", "is not a number"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(monitored, kwargs, field, message):
    kwargs.setdefault("value", "5")
    with pytest.raises(ValidationError) as caught:
        _record(monitored, **kwargs)

    assert message in " ".join(caught.value.message_dict[field])
    assert not Reading.objects.exists()


def test_a_second_reading_for_the_same_date_is_refused(monitored):
    _record(monitored, value="10")
    with pytest.raises(ValidationError) as caught:
        _record(monitored, value="500")

    assert "already has a reading for" in caught.value.message_dict["date"][0]
    assert list(Reading.objects.values_list("value", flat=True)) == [Decimal(10)]


def test_a_date_before_the_period_is_saved_with_a_warning(monitored):
    reading, warnings = _record(monitored, value="3", date=date(2024, 12, 31))

    assert reading.pk
    assert "before the assessment's period" in warnings[0]


def test_a_level_and_an_event_are_checked_against_the_indicator(monitored):
    levels = IndicatorFactory(
        threat=monitored.indicator.threat,
        threshold_kind=Indicator.ThresholdKind.LEVEL,
        threshold_value=2,
        levels="calm\ntense\nviolent",
    )
    event = IndicatorFactory(
        threat=monitored.indicator.threat, threshold_kind=Indicator.ThresholdKind.OCCURRENCE
    )
    user = monitored.users["supervisor"]
    with pytest.raises(ValidationError, match="one of the indicator's 3 levels"):
        reading_record(indicator=levels, user=user, date=TODAY, level=4, today=TODAY)
    with pytest.raises(ValidationError, match="yes or no"):
        reading_record(indicator=event, user=user, date=TODAY, value="1", today=TODAY)

    level, _ = reading_record(indicator=levels, user=user, date=TODAY, level=2, today=TODAY)
    quiet, _ = reading_record(indicator=event, user=user, date=TODAY, occurred=False, today=TODAY)
    assert level.crossed and level.value is None
    assert not quiet.crossed


def test_a_crossing_reaches_the_authors_and_supervisors_and_their_dashboards(
    monitored, django_capture_on_commit_callbacks, mailoutbox
):
    supervisor = monitored.users["supervisor"]
    with django_capture_on_commit_callbacks(execute=True):
        reading, _ = reading_record(
            indicator=monitored.indicator,
            user=supervisor,
            date=TODAY,
            value="150",
            note="Clinic registers, two districts",
            today=TODAY,
        )

    # The bell and an email for the owner; never the one who recorded it, nor another team.
    told = Notification.objects.filter(kind=Notification.Kind.CROSSED)
    assert {n.recipient.username for n in told} == {"pat"}
    assert [m.to for m in mailoutbox] == [[monitored.users["owner"].email]]
    assert mailoutbox[0].subject.startswith("Early-warning threshold crossed:")
    assert "Clinic registers" not in mailoutbox[0].body  # no content beyond the title
    assert f"/assessments/{monitored.assessment.pk}/monitoring/" in mailoutbox[0].body
    # Told again directly, the owner and the supervisor hear of an import's crossing.
    reading.recorded_by = None
    assert {u.username for u in notify_crossing(reading)} == {"pat", "sue"}
    assert selectors.crossings_for(supervisor) == [reading]
    assert selectors.crossings_for(monitored.users["teammate"]) == []
    assert selectors.crossings_for(monitored.users["other_supervisor"]) == []


def test_a_threshold_needs_its_value_and_a_level_its_levels(monitored):
    indicator = monitored.indicator
    indicator.threshold_kind = Indicator.ThresholdKind.LEVEL
    indicator.threshold_value = Decimal(5)
    indicator.levels = "low\nhigh"
    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()
    assert "from 1 to 2" in caught.value.message_dict["threshold_value"][0]
