"""Asking for a brief that is rendered in the background (a large one)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Length

from assessments.jobs.services import job_create
from assessments.models import Answer, Assessment, Job, PopulationGroup, Response, Threat


def renders_in_background(assessment: Assessment) -> bool:
    """A brief of many threats, or of much text, takes WeasyPrint long enough to tie up a
    server process and time out a proxy: past BRIEF_BACKGROUND_THREATS threats, or
    BRIEF_BACKGROUND_CHARS characters of written analysis, it goes to a worker."""
    if Threat.objects.filter(assessment=assessment).count() > settings.BRIEF_BACKGROUND_THREATS:
        return True
    return written_size(assessment) > settings.BRIEF_BACKGROUND_CHARS


# The long texts a brief prints, by model (the short ones add little to its cost).
LONG_TEXTS = {
    Answer: ("text",),
    PopulationGroup: ("description",),
    Threat: ("description", "root_causes"),
    Response: ("description",),
}


def written_size(assessment: Assessment) -> int:
    """Characters of written analysis in the assessment, in one query per kind."""
    total = len(assessment.key_points) + len(assessment.public_key_points)
    for model, names in LONG_TEXTS.items():
        sums = model.objects.filter(assessment=assessment).aggregate(
            **{name: Sum(Length(name)) for name in names}
        )
        total += sum(value or 0 for value in sums.values())
    return total


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
