"""axe-core on the monitoring pages (issue 14): the early-warning board, the portfolio,
an assessment's indicators, one indicator's readings (and its form sent back with an
error), and a re-assessment's overview with its deltas; recording a reading by keyboard."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.monitoring.reassess import assessment_reassess
from assessments.monitoring.services import reading_record
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import audit, axe, report, violations, worked_assessment

__all__ = ["axe"]  # the module-scoped fixture, shared


def _monitored(people):
    assessment = worked_assessment(people, title="Monitored context")
    Assessment.objects.filter(pk=assessment.pk).update(
        status="approved", submitted_at=timezone.now(), approved_at=timezone.now()
    )
    assessment.refresh_from_db()
    indicator = assessment.threats.order_by("pk").first().indicators.get()
    indicator.threshold_kind, indicator.threshold_value, indicator.frequency_days = "above", 300, 7
    indicator.save()
    today = timezone.localdate()
    for days, value in ((20, "180"), (10, "260"), (1, "340")):
        reading_record(
            indicator=indicator,
            user=people.owner,
            date=today - datetime.timedelta(days=days),
            value=value,
        )
    return assessment, indicator


def test_the_monitoring_pages_have_no_serious_violations(axe, people, page):
    assessment, indicator = _monitored(people)
    draft = assessment_reassess(baseline=assessment, user=people.supervisor).assessment
    sign_in(page, people.supervisor)

    problems = audit(
        axe,
        page,
        [
            "/",
            "/early-warning/",
            "/portfolio/",
            "/portfolio/?status=approved",
            f"/assessments/{assessment.pk}/",
            f"/assessments/{assessment.pk}/monitoring/",
            f"/assessments/{assessment.pk}/indicators/{indicator.pk}/readings/",
            f"/assessments/{draft.pk}/",
        ],
    )
    page.goto(f"/assessments/{assessment.pk}/indicators/{indicator.pk}/readings/")
    page.get_by_label("Value").fill("a lot")
    page.get_by_role("button", name="Record reading").click()
    expect(page.get_by_text("is not a number")).to_be_visible()
    problems += violations(axe, page)

    assert not problems, report(problems)


def test_a_reading_is_recorded_with_the_keyboard_alone(people, page):
    assessment, indicator = _monitored(people)
    sign_in(page, people.owner)
    page.goto(f"/assessments/{assessment.pk}/indicators/{indicator.pk}/readings/")

    # The date is today's unless changed.
    page.get_by_label("Value").focus()
    page.keyboard.type("20")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Reading recorded.")).to_be_visible()
    assert indicator.readings.count() == 4
