"""Reads of background jobs."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments import permissions
from assessments.models import FrozenBrief, Job


def job_for_page(user, job_id: int) -> Job:
    """The job, for someone who may follow it; a 404 for anyone else (or no such job).
    Its result bytes and snapshot stay in the database until asked for."""
    job = get_object_or_404(
        Job.objects.select_related("assessment__team").defer("result", "snapshot"), pk=job_id
    )
    if not permissions.can_see_job(user, job):
        raise Http404
    return job


def job_result(job: Job) -> bytes | None:
    data = Job.objects.filter(pk=job.pk).values_list("result", flat=True).first()
    return None if data is None else bytes(data)


def frozen_brief_of(job: Job) -> int | None:
    """The id of the brief a freezing job froze."""
    return (
        FrozenBrief.objects.filter(approval_id=job.approval_id).values_list("pk", flat=True).first()
    )
