"""Jobs whose worker died are taken back and done once: a lease that ran out, a task the
engine lost, a job that keeps killing its worker. (test_workers.py kills real workers.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.jobs import runner
from assessments.jobs.services import recover_stale_jobs
from assessments.models import FrozenBrief, Job
from assessments.review import services as workflow
from assessments.review import tasks as review_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(fake_render, db_queue, submitted, reviewer) -> Job:
    """An approval whose brief waits in the database queue."""
    workflow.assessment_approve(assessment=submitted, user=reviewer)
    return Job.objects.get()


def _expire_lease(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))


def test_a_job_whose_lease_ran_out_is_done_again_and_its_effect_happens_once(
    queued, run_worker, fake_render
):
    # A worker takes the task and does the work, then stalls past its lease before saving.
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    first = runner._claim(queued.pk)
    first_save = review_tasks._freeze(first)
    _expire_lease(queued)

    assert recover_stale_jobs() == [queued.pk]
    job = Job.objects.get()
    assert (job.status, job.attempts) == ("queued", 1)
    assert job.task_result_id not in ("", queued.task_result_id)
    # The first attempt's task is on record as lost, not running for ever.
    assert DBTaskResult.objects.get(id=queued.task_result_id).status == "FAILED"
    assert run_worker() == 1

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert runner._finish(queued.pk, first_save) is False  # the late attempt drops its work
    frozen = FrozenBrief.objects.get()
    assert bytes(frozen.pdf) == fake_render.pdfs[1]  # the second attempt's rendering
    assert len(fake_render) == 2


def test_a_job_delivered_twice_is_started_once(queued, fake_render):
    assert runner.run_job(queued.pk, work=review_tasks._freeze) == "done"
    assert runner.run_job(queued.pk, work=review_tasks._freeze) == "skipped"

    assert FrozenBrief.objects.count() == 1
    assert len(fake_render) == 1
    assert Job.objects.get().attempts == 1


def test_a_running_job_within_its_lease_is_left_alone(queued):
    runner._claim(queued.pk)

    assert recover_stale_jobs() == []
    assert Job.objects.get().status == "running"


def test_a_job_that_keeps_stopping_its_worker_fails_after_the_last_attempt(
    queued, settings, client, login, reviewer
):
    settings.JOB_MAX_ATTEMPTS = 2
    for _ in range(2):
        runner._claim(queued.pk)
        _expire_lease(queued)
        recover_stale_jobs()

    job = Job.objects.get()
    assert (job.status, job.attempts) == ("failed", 2)
    assert job.error.startswith("The worker stopped while doing this, 2 times. Try again")
    login(reviewer)
    assert "Try again" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_a_task_the_engine_lost_is_sent_again(queued, run_worker, settings):
    DBTaskResult.objects.all().delete()
    Job.objects.update(queued_at=timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS + 1))

    assert recover_stale_jobs() == [queued.pk]
    assert run_worker() == 1
    assert Job.objects.get().status == "done"
    assert FrozenBrief.objects.count() == 1


def test_a_task_waiting_its_turn_is_not_lost(queued, settings):
    Job.objects.update(queued_at=timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS + 1))

    assert recover_stale_jobs() == []
    assert DBTaskResult.objects.get().status == "READY"


def test_a_worker_that_died_after_taking_the_task_but_before_the_job_is_caught(
    queued, run_worker, settings
):
    # django-tasks-db marked its task running; the worker died before our runner started.
    long_ago = timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS + 1)
    DBTaskResult.objects.update(status="RUNNING", started_at=long_ago)
    Job.objects.update(queued_at=long_ago)

    assert recover_stale_jobs() == [queued.pk]
    assert run_worker() == 1
    assert Job.objects.get().status == "done"
