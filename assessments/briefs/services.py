"""Asking for a brief that is rendered in the background (a large one)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from assessments.jobs.services import job_create
from assessments.models import Assessment, Job, Threat


def renders_in_background(assessment: Assessment) -> bool:
    """A brief of many threats takes WeasyPrint long enough to tie up a server process
    and time out a proxy: past BRIEF_BACKGROUND_THREATS it goes to a worker."""
    threshold = settings.BRIEF_BACKGROUND_THREATS
    return Threat.objects.filter(assessment=assessment).count() > threshold


@transaction.atomic
def brief_request(*, assessment: Assessment, user, public: bool, language: str) -> Job:
    """The job that renders this brief: the person's own earlier one while it is still
    good (asked for since the assessment last changed, not failed), else a new one. So a
    second click, or a reload, does not render it twice."""
    params = {"variant": "public" if public else "full", "language": language}
    earlier = (
        Job.objects.filter(
            kind=Job.Kind.BRIEF,
            assessment=assessment,
            requested_by=user,
            params__variant=params["variant"],
            params__language=language,
            created_at__gte=assessment.updated_at,
        )
        .exclude(status=Job.Status.FAILED)
        .defer("result")
        .first()
    )
    if earlier is not None:
        return earlier
    return job_create(kind=Job.Kind.BRIEF, user=user, assessment=assessment, params=params)
