"""Approved work to export: assessments taken through review by the services, with the
stand-in renderer (tests/standins.py), so each approval freezes a small, distinct PDF."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Membership
from assessments.review import services as workflow
from tests.factories import AssessmentFactory, MembershipFactory, ThreatFactory, UserFactory


@pytest.fixture
def other_supervisor(other_team):
    return MembershipFactory(
        team=other_team, user=UserFactory(username="sam"), role=Membership.Role.SUPERVISOR
    ).user


@pytest.fixture
def approve(fake_render, version, practitioner, supervisor):
    """approve(title, team=…, at=…): a new assessment of `team` (North by default) owned
    by pat, approved by sue; `at` moves the approval to that moment."""

    def _approve(title: str, *, team=None, at: datetime | None = None, **fields) -> Assessment:
        assessment = AssessmentFactory(
            title=title,
            team=team or practitioner.memberships.get().team,
            owner=practitioner,
            framework_version=version,
            **fields,
        )
        ThreatFactory(assessment=assessment, title=f"Threat of {title}")
        if assessment.team_id != practitioner.memberships.get().team_id:
            # Another team: its own owner and supervisor.
            owner = MembershipFactory(team=assessment.team).user
            approver = MembershipFactory(team=assessment.team, role=Membership.Role.SUPERVISOR).user
            Assessment.objects.filter(pk=assessment.pk).update(owner=owner)
            assessment.refresh_from_db()
        else:
            owner, approver = practitioner, supervisor
        workflow.assessment_submit(assessment=assessment, user=owner)
        workflow.assessment_approve(assessment=assessment, user=approver, note="Sound.")
        if at is not None:
            Assessment.objects.filter(pk=assessment.pk).update(approved_at=at)
        return Assessment.objects.get(pk=assessment.pk)

    return _approve


def local(*args) -> datetime:
    """A moment in the site's time zone."""
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def ask(client, team, supervisor, django_capture_on_commit_callbacks):
    """ask(start, end): sue asks for North's briefs approved in the period (today by
    default); the task runs (immediate backend) when the request's transaction commits.
    Returns the response; the client stays signed in as sue."""

    def _ask(start=None, end=None):
        today = timezone.localdate()
        client.force_login(supervisor)
        data = {"team": team.pk, "period_from": start or today, "period_to": end or today}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("assessments:batch_exports"), data)

    return _ask
