"""The review workflow: submit, comment, return, approve, reopen, called as services and
through the pages. Who may make each move (supervisors never decide on their own work),
the moves that are refused and what they say, the trail on the overview and the
dashboard's "awaiting my review"."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from assessments.content import services
from assessments.core import services as core_services
from assessments.models import Assessment, Comment, FrozenBrief, Membership, ReviewEvent
from assessments.review import services as workflow
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    PopulationGroupFactory,
    member,
)
from tests.standins import STAND_IN_PDF

pytestmark = pytest.mark.django_db

Status = Assessment.Status
Kind = ReviewEvent.Kind


@pytest.fixture
def outside_supervisor(other_team):
    return member(other_team, "olga", Membership.Role.SUPERVISOR)


def _submitted(assessment, user):
    assessment, _gaps = workflow.assessment_submit(assessment=assessment, user=user)
    return assessment


def _refused(move, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        move(**kwargs)
    return " ".join(exc.value.messages)


def _status(assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).status


def _kinds(assessment) -> list[str]:
    return list(
        ReviewEvent.objects.filter(assessment=assessment)
        .order_by("created_at", "id")
        .values_list("kind", flat=True)
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- submit -------------------------------------------------------------------------------


def test_owner_submits_with_lens_gaps_listed_as_a_warning(assessment, practitioner):
    # An empty assessment fails the lens check everywhere; submitting is still allowed.
    submitted, gaps = workflow.assessment_submit(assessment=assessment, user=practitioner)

    assert submitted.status == Status.SUBMITTED
    assert submitted.submitted_at is not None
    assert "Person-centred: No group of people is defined (security for whom?)." in gaps
    event = ReviewEvent.objects.get(assessment=assessment)
    assert (event.kind, event.actor) == (Kind.SUBMITTED, practitioner)
    assert event.note == f"Submitted with {len(gaps)} lens-check gap(s)."


def test_collaborator_may_submit(assessment, collaborator):
    submitted = _submitted(assessment, collaborator)

    assert submitted.status == Status.SUBMITTED
    assert ReviewEvent.objects.get(assessment=assessment).actor == collaborator


@pytest.mark.parametrize("who", ["teammate", "supervisor"])
def test_only_authors_submit(request, assessment, who):
    user = request.getfixturevalue(who)

    message = _refused(workflow.assessment_submit, assessment=assessment, user=user)

    assert message == "Only the owner or a collaborator may submit this assessment."
    assert _status(assessment) == Status.DRAFT
    assert _kinds(assessment) == []


def test_submitting_twice_is_refused(assessment, practitioner):
    _submitted(assessment, practitioner)

    message = _refused(workflow.assessment_submit, assessment=assessment, user=practitioner)

    assert message == "This assessment is already submitted; it cannot be submitted again."
    assert _kinds(assessment) == [Kind.SUBMITTED]


def test_submit_page_warns_with_the_gaps_and_lands_on_the_overview(
    client, login, assessment, practitioner
):
    login(practitioner)
    url = f"/assessments/{assessment.pk}/submit/"

    page = client.get(url)
    response = client.post(url)

    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/"
    (warning,) = _messages(response)
    assert warning.startswith("Submitted for review with ")
    assert "Person-centred: No group of people is defined (security for whom?)." in warning
    assert _status(assessment) == Status.SUBMITTED


# --- editing while it is out of the authors' hands ------------------------------------------


def test_editing_a_submitted_assessment_is_refused(assessment, practitioner):
    _submitted(assessment, practitioner)

    message = _refused(
        core_services.assessment_update,
        assessment=assessment,
        user=practitioner,
        base_version=assessment.version,
        title="Changed behind the reviewer's back",
    )
    group_message = _refused(
        services.group_save, assessment=assessment, user=practitioner, name="Late group"
    )

    assert message.startswith("This assessment is submitted and cannot be changed.")
    assert group_message == message
    assert Assessment.objects.get(pk=assessment.pk).title == assessment.title
    assert not assessment.groups.exists()


def test_edit_page_of_a_submitted_assessment_sends_back_to_the_overview(
    client, login, assessment, practitioner
):
    _submitted(assessment, practitioner)
    login(practitioner)

    response = client.post(
        f"/assessments/{assessment.pk}/edit/",
        {"title": "Changed", "country": "Chad", "version": assessment.version},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/"
    assert _messages(response) == [
        "This assessment is submitted: it cannot be changed until a supervisor returns or "
        "reopens it."
    ]
    assert Assessment.objects.get(pk=assessment.pk).title == assessment.title


# --- comments -----------------------------------------------------------------------------


def test_supervisor_comments_on_the_assessment_and_on_a_section(assessment, supervisor):
    section = assessment.framework_version.sections.get(key="whom")

    general = workflow.assessment_comment(
        assessment=assessment, user=supervisor, text="  Who speaks for the herders?  "
    )
    specific = workflow.assessment_comment(
        assessment=assessment, user=supervisor, text="Split by age.", section=section
    )

    assert (general.section, general.text) == (None, "Who speaks for the herders?")
    assert specific.section == section
    notes = list(
        ReviewEvent.objects.filter(assessment=assessment, kind=Kind.COMMENTED)
        .order_by("id")
        .values_list("note", flat=True)
    )
    # The trail says where; the text is in the thread only (it showed twice before).
    assert notes == ["the assessment", section.title]


def test_comment_on_a_section_of_another_framework_version_is_refused(
    assessment, supervisor, version
):
    from frameworks.services import version_new_draft

    foreign = version_new_draft(version=version).sections.get(key="whom")

    message = _refused(
        workflow.assessment_comment,
        assessment=assessment,
        user=supervisor,
        text="Wrong place.",
        section=foreign,
    )

    assert message == "Choose a section of this assessment."
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ["practitioner", "outside_supervisor"])
def test_only_supervisors_of_the_team_comment(request, assessment, who):
    user = request.getfixturevalue(who)

    message = _refused(workflow.assessment_comment, assessment=assessment, user=user, text="Hm.")

    assert message == "Only a supervisor of the team may comment."
    assert not Comment.objects.exists()


def test_an_author_resolves_a_comment_once(assessment, supervisor, practitioner, teammate):
    comment = workflow.assessment_comment(assessment=assessment, user=supervisor, text="Sources?")

    outsider_message = _refused(workflow.comment_resolve, comment=comment, user=teammate)
    resolved = workflow.comment_resolve(comment=comment, user=practitioner)
    again = _refused(workflow.comment_resolve, comment=comment, user=supervisor)

    assert outsider_message == "You may not resolve comments on this assessment."
    assert resolved.resolved_by == practitioner
    assert resolved.resolved_at is not None
    assert again == "This comment is already resolved."


def test_comments_through_the_review_page_and_resolved_from_the_overview(
    client, login, assessment, supervisor, practitioner
):
    section = assessment.framework_version.sections.get(key="what")
    login(supervisor)
    posted = client.post(
        f"/assessments/{assessment.pk}/review/",
        {"action": "comment", "text": "Name the armed group.", "section": section.pk},
    )
    comment = Comment.objects.get(assessment=assessment)

    login(practitioner)
    overview = client.get(f"/assessments/{assessment.pk}/")
    resolved = client.post(f"/assessments/{assessment.pk}/comments/{comment.pk}/resolve/")
    after = client.get(f"/assessments/{assessment.pk}/")

    assert posted.status_code == 302
    assert comment.section == section
    assert "Name the armed group." in overview.content.decode()
    assert resolved.status_code == 302
    assert _messages(resolved) == ["Comment resolved."]
    # Resolved comments leave the "Open comments" box; the trail keeps the remark.
    assert "Open comments" not in after.content.decode()
    comment.refresh_from_db()
    assert comment.resolved_by == practitioner


# --- return and approve: who may decide -------------------------------------------------------


def test_supervisor_returns_with_a_note_and_the_authors_can_edit_again(
    assessment, practitioner, supervisor
):
    _submitted(assessment, practitioner)

    returned = workflow.assessment_return(
        assessment=assessment, user=supervisor, note="  Add the herders' own account.  "
    )
    core_services.assessment_update(
        assessment=assessment, user=practitioner, base_version=1, title="Borno, revised"
    )

    assert returned.status == Status.RETURNED
    event = ReviewEvent.objects.filter(assessment=assessment).latest("id")
    assert (event.kind, event.actor, event.note) == (
        Kind.RETURNED,
        supervisor,
        "Add the herders' own account.",
    )
    assert Assessment.objects.get(pk=assessment.pk).title == "Borno, revised"


@pytest.mark.parametrize("note", ["", "   "])
def test_returning_without_a_note_is_refused(assessment, practitioner, supervisor, note):
    _submitted(assessment, practitioner)

    message = _refused(
        workflow.assessment_return, assessment=assessment, user=supervisor, note=note
    )

    assert message == "Say what needs to change before it can be approved."
    assert _status(assessment) == Status.SUBMITTED
    assert _kinds(assessment) == [Kind.SUBMITTED]


def test_supervisor_approves_a_submitted_assessment(
    fake_render, assessment, practitioner, supervisor
):
    _submitted(assessment, practitioner)

    approved = workflow.assessment_approve(assessment=assessment, user=supervisor, note="Sound.")

    assert approved.status == Status.APPROVED
    assert approved.approved_at is not None
    assert _kinds(assessment) == [Kind.SUBMITTED, Kind.APPROVED]
    frozen = FrozenBrief.objects.get(assessment=assessment)
    assert frozen.approval.note == "Sound."
    assert fake_render == [(assessment.pk, False)]


def test_approving_a_draft_is_refused(fake_render, assessment, supervisor):
    message = _refused(workflow.assessment_approve, assessment=assessment, user=supervisor)

    assert message == "Only a submitted assessment can be approved; this one is draft."
    assert _status(assessment) == Status.DRAFT
    assert not FrozenBrief.objects.exists()
    assert fake_render == []


def test_returning_a_draft_is_refused(assessment, supervisor):
    message = _refused(
        workflow.assessment_return, assessment=assessment, user=supervisor, note="Why?"
    )

    assert message == "Only a submitted assessment can be returned; this one is draft."
    assert _status(assessment) == Status.DRAFT


@pytest.mark.parametrize("who", ["practitioner", "teammate", "outside_supervisor"])
def test_only_a_supervisor_of_the_team_approves_or_returns(
    request, fake_render, assessment, collaborator, who
):
    # The owner's collaborator submits, so "practitioner" is the owner trying to approve.
    _submitted(assessment, collaborator)
    user = request.getfixturevalue(who)

    approve = _refused(workflow.assessment_approve, assessment=assessment, user=user)
    give_back = _refused(
        workflow.assessment_return, assessment=assessment, user=user, note="Redo it."
    )

    assert approve == give_back == "Only a supervisor of the team North may do this."
    assert _status(assessment) == Status.SUBMITTED
    assert _kinds(assessment) == [Kind.SUBMITTED]
    assert not FrozenBrief.objects.exists()


@pytest.mark.parametrize("relation", ["owner", "collaborator"])
def test_a_supervisor_never_decides_on_their_own_work(
    fake_render, team, version, practitioner, supervisor, relation
):
    if relation == "owner":
        own = AssessmentFactory(team=team, owner=supervisor, framework_version=version)
        author = supervisor
    else:
        own = AssessmentFactory(team=team, owner=practitioner, framework_version=version)
        own.collaborators.add(supervisor)
        author = practitioner
    _submitted(own, author)

    approve = _refused(workflow.assessment_approve, assessment=own, user=supervisor)
    give_back = _refused(workflow.assessment_return, assessment=own, user=supervisor, note="No.")

    assert approve == (
        "You have owned, collaborated on, submitted or changed this assessment, so you "
        "cannot approve it: another supervisor must review it (separation of duties)."
    )
    assert "so you cannot return it" in give_back
    assert _status(own) == Status.SUBMITTED
    assert _kinds(own) == [Kind.SUBMITTED]
    assert fake_render == []


def test_roles_are_per_team_a_supervisor_elsewhere_cannot_approve_here(
    fake_render, assessment, practitioner, other_team
):
    # Supervises South, practises in North: may not approve North's work.
    both = member(other_team, "vic", Membership.Role.SUPERVISOR)
    MembershipFactory(team=assessment.team, user=both)
    _submitted(assessment, practitioner)

    message = _refused(workflow.assessment_approve, assessment=assessment, user=both)

    assert message == "Only a supervisor of the team North may do this."
    assert _status(assessment) == Status.SUBMITTED


# --- reopen -------------------------------------------------------------------------------


def _approved(assessment, author, supervisor):
    _submitted(assessment, author)
    return workflow.assessment_approve(assessment=assessment, user=supervisor)


def test_reopen_records_why_and_lets_the_authors_edit_again(
    fake_render, assessment, practitioner, supervisor
):
    _approved(assessment, practitioner, supervisor)
    frozen = FrozenBrief.objects.get(assessment=assessment)

    refused_edit = _refused(
        core_services.assessment_update,
        assessment=assessment,
        user=practitioner,
        base_version=1,
        title="Quietly changed",
    )
    reopened = workflow.assessment_reopen(
        assessment=assessment, user=supervisor, note="New displacement in March."
    )
    core_services.assessment_update(
        assessment=assessment, user=practitioner, base_version=1, title="Borno, March update"
    )

    assert refused_edit.startswith("This assessment is approved and cannot be changed.")
    assert reopened.status == Status.RETURNED
    assert reopened.approved_at is None
    assert _kinds(assessment) == [Kind.SUBMITTED, Kind.APPROVED, Kind.REOPENED]
    assert ReviewEvent.objects.get(kind=Kind.REOPENED).note == "New displacement in March."
    assert Assessment.objects.get(pk=assessment.pk).title == "Borno, March update"
    # The brief frozen at the earlier approval is kept, unchanged.
    assert list(FrozenBrief.objects.filter(assessment=assessment)) == [frozen]


def test_reapproval_freezes_a_second_brief_next_to_the_first(
    client, login, fake_render, assessment, practitioner, supervisor
):
    _approved(assessment, practitioner, supervisor)
    workflow.assessment_reopen(assessment=assessment, user=supervisor, note="Update.")
    _approved(assessment, practitioner, supervisor)

    login(supervisor)
    response = client.get(f"/assessments/{assessment.pk}/brief.pdf")

    briefs_kept = FrozenBrief.objects.filter(assessment=assessment).order_by("id")
    assert [bytes(b.pdf) for b in briefs_kept] == [
        STAND_IN_PDF + b" 1",
        STAND_IN_PDF + b" 2",
    ]
    assert response.content == STAND_IN_PDF + b" 2"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED])
def test_reopening_what_is_not_approved_is_refused(assessment, supervisor, status):
    Assessment.objects.filter(pk=assessment.pk).update(status=status)

    message = _refused(
        workflow.assessment_reopen, assessment=assessment, user=supervisor, note="Why not."
    )

    assert message == (
        f"Only an approved assessment can be reopened; this one is {status.label.lower()}."
    )
    assert _status(assessment) == status
    assert _kinds(assessment) == []


def test_reopen_needs_a_supervisor_and_a_reason(
    fake_render, assessment, practitioner, supervisor, outside_supervisor
):
    _approved(assessment, practitioner, supervisor)

    by_owner = _refused(
        workflow.assessment_reopen, assessment=assessment, user=practitioner, note="Please."
    )
    by_outsider = _refused(
        workflow.assessment_reopen, assessment=assessment, user=outside_supervisor, note="Hm."
    )
    no_reason = _refused(
        workflow.assessment_reopen, assessment=assessment, user=supervisor, note="  "
    )

    assert by_owner == by_outsider == "Only a supervisor of the team North may do this."
    assert no_reason == "Say why the approved assessment is reopened."
    assert _status(assessment) == Status.APPROVED
    assert Kind.REOPENED not in _kinds(assessment)


# --- the trail on the overview ------------------------------------------------------------


def test_every_move_is_on_the_overview_trail_in_order(
    client, login, fake_render, assessment, practitioner, supervisor
):
    _submitted(assessment, practitioner)
    workflow.assessment_comment(assessment=assessment, user=supervisor, text="Check the dates.")
    workflow.assessment_return(assessment=assessment, user=supervisor, note="Dates are off.")
    _submitted(assessment, practitioner)
    workflow.assessment_approve(assessment=assessment, user=supervisor, note="Good now.")
    workflow.assessment_reopen(assessment=assessment, user=supervisor, note="Floods came.")

    html = login(practitioner).get(f"/assessments/{assessment.pk}/").content.decode()

    start = html.index('id="trail-heading"')
    trail = html[start : html.index("</ol>", start)]
    expected = [
        "<strong>Submitted</strong> · pat",
        # A comment's text shows once, in its thread; the trail links there.
        "<strong>Commented</strong> · sue · <a",
        '<strong>Returned</strong> · sue: <span class="prose">Dates are off.',
        "<strong>Submitted</strong> · pat",
        '<strong>Approved</strong> · sue: <span class="prose">Good now.',
        '<strong>Reopened</strong> · sue: <span class="prose">Floods came.',
    ]
    position = 0
    for entry in expected:
        position = trail.index(entry, position) + len(entry)
    assert trail.count("<li") == len(expected)
    assert "Check the dates." not in trail


# --- through the review page --------------------------------------------------------------


def test_return_resubmit_approve_through_the_pages(client, login, assessment, practitioner):
    # A second supervisor approves for real (the brief is rendered and frozen).
    reviewer = member(assessment.team, "rita", Membership.Role.SUPERVISOR)
    PopulationGroupFactory(assessment=assessment, name="Herders")
    review_url = f"/assessments/{assessment.pk}/review/"
    login(practitioner).post(f"/assessments/{assessment.pk}/submit/")

    login(reviewer)
    returned = client.post(
        review_url, {"action": "decide", "decision": "return", "note": "Add the herders."}
    )
    assert returned.status_code == 302
    assert _status(assessment) == Status.RETURNED

    login(practitioner)
    resubmitted = client.post(f"/assessments/{assessment.pk}/submit/")
    assert resubmitted.status_code == 302
    assert _status(assessment) == Status.SUBMITTED

    login(reviewer)
    approved = client.post(review_url, {"action": "decide", "decision": "approve", "note": ""})

    assert approved.status_code == 302
    assert approved["Location"] == review_url
    # Redirects were not followed, so earlier messages are still queued; this one is last.
    assert _messages(approved)[-1] == "Approved. The brief is frozen and can be downloaded."
    assert _status(assessment) == Status.APPROVED
    frozen = FrozenBrief.objects.get(assessment=assessment)
    assert bytes(frozen.pdf).startswith(b"%PDF-")
    assert _kinds(assessment) == [Kind.SUBMITTED, Kind.RETURNED, Kind.SUBMITTED, Kind.APPROVED]
    assert ReviewEvent.objects.get(kind=Kind.RETURNED).note == "Add the herders."


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_review_page_refuses_a_supervisor_who_collaborates(
    client, login, fake_render, assessment, practitioner, supervisor, decision
):
    assessment.collaborators.add(supervisor)
    _submitted(assessment, practitioner)

    response = login(supervisor).post(
        f"/assessments/{assessment.pk}/review/",
        {"action": "decide", "decision": decision, "note": "Looks fine to me."},
    )

    assert response.status_code == 200
    action = "approve" if decision == "approve" else "return"
    assert _messages(response) == [
        "You have owned, collaborated on, submitted or changed this assessment, so you "
        f"cannot {action} it: another supervisor must review it (separation of duties)."
    ]
    assert "separation of duties" in response.content.decode()
    assert _status(assessment) == Status.SUBMITTED
    assert _kinds(assessment) == [Kind.SUBMITTED]
    assert not FrozenBrief.objects.exists()


def test_review_page_return_without_a_note_is_a_form_error(
    client, login, assessment, practitioner, supervisor
):
    _submitted(assessment, practitioner)

    response = login(supervisor).post(
        f"/assessments/{assessment.pk}/review/",
        {"action": "decide", "decision": "return", "note": " "},
    )

    assert response.status_code == 200
    assert response.context["decision_form"].errors == {
        "note": ["Say what needs to change before it can be approved."]
    }
    assert _status(assessment) == Status.SUBMITTED


def test_review_page_reopens_with_a_reason(
    client, login, fake_render, assessment, practitioner, supervisor
):
    _approved(assessment, practitioner, supervisor)

    response = login(supervisor).post(
        f"/assessments/{assessment.pk}/review/", {"action": "reopen", "note": "Floods."}
    )

    assert response.status_code == 302
    assert _messages(response) == [
        "Reopened: the authors can change it again; the earlier brief is kept."
    ]
    assert _status(assessment) == Status.RETURNED
    assert FrozenBrief.objects.filter(assessment=assessment).count() == 1


def test_review_page_refuses_an_unknown_action(client, login, assessment, supervisor):
    response = login(supervisor).post(f"/assessments/{assessment.pk}/review/", {"action": "delete"})

    assert response.status_code == 400
    assert _kinds(assessment) == []


def test_practitioners_do_not_get_the_review_page(client, login, assessment, practitioner):
    response = login(practitioner).post(
        f"/assessments/{assessment.pk}/review/",
        {"action": "decide", "decision": "approve", "note": ""},
    )

    assert response.status_code == 403
    assert _status(assessment) == Status.DRAFT


# --- the dashboard ------------------------------------------------------------------------


def test_dashboard_shows_a_supervisor_what_awaits_their_review_and_not_their_own(
    client, login, team, other_team, version, practitioner, supervisor, outside_supervisor
):
    def make(title, owner, t=team, submit=True):
        a = AssessmentFactory(title=title, team=t, owner=owner, framework_version=version)
        if submit:
            _submitted(a, owner)
        return a

    make("Awaits: Borno floods", practitioner)
    make("Draft: Yobe markets", practitioner, submit=False)
    make("Own: Adamawa roads", supervisor)
    shared = make("Shared: Kano schools", practitioner, submit=False)
    shared.collaborators.add(supervisor)
    _submitted(shared, practitioner)
    make("Other team: Lagos ports", outside_supervisor, t=other_team)

    html = login(supervisor).get("/").content.decode()
    mine, awaiting = html.split('id="review-heading"')

    assert "Awaits: Borno floods" in awaiting
    for title in ("Draft: Yobe markets", "Own: Adamawa roads", "Shared: Kano schools"):
        assert title not in awaiting
    assert "Other team: Lagos ports" not in html
    # Their own and shared work is under "My assessments" instead.
    assert "Own: Adamawa roads" in mine
    assert "Shared: Kano schools" in mine


def test_dashboard_of_a_practitioner_has_nothing_to_review(client, login, assessment, practitioner):
    _submitted(assessment, practitioner)

    html = login(practitioner).get("/").content.decode()
    awaiting = html.split('id="review-heading"')[1]

    assert "Nothing awaits your review." in awaiting
    assert assessment.title not in awaiting


def test_an_approved_assessment_leaves_the_review_queue(
    client, login, fake_render, assessment, practitioner, supervisor
):
    _submitted(assessment, practitioner)
    before = login(supervisor).get("/").content.decode().split('id="review-heading"')[1]
    workflow.assessment_approve(assessment=assessment, user=supervisor)

    after = client.get("/").content.decode().split('id="review-heading"')[1]

    assert assessment.title in before
    assert assessment.title not in after


def test_a_section_comment_shows_on_that_section_until_resolved(
    client, assessment, supervisor, practitioner
):
    context = assessment.framework_version.sections.get(key="context")
    comment = workflow.assessment_comment(
        assessment=assessment, user=supervisor, text="Name the districts.", section=context
    )
    client.force_login(practitioner)

    on_section = client.get(f"/assessments/{assessment.pk}/sections/context/").content.decode()
    elsewhere = client.get(f"/assessments/{assessment.pk}/sections/whom/").content.decode()
    assert "Reviewer comments on this section" in on_section
    assert "Name the districts." in on_section
    assert "Name the districts." not in elsewhere

    workflow.comment_resolve(comment=comment, user=practitioner)
    resolved = client.get(f"/assessments/{assessment.pk}/sections/context/").content.decode()
    assert "Name the districts." not in resolved
