"""Reads of the review: comments, the trail, frozen briefs."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet

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
    """Open threads (their first comments; replies are in the thread)."""
    return comments_of(assessment).filter(resolved_at__isnull=True, parent__isnull=True)


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


# --- threads ------------------------------------------------------------------------

THREAD_KINDS = ("section", "answer", "group", "threat", "response", "source")
# The kind of target -> the Comment field that holds it.
TARGET_FIELDS = {"section": "section", "answer": "prompt", "group": "group"} | {
    k: k for k in ("threat", "response", "source")
}


def threads_of(assessment: Assessment, *, state: str = "", target: tuple | None = None):
    """Thread roots with their replies, open first then newest; `state` "open" or
    "resolved" filters, `target` (kind, object) keeps the threads about one thing.
    Four queries, whatever the number of threads."""
    roots = (
        comments_of(assessment)
        .filter(parent__isnull=True)
        .select_related("prompt", "group", "threat", "response", "source")
        .prefetch_related(Prefetch("replies", queryset=Comment.objects.select_related("author")))
    )
    if state == "open":
        roots = roots.filter(resolved_at__isnull=True)
    elif state == "resolved":
        roots = roots.filter(resolved_at__isnull=False)
    if target is not None:
        kind, obj = target
        roots = roots.filter(**{TARGET_FIELDS[kind]: obj})
        if kind == "section":
            roots = roots.filter(prompt__isnull=True)
    return roots.order_by(F("resolved_at").asc(nulls_first=True), "-created_at", "-id")


def open_thread_counts(assessment: Assessment) -> dict[str, dict[int, int]]:
    """Open threads per target: {"threat": {id: n}, ..., "all": {0: total}} (one query)."""
    counts: dict[str, dict[int, int]] = {kind: {} for kind in THREAD_KINDS} | {"all": {0: 0}}
    fields = ["section_id", "prompt_id", "group_id", "threat_id", "response_id", "source_id"]
    rows = (
        Comment.objects.filter(assessment=assessment, parent__isnull=True, resolved_at__isnull=True)
        .order_by()
        .values_list(*fields)
    )
    for row in rows:
        counts["all"][0] += 1
        for kind, value in zip(THREAD_KINDS, row, strict=True):
            if value is not None:
                counts[kind][value] = counts[kind].get(value, 0) + 1
    return counts


def return_note(assessment: Assessment) -> ReviewEvent | None:
    """The return its authors still have to act on: the last RETURNED event while the
    assessment is returned (a resubmission ends it; a reopening is not a return)."""
    if assessment.status != Assessment.Status.RETURNED:
        return None
    last = (
        ReviewEvent.objects.filter(
            assessment=assessment,
            kind__in=[ReviewEvent.Kind.RETURNED, ReviewEvent.Kind.REOPENED],
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    return last if last is not None and last.kind == ReviewEvent.Kind.RETURNED else None
