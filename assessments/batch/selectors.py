"""Reads of batch exports: what a period holds, and the exports a person may see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from assessments.models import Assessment, BatchExport, FrozenBrief, Team


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start of the first day, start of the day after the last) in the site's time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def approved_in_period(*, team: Team, period_from: date, period_to: date) -> QuerySet:
    """The team's approved assessments whose approval falls in the period (both days
    included), oldest approval first, each with `frozen_id`, its latest frozen brief."""
    start, end = day_bounds(period_from, period_to)
    latest = (
        FrozenBrief.objects.filter(assessment=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    return (
        Assessment.objects.filter(
            team=team,
            status=Assessment.Status.APPROVED,
            approved_at__gte=start,
            approved_at__lt=end,
        )
        .annotate(frozen_id=Subquery(latest))
        .exclude(frozen_id=None)
        .order_by("approved_at", "pk")
    )


def exports_for(user, *, with_archive: bool = False) -> QuerySet:
    """The exports this person may see, newest first; the ZIP itself only when asked."""
    exports = BatchExport.objects.visible_to(user).select_related("team", "requested_by")
    return exports if with_archive else exports.defer("archive")
