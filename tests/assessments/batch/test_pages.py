"""The export pages: the form says what is wrong, the progress page follows the export,
a failed export says why and can be tried again, and people other than the team's
supervisors find nothing (the matrix in review/test_permissions_review.py has every role)."""

from __future__ import annotations

import html
import logging
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from assessments.batch import archive, services, tasks
from assessments.models import BatchExport, FrozenBrief, Membership
from tests.assessments.batch.conftest import local
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPORTS = reverse("assessments:batch_exports")
Status = BatchExport.Status


def page(response) -> str:
    return html.unescape(response.content.decode())


def detail(export) -> str:
    return reverse("assessments:batch_export", args=[export.pk])


def queued(team, user, **fields) -> BatchExport:
    """An export as asking leaves it, before its task has run."""
    today = timezone.localdate()
    defaults = {"period_from": today - timedelta(days=30), "period_to": today}
    return BatchExport.objects.create(team=team, requested_by=user, **{**defaults, **fields})


# --- the form -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (
            date(2026, 3, 31),
            date(2026, 3, 1),
            "period_to",
            "The period cannot end before it starts.",
        ),
        (
            None,
            "tomorrow",
            "period_to",
            "This day is still to come; choose today or an earlier day.",
        ),
        (
            "tomorrow",
            "tomorrow",
            "period_from",
            "This day is still to come; choose today or an earlier day.",
        ),
        (date(2026, 3, 1), "", "period_to", "This field is required."),
        (date(2026, 3, 1), "31/03/2026x", "period_to", "Enter a valid date."),
    ],
)
def test_a_wrong_period_is_refused_with_a_message_and_nothing_is_queued(
    client, team, supervisor, approve, start, end, field, message
):
    approve("Floods in the camps", at=local(2026, 3, 10, 12, 0))
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = tomorrow if start == "tomorrow" else start or date(2026, 3, 1)
    end = tomorrow if end == "tomorrow" else end
    client.force_login(supervisor)

    response = client.post(EXPORTS, {"team": team.pk, "period_from": start, "period_to": end})

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in page(response)
    assert not BatchExport.objects.exists()


def test_a_period_without_approvals_is_refused_with_a_message(client, team, supervisor, approve):
    approve("Floods in the camps", at=local(2026, 3, 10, 12, 0))
    client.force_login(supervisor)

    response = client.post(
        EXPORTS, {"team": team.pk, "period_from": "2026-01-01", "period_to": "2026-01-31"}
    )

    assert response.status_code == 200
    assert "No assessment of North was approved between" in page(response)
    assert not BatchExport.objects.exists()


def test_the_form_offers_only_the_teams_one_supervises(
    client, team, other_team, supervisor, other_supervisor
):
    client.force_login(other_supervisor)

    response = client.get(EXPORTS)

    assert list(response.context["form"].fields["team"].queryset) == [other_team]
    assert "North" not in page(response)


def test_a_practitioner_is_told_exports_are_for_supervisors(client, practitioner):
    client.force_login(practitioner)

    response = client.get(EXPORTS)

    assert response.status_code == 403
    assert "Batch exports of approved briefs are made by the supervisors of a team." in page(
        response
    )


def test_the_dashboard_offers_exports_to_supervisors_only(client, practitioner, supervisor):
    client.force_login(supervisor)
    assert f'href="{EXPORTS}"' in client.get("/").content.decode()

    client.force_login(practitioner)
    assert f'href="{EXPORTS}"' not in client.get("/").content.decode()


# --- the progress page ------------------------------------------------------------------------


def test_a_queued_export_page_reloads_itself_and_offers_no_download(client, team, supervisor):
    export = queued(team, supervisor)
    client.force_login(supervisor)

    response = client.get(detail(export))

    content = page(response)
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="3">' in content
    assert "Waiting for a worker to start it." in content
    assert reverse("assessments:batch_export_download", args=[export.pk]) not in content
    assert "no-store" in response["Cache-Control"]
    # Not ready: the download is not there yet.
    download = client.get(reverse("assessments:batch_export_download", args=[export.pk]))
    assert download.status_code == 404


def test_a_running_export_shows_how_far_it_got(client, team, supervisor):
    export = queued(team, supervisor)
    BatchExport.objects.filter(pk=export.pk).update(
        status=Status.RUNNING, briefs_done=3, briefs_total=8
    )
    client.force_login(supervisor)

    content = page(client.get(detail(export)))

    assert "3 of 8 briefs packed." in content
    assert 'max="8" value="3"' in content
    assert 'http-equiv="refresh"' in content


