"""Reads of the review: comments, the trail, frozen briefs."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.models import (
    Assessment,
    Comment,
    FrozenBrief,
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
