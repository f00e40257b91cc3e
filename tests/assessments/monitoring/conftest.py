from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Assessment, Indicator, Membership, Team
from tests.factories import (
    AssessmentFactory,
    IndicatorFactory,
    MembershipFactory,
    TeamFactory,
    ThreatFactory,
    UserFactory,
)


@dataclass
class Monitored:
    north: Team
    south: Team
    users: dict
    assessment: Assessment
    indicator: Indicator
    southern: Indicator


def _member(username, team, role=Membership.Role.PRACTITIONER):
    return MembershipFactory(team=team, user=UserFactory(username=username), role=role).user


def approved_assessment(team, owner, **fields) -> Assessment:
    now = timezone.now()
    return AssessmentFactory(
        team=team,
        owner=owner,
        status=Assessment.Status.APPROVED,
        submitted_at=now - timedelta(days=61),
        approved_at=now - timedelta(days=60),
        period_start=date(2025, 1, 1),
        **fields,
    )


@pytest.fixture
def monitored(db) -> Monitored:
    """An approved assessment of team North with one indicator (above 100, read monthly),
    and one of team South that no one of North may see."""
    north, south = TeamFactory(name="North", slug="north"), TeamFactory(name="South", slug="south")
    supervisor = Membership.Role.SUPERVISOR
    users = {
        "owner": _member("pat", north),
        "teammate": _member("tom", north),
        "supervisor": _member("sue", north, supervisor),
        "outsider": _member("olga", south),
        "other_supervisor": _member("sam", south, supervisor),
    }
    assessment = approved_assessment(north, users["owner"], title="Northern", country="Chad")
    threat = ThreatFactory(assessment=assessment, title="Cholera outbreak")
    indicator = IndicatorFactory(
        threat=threat,
        name="Suspected cases a week",
        threshold_kind=Indicator.ThresholdKind.ABOVE,
        threshold_value=Decimal(100),
        frequency_days=30,
    )
    southern = approved_assessment(south, users["outsider"], title="Southern", country="Mali")
    southern_indicator = IndicatorFactory(
        threat=ThreatFactory(assessment=southern, title="Secret southern threat"),
        name="Southern wells dry",
        threshold_kind=Indicator.ThresholdKind.OCCURRENCE,
    )
    return Monitored(north, south, users, assessment, indicator, southern_indicator)
