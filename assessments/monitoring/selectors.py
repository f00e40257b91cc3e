"""Reads of monitoring: an assessment's indicators with their status, the early-warning
board of a person's teams, the crossings their dashboard shows. Each loads its rows in
a fixed number of queries, however many indicators there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format

from assessments.models import Assessment, Indicator, Membership, Reading
from assessments.monitoring import status
from assessments.monitoring.trend import Trend, trend


@dataclass
class IndicatorState:
    indicator: Indicator
    readings: list[Reading]  # oldest first
    status: status.Status
    overdue: bool
    due: date | None
    trend: Trend | None

    @property
    def latest(self) -> Reading | None:
        return self.readings[-1] if self.readings else None

    @property
    def latest_text(self) -> str:
        latest = self.latest
        return status.shown_value(self.indicator, latest) if latest else "—"

    @property
    def rows(self) -> list[tuple[Reading, str]]:
        """Newest first, each with its value in words."""
        return [(r, status.shown_value(self.indicator, r)) for r in reversed(self.readings)]

    @property
    def sort_date(self) -> date:
        return self.latest.date if self.latest else (self.due or date.min)


def _started(assessment: Assessment) -> date | None:
    return timezone.localdate(assessment.approved_at) if assessment.approved_at else None


def state_of(
    indicator: Indicator, readings: list[Reading], *, today: date | None = None
) -> IndicatorState:
    today = today or timezone.localdate()
    latest = readings[-1] if readings else None
    started = _started(indicator.threat.assessment)
    limit = indicator.threshold_value
    return IndicatorState(
        indicator=indicator,
        readings=readings,
        status=status.status_of(indicator, latest),
        overdue=status.is_overdue(indicator, latest, started, today),
        due=status.due_date(indicator, latest, started),
        trend=trend(
            [status.plotted(indicator, r) for r in readings],
            [f"{date_format(r.date)}: {status.shown_value(indicator, r)}" for r in readings],
            limit=float(limit)
            if limit is not None and status.measure_of(indicator) != "occurred"
            else None,
        ),
    )


def _with_readings(indicators):
    return indicators.select_related(
        "threat__assessment__team", "threat__dimension"
    ).prefetch_related(Prefetch("readings", queryset=Reading.objects.order_by("date")))


def indicator_states(assessment: Assessment, *, today: date | None = None) -> list[IndicatorState]:
    today = today or timezone.localdate()
    indicators = _with_readings(
        Indicator.objects.filter(threat__assessment=assessment).order_by("threat__number", "id")
    )
    return [state_of(i, list(i.readings.all()), today=today) for i in indicators]


def board_for(user, *, today: date | None = None) -> list[IndicatorState]:
    """Every indicator of the person's teams whose latest reading crossed its threshold or
    that is overdue, newest first. An assessment re-assessed by an approved successor has
    handed its monitoring on and is left out."""
    today = today or timezone.localdate()
    assessments = Assessment.objects.visible_to(user).exclude(
        reassessments__status=Assessment.Status.APPROVED
    )
    candidates = _with_readings(
        Indicator.objects.filter(threat__assessment__in=assessments.values("pk"))
        # Only these can be crossed or overdue; the status itself is computed below.
        .filter(Q(frequency_days__isnull=False) | ~Q(threshold_kind=Indicator.ThresholdKind.NONE))
    )
    states = [state_of(i, list(i.readings.all()), today=today) for i in candidates]
    shown = [s for s in states if s.status == status.Status.CROSSED or s.overdue]
    return sorted(shown, key=lambda s: (s.sort_date, s.indicator.pk), reverse=True)


def _concerned(user) -> Q:
    """Readings of assessments this person wrote or whose team they supervise."""
    supervised = Membership.objects.filter(user=user, role=Membership.Role.SUPERVISOR)
    return (
        Q(indicator__threat__assessment__owner=user)
        | Q(indicator__threat__assessment__collaborators=user)
        | Q(indicator__threat__assessment__team__in=supervised.values("team"))
    )


def crossings_for(user, *, days: int = 30, limit: int = 10) -> list[Reading]:
    """The dashboard's line per crossing: recent readings past their threshold in the
    person's own assessments and those of the teams they supervise."""
    if not user.is_authenticated:
        return []
    since = timezone.now() - timedelta(days=days)
    readings = Reading.objects.filter(crossed=True, recorded_at__gte=since)
    if not user.is_superuser:
        readings = readings.filter(pk__in=Reading.objects.filter(_concerned(user)).values("pk"))
    return list(
        readings.select_related("indicator__threat__assessment").order_by("-date", "-pk")[:limit]
    )


def crossing_recipients(reading: Reading) -> list:
    """Who hears of a crossing: the assessment's authors and the team's supervisors."""
    assessment = reading.indicator.threat.assessment
    users = get_user_model().objects.filter(
        Q(pk=assessment.owner_id)
        | Q(collaborations=assessment)
        | Q(memberships__team=assessment.team_id, memberships__role=Membership.Role.SUPERVISOR)
    )
    return list(users.distinct().order_by("pk"))
