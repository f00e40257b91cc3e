"""Review in place, on the pages where things are read: `{% thread_link assessment kind
pk %}` (open threads on one thing, and where reviewers start one) and `{% return_banner
assessment %}` (the return note, for its authors until they resubmit)."""

from __future__ import annotations

from django import template

from assessments import permissions
from assessments.review.selectors import open_thread_counts, return_note

register = template.Library()


def thread_counts(assessment) -> dict:
    """Open threads per target, counted once per page (cached on the object)."""
    counts = getattr(assessment, "_hs_thread_counts", None)
    if counts is None:
        counts = assessment._hs_thread_counts = open_thread_counts(assessment)
    return counts


@register.simple_tag
def open_threads(assessment, kind: str = "all", pk: int = 0) -> int:
    return thread_counts(assessment)[kind].get(pk, 0)


@register.inclusion_tag("assessments/_thread_link.html", takes_context=True)
def thread_link(context, assessment, kind: str, pk: int, label: str = "") -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "assessment": assessment,
        "kind": kind,
        "pk": pk,
        "label": label,
        "open": thread_counts(assessment)[kind].get(pk, 0),
        "can_comment": user is not None and permissions.can_comment(user, assessment),
    }


@register.inclusion_tag("assessments/_return_banner.html", takes_context=True)
def return_banner(context, assessment) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    show = user is not None and user.is_authenticated and permissions.can_author(user, assessment)
    return {"assessment": assessment, "returned": return_note(assessment) if show else None}
