"""Separation of duties, from the history (issue 13, item 6): whoever ever owned,
collaborated on, submitted or changed any part of an assessment may not return or approve
it, superusers included. The bypass that used to work is told here step by step."""

from __future__ import annotations

import html

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from assessments import permissions
from assessments.content import services as content
from assessments.core import services as core
from assessments.core.selectors import dashboard_for
from assessments.models import Assessment, Membership, ReviewEvent
from assessments.review import services as workflow
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

Status = Assessment.Status
REFUSED = "so you cannot approve it: another supervisor must review it (separation of duties)."


def _threat(assessment, user, title="Raids on the camp"):
    dimension = assessment.framework_version.dimensions.first()
    return content.threat_save(
        assessment=assessment,
        user=user,
        title=title,
        dimension=dimension,
        likelihood=3,
        severity=4,
        urgency=2,
    )


def _collaborators(assessment, user, people):
    current = Assessment.objects.get(pk=assessment.pk)
    return core.assessment_update(
        assessment=current, user=user, base_version=current.version, collaborators=people
    )


def _now(assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def test_the_collaborate_edit_leave_approve_bypass_is_refused(
    client, assessment, practitioner, supervisor
):
    # The owner adds the supervisor, who changes a threat; the owner removes them and
    # submits; the supervisor then tries to approve, through the page.
    _collaborators(assessment, practitioner, [supervisor])
    _threat(assessment, supervisor)
    _collaborators(assessment, practitioner, [])
    workflow.assessment_submit(assessment=_now(assessment), user=practitioner)
    client.force_login(supervisor)

    response = client.post(
        f"/assessments/{assessment.pk}/review/",
        {"action": "decide", "decision": "approve", "note": "Fine."},
    )

    assert response.status_code == 200
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(messages) == 1 and messages[0].endswith(REFUSED)
    assert _now(assessment).status == Status.SUBMITTED
    assert not ReviewEvent.objects.filter(kind=ReviewEvent.Kind.APPROVED).exists()
    assert not permissions.can_decide(supervisor, _now(assessment))


def test_a_former_collaborator_who_changed_nothing_may_not_judge_either(
    assessment, practitioner, supervisor
):
    _collaborators(assessment, practitioner, [supervisor])
    _collaborators(assessment, practitioner, [])
    submitted, _gaps = workflow.assessment_submit(assessment=_now(assessment), user=practitioner)

    with pytest.raises(ValidationError, match="cannot return it"):
        workflow.assessment_return(assessment=submitted, user=supervisor, note="Redo.")
    assert _now(assessment).status == Status.SUBMITTED


def test_a_superuser_may_not_edit_submit_and_approve_alone(team, assessment):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    _threat(assessment, root)
    submitted, _gaps = workflow.assessment_submit(assessment=_now(assessment), user=root)

    with pytest.raises(ValidationError, match="cannot approve it"):
        workflow.assessment_approve(assessment=submitted, user=root)
    assert _now(assessment).status == Status.SUBMITTED


def test_a_superuser_who_only_submitted_may_not_approve_what_they_sent(assessment):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    submitted, _gaps = workflow.assessment_submit(assessment=assessment, user=root)

    assert not permissions.can_decide(root, submitted)


def test_a_supervisor_who_returned_it_still_approves_the_revision(
    assessment, practitioner, supervisor
):
    # Review moves are not edits: returning it does not bar the reviewer.
    submitted, _gaps = workflow.assessment_submit(assessment=assessment, user=practitioner)
    workflow.assessment_return(assessment=submitted, user=supervisor, note="Add the herders.")
    _threat(assessment, practitioner, "Herders' routes cut")
    core.assessment_update(
        assessment=_now(assessment), user=practitioner, base_version=1, title="Revised"
    )
    resubmitted, _gaps = workflow.assessment_submit(assessment=_now(assessment), user=practitioner)

    approved = workflow.assessment_approve(assessment=resubmitted, user=supervisor)

    assert approved.status == Status.APPROVED


def test_an_edited_indicator_or_tag_counts_as_a_change(assessment, practitioner, supervisor):
    threat = _threat(assessment, practitioner)
    component = assessment.framework_version.components.first()
    content.threat_save(
        assessment=assessment,
        user=supervisor,
        threat=threat,
        base_version=threat.version,
        title=threat.title,
        dimension=threat.dimension,
        likelihood=3,
        severity=4,
        urgency=2,
        tags={component.pk: "Rationale."},
    )

    assert supervisor.pk in permissions.involved_ids(_now(assessment))


def test_who_had_a_hand_is_one_query(
    assessment, practitioner, supervisor, django_assert_num_queries
):
    _threat(assessment, practitioner)
    fresh = _now(assessment)

    with django_assert_num_queries(1):
        ids = permissions.involved_ids(fresh)
        permissions.involved_ids(fresh)

    assert ids == {practitioner.pk}


def test_the_dashboard_does_not_offer_work_one_had_a_hand_in(
    assessment, practitioner, supervisor, team
):
    other = member(team, "vic", Membership.Role.SUPERVISOR)
    _threat(assessment, supervisor)
    workflow.assessment_submit(assessment=assessment, user=practitioner)

    assert list(dashboard_for(supervisor)["awaiting_review"]) == []
    assert list(dashboard_for(other)["awaiting_review"]) == [_now(assessment)]


def test_the_dashboard_reaches_past_many_barred_submissions(
    assessment, practitioner, supervisor, team, django_assert_max_num_queries
):
    """Newer submissions a supervisor once owned (more than two pages' worth) do not hide
    an older one they may decide on; the dashboard reads a page at a time."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.core.selectors import DASHBOARD_ROWS
    from tests.factories import AssessmentFactory

    vic = member(team, "vic", Membership.Role.SUPERVISOR)
    workflow.assessment_submit(assessment=assessment, user=practitioner)
    Assessment.objects.filter(pk=assessment.pk).update(
        updated_at=timezone.now() - timedelta(days=1)
    )
    newer = AssessmentFactory.create_batch(
        45, team=team, owner=practitioner, status=Status.SUBMITTED
    )
    ids = [a.pk for a in newer]
    # Vic owned each of them once (the history says so); the owner is pat now.
    assert Assessment.history.filter(id__in=ids).update(owner_id=vic.pk) >= 45

    with django_assert_max_num_queries(12):
        shown = dashboard_for(vic)["awaiting_review"]

    assert shown == [_now(assessment)]
    assert len(dashboard_for(supervisor)["awaiting_review"]) == DASHBOARD_ROWS


def test_the_owner_is_warned_before_and_after_leaving_nobody_to_approve(
    client, assessment, practitioner, supervisor
):
    client.force_login(practitioner)
    url = f"/assessments/{assessment.pk}/edit/"

    before = html.unescape(client.get(url).content.decode())
    assert "Only sue can still return or approve this assessment." in before

    response = client.get(url)
    form = response.context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields and name != "collaborators"
    }
    data["collaborators"] = [supervisor.pk]
    data["version"] = assessment.version
    saved = client.post(url, data)

    assert saved.status_code == 302
    assert list(_now(assessment).collaborators.all()) == [supervisor]
    warnings = [str(m) for m in get_messages(saved.wsgi_request) if m.level_tag == "warning"]
    assert warnings and warnings[0].startswith("Nobody in the team can return or approve")
    after = html.unescape(client.get(url).content.decode())
    assert "Nobody in the team can return or approve this assessment now" in after


def test_the_only_supervisor_creating_an_assessment_is_warned(client, team, version, supervisor):
    client.force_login(supervisor)

    response = client.post(
        "/assessments/new/",
        {
            "title": "Own work",
            "team": team.pk,
            "framework": version.framework_id,
            "country": "Mali",
        },
    )

    assert response.status_code == 302
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings and warnings[0].startswith("Nobody in the team can return or approve")
