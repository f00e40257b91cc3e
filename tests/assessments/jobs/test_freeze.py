"""Approval freezes the brief in the background: the decision and the snapshot are
recorded at once, the PDF is rendered by a worker from exactly what was approved, and
until it exists the pages say it is being prepared (never a stale or draft brief)."""

from __future__ import annotations

import hashlib
import html
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from assessments.briefs import render as brief_render
from assessments.models import Assessment, FrozenBrief, Job, ReviewEvent
from assessments.review import services as workflow
from tests.standins import STAND_IN_PDF

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_approval_records_the_snapshot_and_a_worker_freezes_the_brief(
    client, login, fake_render, run_worker, submitted, reviewer
):
    workflow.assessment_approve(assessment=submitted, user=reviewer, note="Sound.")

    # Recorded with the decision: the job, exactly what was approved, a queued task.
    job = Job.objects.get(assessment=submitted)
    assert (job.kind, job.status, job.requested_by) == ("freeze", "queued", reviewer)
    assert (job.approval.kind, job.approval.note) == (ReviewEvent.Kind.APPROVED, "Sound.")
    approved = json.loads(job.snapshot)
    assert approved["assessment"]["status"] == "approved"
    assert [t["title"] for t in approved["threats"]] == ["Flooding of the camps"]
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "READY"
    # Nothing rendered while the approval held the row lock.
    assert fake_render == []
    assert not FrozenBrief.objects.exists()

    login(reviewer)
    base = f"/assessments/{submitted.pk}"
    overview = _page(client.get(f"{base}/"))
    assert "The approved brief is being prepared" in overview
    assert f'href="/jobs/{job.pk}/"' in overview
    brief = client.get(f"{base}/brief.pdf")
    assert brief.status_code == 302
    assert brief["Location"] == f"/jobs/{job.pk}/"
    waiting = _page(client.get(brief["Location"]))
    assert "Waiting for a worker" in waiting
    assert "Download the approved brief" not in waiting
    with pytest.raises(ValidationError, match="still being prepared"):
        workflow.assessment_reopen(assessment=submitted, user=reviewer, note="Floods came.")

    assert run_worker() == 1

    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("done", 1, "")
    frozen = FrozenBrief.objects.get(assessment=submitted)
    pdf = bytes(frozen.pdf)
    assert frozen.approval == job.approval
    assert frozen.snapshot == job.snapshot
    assert pdf == fake_render.pdfs[-1]
    assert fake_render == [(submitted.pk, False)]
    assert frozen.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert frozen.snapshot_sha256 == hashlib.sha256(job.snapshot.encode()).hexdigest()
    assert client.get(f"{base}/brief.pdf").content == pdf
    done = _page(client.get(f"/jobs/{job.pk}/"))
    assert "Download the approved brief (PDF)" in done
    assert f'href="{base}/briefs/{frozen.pk}.pdf"' in done
    assert client.get(f"{base}/briefs/{frozen.pk}.pdf").content == pdf
    assert "Verified: the PDF and the snapshot match" in _page(client.get(f"{base}/"))
    workflow.assessment_reopen(assessment=submitted, user=reviewer, note="Floods came.")


def test_the_approval_message_says_whether_the_brief_is_frozen_yet(
    client, login, fake_render, settings, submitted, reviewer
):
    login(reviewer)
    url = f"/assessments/{submitted.pk}/review/"
    decision = {"action": "decide", "decision": "approve", "note": ""}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    response = client.post(url, decision, follow=True)

    assert "Approved. The brief is being frozen and can be downloaded in a moment." in (
        _page(response)
    )


def test_the_task_and_the_approval_commit_together_or_not_at_all(
    fake_render, db_queue, submitted, reviewer
):
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.assessment_approve(assessment=submitted, user=reviewer)
        raise RuntimeError("the request failed after the approval")

    assert Assessment.objects.get(pk=submitted.pk).status == "submitted"
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_backend_outside_the_database_is_sent_the_task_after_the_commit(
    django_capture_on_commit_callbacks, settings, fake_render, submitted, reviewer
):
    # RQ keeps its queue in Redis: a worker there could start before the commit.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.assessment_approve(assessment=submitted, user=reviewer)
    job = Job.objects.get()
    assert job.task_result_id == ""
    assert task_backends["default"].results == []

    for callback in callbacks:
        callback()

    job.refresh_from_db()
    results = {r.id: r for r in task_backends["default"].results}
    assert results.pop(job.task_result_id).args == [job.pk]
    # The others are the authors' notification emails, sent after the same commit.
    assert {r.task.name for r in results.values()} <= {"send_email"}