def test_every_supervisor_of_the_team_sees_the_export_and_others_do_not(
    client, team, supervisor, practitioner, other_supervisor, approve
):
    approve("Floods in the camps")
    export = queued(team, supervisor)
    services.batch_export_build(export_id=export.pk, site_url="https://hsassess.example.org")
    colleague = MembershipFactory(
        team=team, user=UserFactory(username="vic"), role=Membership.Role.SUPERVISOR
    ).user
    download = reverse("assessments:batch_export_download", args=[export.pk])

    client.force_login(colleague)
    assert client.get(download).status_code == 200
    for person in (practitioner, other_supervisor):
        client.force_login(person)
        assert client.get(detail(export)).status_code == 404
        assert client.get(download).status_code == 404
    # The person who asked, once no longer a supervisor of the team, loses it too.
    Membership.objects.filter(user=supervisor).update(role=Membership.Role.PRACTITIONER)
    client.force_login(supervisor)
    assert client.get(download).status_code == 404
    assert client.get(EXPORTS).status_code == 403


# --- failures and retries -------------------------------------------------------------------


def test_a_tampered_brief_fails_the_export_with_a_reason_and_a_retry_rebuilds_it(
    client, approve, ask, django_capture_on_commit_callbacks
):
    assessment = approve("Floods in the camps")
    frozen = FrozenBrief.objects.get(assessment=assessment)
    genuine = bytes(frozen.pdf)
    FrozenBrief.objects.filter(pk=frozen.pk).update(pdf=genuine + b"tampered")

    ask()

    export = BatchExport.objects.get()
    assert export.status == Status.FAILED
    content = page(client.get(detail(export)))
    assert (
        "The frozen brief of “Floods in the camps” no longer matches the SHA-256 recorded at "
        "its approval, so nothing was exported." in content
    )
    assert reverse("assessments:batch_export_retry", args=[export.pk]) in content
    assert 'http-equiv="refresh"' not in content

    FrozenBrief.objects.filter(pk=frozen.pk).update(pdf=genuine)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessments:batch_export_retry", args=[export.pk]))

    assert response.status_code == 302
    assert response["Location"] == detail(export)
    export.refresh_from_db()
    assert export.status == Status.DONE
    assert export.error == ""
    assert export.briefs_total == 1


def test_an_unexpected_error_fails_the_export_with_a_general_message_and_is_logged(
    client, approve, ask, monkeypatch, caplog
):
    approve("Floods in the camps")

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "build_archive", broken)

    with caplog.at_level(logging.ERROR):
        response = ask()

    export = BatchExport.objects.get()
    assert response.status_code == 302  # the request is not the one that failed
    assert export.status == Status.FAILED
    assert export.error.startswith("The export could not be built. Try again;")
    assert "disk full" not in page(client.get(detail(export)))
    assert f"Batch export {export.pk} failed." in caplog.text
    assert "RuntimeError: disk full" in caplog.text


def test_a_queue_that_cannot_be_reached_fails_the_export_so_it_can_be_retried(
    approve, ask, monkeypatch
):
    approve("Floods in the camps")

    class Unreachable:
        def enqueue(self, *args):
            raise ConnectionError("the broker is down")

    monkeypatch.setattr(tasks, "run_batch_export", Unreachable())

    ask()

    export = BatchExport.objects.get()
    assert export.status == Status.FAILED
    assert export.error == "The export could not be queued. Try again in a moment."


def test_only_a_failed_export_can_be_tried_again(client, team, supervisor):
    export = queued(team, supervisor)
    client.force_login(supervisor)

    response = client.post(reverse("assessments:batch_export_retry", args=[export.pk]))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Only a failed export can be tried again; this one is queued."
    ]
    assert BatchExport.objects.get().status == Status.QUEUED


def test_retrying_takes_a_post(client, team, supervisor):
    export = queued(team, supervisor, status=Status.FAILED, error="It failed.")
    client.force_login(supervisor)

    response = client.get(reverse("assessments:batch_export_retry", args=[export.pk]))

    assert response.status_code == 405
    assert BatchExport.objects.get().status == Status.FAILED


def test_a_task_delivered_twice_builds_once(team, supervisor, approve):
    approve("Floods in the camps")
    export = queued(team, supervisor)
    site = "https://hsassess.example.org"

    first = tasks.run_batch_export.call(export.pk, site, "en")
    archive_once = bytes(BatchExport.objects.get().archive)
    second = tasks.run_batch_export.call(export.pk, site, "en")

    assert (first, second) == ("done", "done")
    assert bytes(BatchExport.objects.get().archive) == archive_once
    assert tasks.run_batch_export.call(export.pk + 1000, site, "en") == "gone"


def test_the_archive_name_says_team_and_period(team, supervisor):
    export = queued(team, supervisor, period_from=date(2026, 1, 1), period_to=date(2026, 3, 31))

    assert archive.archive_filename(export) == "north-approved-briefs-2026-01-01-to-2026-03-31.zip"
