"""How a worker does one job, whichever task engine delivered it: exactly once.

A task (in its concern's tasks.py) calls `run_job(job_id, work=...)`. The job is claimed
with a lease that a heartbeat renews while `work` runs, outside any transaction (a brief
takes seconds to render and must not hold locks). `work` returns a `save` function that
records the effect (a frozen brief, a result file); it runs in the same transaction that
marks the job done, and only if no other attempt finished first. So a worker killed
mid-job leaves nothing behind but an expired lease: `recover_stale_jobs` (in services.py)
queues the job again, and its effect still happens once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import Job

logger = logging.getLogger(__name__)

Status = Job.Status
Save = Callable[[Job], None]


class JobError(Exception):
    """A failure to show the person as it is: translated, no internals."""


class WorkerLost(Exception):
    """Recorded on an engine's task whose worker died mid-job (see services.py)."""


def lease() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def run_job(job_id: int, *, work: Callable[[Job], Save]) -> str:
    """Do the job once; return what happened ("done", "failed" raises, "skipped")."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    # The person's language, for what the work writes and for an error message.
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            with _heartbeat(job_id, job.attempts):
                save = work(job)
        except Exception as exc:
            _fail(job_id, exc)
            raise
    return "done" if _finish(job_id, save) else "skipped"


def _claim(job_id: int) -> Job | None:
    """Queued → running, as one conditional UPDATE: of two deliveries of the same job
    (a recovered one and a late one), only one starts it."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        lease_until=now + lease(),
    )
    if not claimed:
        logger.info("Job %s is not waiting (done, failed, running or gone): skipped.", job_id)
        return None
    return Job.objects.select_related("assessment", "approval").get(pk=job_id)


@contextmanager
def _heartbeat(job_id: int, attempt: int) -> Iterator[None]:
    """Renew the lease every third of it while the work runs, from a thread of its own
    (the work is one long call). A job shorter than that never touches the database."""
    stop = threading.Event()
    interval = settings.JOB_LEASE_SECONDS / 3

    def beat() -> None:
        try:
            while not stop.wait(interval):
                Job.objects.filter(pk=job_id, status=Status.RUNNING, attempts=attempt).update(
                    lease_until=timezone.now() + lease()
                )
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _finish(job_id: int, save: Save) -> bool:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status == Status.DONE:
            # Another attempt (after this one's lease ran out) got there first.
            logger.warning("Job %s was already done: this attempt's result is dropped.", job_id)
            return False
        save(job)
        job.status = Status.DONE
        job.error = ""
        job.lease_until = None
        job.finished_at = timezone.now()
        job.save()
        return True


def _fail(job_id: int, exc: Exception) -> None:
    if isinstance(exc, JobError):
        message = str(exc)
    else:
        logger.exception("Job %s failed", job_id)
        message = _(
            "Something went wrong while doing this. Try again; if it fails again, tell "
            "an administrator (the details are in the server's log)."
        )
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status == Status.DONE:
            return
        job.status = Status.FAILED
        job.error = message
        job.lease_until = None
        job.finished_at = timezone.now()
        job.save()