def test_a_change_after_approval_is_never_frozen_as_approved(
    client, login, fake_render, run_worker, submitted, reviewer
):
    workflow.assessment_approve(assessment=submitted, user=reviewer)
    # A change that goes around the services (reopening waits for the freeze).
    Assessment.objects.filter(pk=submitted.pk).update(title="Changed behind its back")

    run_worker()

    job = Job.objects.get()
    assert job.status == "failed"
    assert "changed after it was approved" in job.error
    assert not FrozenBrief.objects.exists()
    assert fake_render == []
    login(reviewer)
    overview = _page(client.get(f"/assessments/{submitted.pk}/"))
    assert "Freezing the approved brief failed." in overview
    # A failed freeze no longer holds the assessment: it can be reopened and fixed, and
    # the old approval's job cannot be retried any more.
    workflow.assessment_reopen(assessment=submitted, user=reviewer, note="Fix the title.")
    with pytest.raises(ValidationError, match="reopened since"):
        from assessments.jobs.services import job_retry

        job_retry(job=job, user=reviewer)


def test_a_failed_freeze_says_why_without_internals_and_a_retry_freezes_it(
    client, login, fake_render, monkeypatch, submitted, reviewer
):
    def broken(**kwargs):
        raise RuntimeError("WeasyPrint crashed in /srv/app/secret.py")

    monkeypatch.setattr(brief_render, "render_brief_pdf", broken)
    workflow.assessment_approve(assessment=submitted, user=reviewer)
    job = Job.objects.get()
    login(reviewer)

    page = _page(client.get(f"/jobs/{job.pk}/"))

    assert job.status == "failed"
    assert "Failed" in page
    assert "Something went wrong while doing this. Try again" in page
    assert "RuntimeError" not in page
    assert "secret" not in page
    assert "Try again" in page
    assert client.get(f"/assessments/{submitted.pk}/brief.pdf")["Location"] == f"/jobs/{job.pk}/"

    monkeypatch.setattr(brief_render, "render_brief_pdf", fake_render)
    retried = client.post(f"/jobs/{job.pk}/retry/")

    assert retried.status_code == 302
    assert retried["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts) == ("done", "", 1)
    frozen = FrozenBrief.objects.get()
    assert bytes(frozen.pdf).startswith(STAND_IN_PDF)
    again = client.post(f"/jobs/{job.pk}/retry/", follow=True)
    assert "Only a failed job can be tried again; this one is done." in _page(again)
    assert FrozenBrief.objects.count() == 1


def test_an_approved_brief_without_its_job_answers_being_prepared(
    client, login, fake_render, db_queue, submitted, reviewer
):
    # A job removed by hand (say, pruned): still no 500 and no draft in its place.
    workflow.assessment_approve(assessment=submitted, user=reviewer)
    Job.objects.all().delete()
    login(reviewer)

    response = client.get(f"/assessments/{submitted.pk}/brief.pdf")

    assert response.status_code == 202
    assert "The approved brief is being prepared" in _page(response)
    assert fake_render == []


def test_a_reapproval_never_serves_the_earlier_approvals_brief(
    client, login, fake_render, settings, submitted, reviewer, practitioner
):
    workflow.assessment_approve(assessment=submitted, user=reviewer)
    workflow.assessment_reopen(assessment=submitted, user=reviewer, note="New figures.")
    workflow.assessment_submit(assessment=submitted, user=practitioner)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    workflow.assessment_approve(assessment=submitted, user=reviewer)
    second = Job.objects.get(status="queued")
    login(reviewer)

    response = client.get(f"/assessments/{submitted.pk}/brief.pdf")

    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{second.pk}/"
    assert FrozenBrief.objects.count() == 1
