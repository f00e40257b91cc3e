"""Asking for background work, trying it again, and taking it back from dead workers.

Each kind of job is done by one task, defined with `django_tasks.task` in its concern's
tasks.py and named in TASKS below; the task calls runner.run_job with the work.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks.utils import get_module_path
from django_tasks_db import DatabaseBackend

from assessments import permissions
from assessments.jobs.runner import WorkerLost, lease
from assessments.models import Assessment, Job, ReviewEvent

logger = logging.getLogger(__name__)

Status = Job.Status

TASKS: dict[str, str] = {
    Job.Kind.BRIEF: "assessments.briefs.tasks.render_brief",
    Job.Kind.FREEZE: "assessments.review.tasks.freeze_brief",
}


def task_for(kind: str) -> Task:
    return import_string(TASKS[kind])


@transaction.atomic
def job_create(
    *,
    kind: str,
    user,
    assessment: Assessment | None = None,
    params: dict | None = None,
    approval: ReviewEvent | None = None,
    snapshot: str = "",
) -> Job:
    """Record a job and hand it to the task engine."""
    job = Job(
        kind=kind,
        requested_by=user,
        assessment=assessment,
        params=params or {},
        approval=approval,
        snapshot=snapshot,
    )
    job.full_clean()
    job.save()
    _send(job)
    return job


def _send(job: Job) -> None:
    """Enqueue the job's task, so that no worker can start it before the job row is
    committed, nor after a rollback.

    The database backend's queue is a table of this database: enqueued within the
    transaction, the task commits with the job or not at all, and no worker sees it
    before (nothing can be lost between the commit and the enqueue). The immediate
    backend runs the task right here, on the same connection. Any other backend (RQ)
    lives outside the transaction, so it is sent once the transaction has committed; if
    that fails, the job waits queued and recover_stale_jobs sends it again."""
    task = task_for(job.kind)
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend | ImmediateBackend):
        _enqueue(job.pk, task)
    else:
        transaction.on_commit(partial(_enqueue, job.pk, task), robust=True)


def _enqueue(job_id: int, task: Task) -> None:
    result = task.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_result_id=result.id)


@transaction.atomic
def job_retry(*, job: Job, user) -> Job:
    """Queue a failed job again, as the person who sees it failed asks."""
    job = Job.objects.select_for_update(of=("self",)).select_related("assessment").get(pk=job.pk)
    if not permissions.can_see_job(user, job):
        raise ValidationError(_("You may not retry this job."))
    if job.status != Status.FAILED:
        raise ValidationError(
            _("Only a failed job can be tried again; this one is %(status)s.")
            % {"status": job.get_status_display().lower()}
        )
    if job.kind == Job.Kind.FREEZE and not _approval_is_current(job):
        raise ValidationError(
            _(
                "This approval was reopened since, so its brief cannot be frozen any more. "
                "Approve the assessment again to freeze a new one."
            )
        )
    job.status = Status.QUEUED
    job.attempts = 0
    job.error = ""
    job.task_result_id = ""
    job.queued_at = timezone.now()
    job.started_at = job.finished_at = None
    job.requested_by = job.requested_by or user
    job.full_clean()
    job.save()
    _send(job)
    return job


def _approval_is_current(job: Job) -> bool:
    assessment = job.assessment
    latest = (
        ReviewEvent.objects.filter(assessment=assessment, kind=ReviewEvent.Kind.APPROVED)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return assessment.status == Assessment.Status.APPROVED and latest == job.approval_id


# --- recovery ---------------------------------------------------------------------------------


LOOK_AT_MOST = 200


def recover_stale_jobs(*, now: datetime | None = None) -> list[int]:
    """Queue again the jobs whose worker died: running past their lease, or queued while
    the task engine lost their task. Several workers may run this at once: each job is
    taken back by one conditional UPDATE. Returns the ids of the jobs queued again."""
    now = now or timezone.now()
    recovered = []
    running = Job.objects.filter(status=Status.RUNNING, lease_until__lt=now)
    for job in running.only("pk", "kind", "status", "attempts", "task_result_id", "params"):
        if _take_back(job, now):
            recovered.append(job.pk)
    # A long backlog is not lost work: look at its oldest part only, one question to the
    # engine per job.
    waiting = Job.objects.filter(status=Status.QUEUED, queued_at__lt=now - lease())
    waiting = waiting.order_by("queued_at", "pk")[:LOOK_AT_MOST]
    for job in waiting.only("pk", "kind", "status", "attempts", "task_result_id", "params"):
        if _task_lost(job, now) and _take_back(job, now):
            recovered.append(job.pk)
    return recovered


def _task_lost(job: Job, now: datetime) -> bool:
    """Has the engine dropped the task of a job that is still queued?"""
    if not job.task_result_id:
        return True  # sent after a commit, and the sending failed
    backend = task_for(job.kind).get_backend()
    if not backend.supports_get_result:
        return False
    try:
        result = backend.get_result(job.task_result_id)
    except TaskResultDoesNotExist:
        return True
    if result.status == TaskResultStatus.READY:
        return False  # waiting its turn behind other work
    if result.status == TaskResultStatus.RUNNING:
        # A worker took the task but died before it claimed the job.
        return result.started_at is None or result.started_at < now - lease()
    return True  # the task ended without ever claiming the job


@transaction.atomic
def _take_back(job: Job, now: datetime) -> bool:
    same = Job.objects.filter(
        pk=job.pk, status=job.status, attempts=job.attempts, task_result_id=job.task_result_id
    )
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            error = _(
                "The worker stopped while doing this, %(n)d times. Try again; if it stops "
                "again, tell an administrator."
            ) % {"n": job.attempts}
        same.update(status=Status.FAILED, error=error, lease_until=None, finished_at=now)
        logger.error("Job %s failed: its worker stopped %d times.", job.pk, job.attempts)
        return False
    if not same.update(status=Status.QUEUED, lease_until=None, queued_at=now, task_result_id=""):
        return False  # another worker took it back first, or it moved on
    _mark_task_lost(job, now)
    logger.warning("Job %s is queued again: its worker stopped or lost it.", job.pk)
    _send(Job.objects.get(pk=job.pk))
    return True


def _mark_task_lost(job: Job, now: datetime) -> None:
    """The database backend would show the dead worker's task as running forever: record
    it as failed, so its table tells the same story as the job."""
    if not job.task_result_id:
        return
    if not isinstance(task_for(job.kind).get_backend(), DatabaseBackend):
        return
    from django_tasks_db.models import DBTaskResult

    # A ValidationError: not a UUID, so the id came from another backend.
    with contextlib.suppress(ValidationError):
        DBTaskResult.objects.filter(id=job.task_result_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=get_module_path(WorkerLost),
            traceback="The worker stopped during this task; the job was queued again.",
        )
