"""Reads of the review: comments, the trail, frozen briefs."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.models import (
    Assessment,
    Comment,
    FrozenBrief,
    Job,
    ReviewEvent,
)


def comments_of(assessment: Assessment) -> QuerySet:
    return Comment.objects.filter(assessment=assessment).select_related(
        "author", "section", "resolved_by"
    )


def review_trail(assessment: Assessment) -> QuerySet:
    return ReviewEvent.objects.filter(assessment=assessment).select_related("actor")


def open_comments_of(assessment: Assessment) -> QuerySet:
    return comments_of(assessment).filter(resolved_at__isnull=True)


def frozen_briefs_of(assessment: Assessment) -> QuerySet:
    """Every brief frozen at an approval, newest first, without loading the bytes."""
    return (
        FrozenBrief.objects.filter(assessment=assessment)
        .defer("pdf", "snapshot")
        .select_related("approval__actor")
        .order_by("-created_at", "-id")
    )


def current_approval(assessment: Assessment) -> ReviewEvent | None:
    """The approval the assessment stands on now (None unless it is approved)."""
    if assessment.status != Assessment.Status.APPROVED:
        return None
    approvals = ReviewEvent.objects.filter(assessment=assessment, kind=ReviewEvent.Kind.APPROVED)
    return approvals.order_by("-created_at", "-id").first()


def approved_brief(assessment: Assessment) -> tuple[FrozenBrief | None, Job | None]:
    """The current approval's frozen brief; while it is being prepared (or if that failed),
    None and the job that freezes it. Never an earlier approval's brief."""
    approval = current_approval(assessment)
    if approval is None:
        return None, None
    frozen = FrozenBrief.objects.filter(approval=approval).first()
    if frozen is not None:
        return frozen, None
    return None, Job.objects.filter(approval=approval).defer("snapshot", "result").first()


def freezing_pending(assessment: Assessment) -> bool:
    """Is the current approval's brief still waiting to be frozen (queued or running)?"""
    approval = current_approval(assessment)
    return (
        approval is not None
        and Job.objects.filter(
            approval=approval, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).exists()
    )
