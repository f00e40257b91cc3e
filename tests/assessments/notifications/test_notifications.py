"""Notifications (issue 13, item 4): who is told of each review move, in the bell and by
email (locmem outbox), in their language, with nothing of the content; email off is
respected; the unread count, marking read, and nobody sees another's notifications."""

from __future__ import annotations

import html

import pytest
from django.core import mail

from assessments.models import Membership, Notification, NotificationSettings
from assessments.notifications import services
from assessments.review import services as workflow
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
SITE = "https://hsassess.example.org"


@pytest.fixture
def people(team, other_team, assessment, practitioner, supervisor):
    """pat owns the assessment with collaborator carl; sue and vic supervise the team;
    tess is a teammate; olga supervises another team; root is a superuser."""
    carl = member(team, "carl")
    assessment.collaborators.add(carl)
    return {
        "pat": practitioner,
        "carl": carl,
        "sue": supervisor,
        "vic": member(team, "vic", Membership.Role.SUPERVISOR),
        "tess": member(team, "tess"),
        "olga": member(other_team, "olga", Membership.Role.SUPERVISOR),
        "root": UserFactory(username="root", is_superuser=True, is_staff=True),
    }


def _told(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def _mailed() -> set[str]:
    return {address.split("@")[0] for message in mail.outbox for address in message.to}


def _submit(assessment, user, capture):
    with capture(execute=True):
        submitted, _gaps = workflow.assessment_submit(
            assessment=assessment, user=user, site_url=SITE
        )
    return submitted


def test_a_submission_tells_the_supervisors_who_may_decide(
    assessment, people, django_capture_on_commit_callbacks
):
    # vic once changed the context: separation of duties, so vic is not asked.
    from assessments.core import services as core

    core.assessment_update(assessment=assessment, user=people["vic"], base_version=1, title="Borno")
    _submit(assessment, people["pat"], django_capture_on_commit_callbacks)

    assert _told(Kind.SUBMITTED) == {"sue"}
    assert _mailed() == {"sue"}
    [message] = mail.outbox
    assert message.subject == "Submitted for your review: Borno"
    assert f"{SITE}/assessments/{assessment.pk}/review/" in message.body
    [(page, mimetype)] = message.alternatives
    assert mimetype == "text/html" and f'href="{SITE}/assessments/{assessment.pk}/review/"' in page


@pytest.mark.parametrize("move", ["return", "approve", "reopen", "comment"])
def test_review_moves_tell_the_authors_and_nobody_else(
    assessment, people, fake_render, django_capture_on_commit_callbacks, move
):
    submitted = _submit(assessment, people["pat"], django_capture_on_commit_callbacks)
    mail.outbox.clear()
    sue = people["sue"]
    with django_capture_on_commit_callbacks(execute=True):
        if move == "return":
            workflow.assessment_return(assessment=submitted, user=sue, note="Secret note.")
            kind = Kind.RETURNED
        elif move == "comment":
            workflow.assessment_comment(assessment=submitted, user=sue, text="Secret remark.")
            kind = Kind.COMMENTED
        else:
            approved = workflow.assessment_approve(assessment=submitted, user=sue)
            kind = Kind.APPROVED
            if move == "reopen":
                workflow.assessment_reopen(assessment=approved, user=sue, note="Secret.")
                kind = Kind.REOPENED

    assert _told(kind) == {"pat", "carl"}
    assert {address for m in mail.outbox for address in m.to} >= {
        "pat@example.org",
        "carl@example.org",
    }
    assert not _mailed() & {"sue", "vic", "tess", "olga", "root"}
    for message in mail.outbox:
        assert assessment.title in message.subject
        assert "Secret" not in message.body
        assert "Secret" not in message.alternatives[0][0]


def test_nobody_outside_the_team_is_told(
    assessment, people, team, django_capture_on_commit_callbacks
):
    # carl leaves the team: still on the assessment's list, no longer told anything.
    Membership.objects.filter(team=team, user=people["carl"]).delete()
    submitted = _submit(assessment, people["pat"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_return(assessment=submitted, user=people["sue"], note="Redo.")

    assert _told(Kind.RETURNED) == {"pat"}
    assert "olga" not in _told(Kind.SUBMITTED)
    assert "carl" not in _mailed() and "olga" not in _mailed()


def test_email_off_is_respected_and_the_bell_still_rings(
    assessment, people, django_capture_on_commit_callbacks
):
    services.notification_settings_save(user=people["sue"], email=False)

    _submit(assessment, people["pat"], django_capture_on_commit_callbacks)

    assert _told(Kind.SUBMITTED) == {"sue", "vic"}
    assert _mailed() == {"vic"}


def test_the_email_is_in_the_recipients_language(
    assessment, people, django_capture_on_commit_callbacks
):
    services.notification_settings_save(user=people["sue"], email=True, language="fr")

    _submit(assessment, people["pat"], django_capture_on_commit_callbacks)

    pages = {m.to[0]: m.alternatives[0][0] for m in mail.outbox}
    assert '<html lang="fr"' in pages["sue@example.org"]
    assert '<html lang="en"' in pages["vic@example.org"]


def test_a_failing_notification_never_fails_the_move(
    assessment, people, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broken(**kwargs):
        raise RuntimeError("mail templates gone")

    monkeypatch.setattr(services, "send_later", broken)

    submitted = _submit(assessment, people["pat"], django_capture_on_commit_callbacks)

    assert submitted.status == "submitted"
    assert Notification.objects.count() == 0  # rolled back to its savepoint, logged
    assert "Could not notify" in caplog.text


def test_the_bell_counts_unread_and_opening_marks_read(
    client, assessment, people, django_capture_on_commit_callbacks
):
    _submit(assessment, people["pat"], django_capture_on_commit_callbacks)
    client.force_login(people["sue"])

    page = html.unescape(client.get("/").content.decode())
    assert "Notifications <span" in page and ">1<span" in page

    listing = client.get("/assessments/notifications/")
    [notification] = listing.context["page"].object_list
    assert assessment.title in listing.content.decode()
    opened = client.post(f"/assessments/notifications/{notification.pk}/open/")

    assert opened.status_code == 302
    assert opened["Location"] == f"/assessments/{assessment.pk}/review/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert client.get("/").context["unread_notifications"] == 0


def test_mark_all_read(client, assessment, people, django_capture_on_commit_callbacks):
    _submit(assessment, people["pat"], django_capture_on_commit_callbacks)
    client.force_login(people["vic"])

    response = client.post("/assessments/notifications/read/")

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=people["vic"], read_at=None).exists()
    assert Notification.objects.filter(recipient=people["sue"], read_at=None).exists()


@pytest.mark.parametrize("who", ["vic", "pat", "olga", "root"])
def test_another_persons_notification_is_a_404(
    client, assessment, people, django_capture_on_commit_callbacks, who
):
    _submit(assessment, people["pat"], django_capture_on_commit_callbacks)
    notification = Notification.objects.get(recipient=people["sue"])
    client.force_login(people[who])

    opened = client.post(f"/assessments/notifications/{notification.pk}/open/")
    listing = client.get("/assessments/notifications/")

    assert opened.status_code == 404
    assert notification not in listing.context["page"].object_list
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_settings_page_turns_email_off(client, people):
    client.force_login(people["tess"])
    assert client.get("/assessments/notifications/settings/").status_code == 200

    response = client.post(
        "/assessments/notifications/settings/",
        {"language": "es"},  # box unticked: off
    )

    assert response.status_code == 302
    chosen = NotificationSettings.objects.get(user=people["tess"])
    assert (chosen.email, chosen.language) == (False, "es")


def test_the_pages_need_a_sign_in(client):
    response = client.get("/assessments/notifications/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_takes_the_same_queries_for_many_notifications(
    client, assessment, people, django_assert_max_num_queries
):
    Notification.objects.bulk_create(
        Notification(
            recipient=people["pat"], assessment=assessment, kind=Kind.COMMENTED, actor=people["sue"]
        )
        for _ in range(40)
    )
    client.force_login(people["pat"])

    with django_assert_max_num_queries(12):
        response = client.get("/assessments/notifications/")

    assert len(response.context["page"].object_list) == 40
    assert response.content.decode().count("Commented on") == 40
