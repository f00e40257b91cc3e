"""Submitting for review, the review page, resolving comments, frozen briefs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments import permissions
from assessments.access import assessment_view
from assessments.content.selectors import AssessmentData
from assessments.editing import apply_errors
from assessments.interchange.document import export_filename
from assessments.lens import lens_check
from assessments.models import Assessment, FrozenBrief, ReviewEvent
from assessments.review import forms, selectors, services
from assessments.review.download import frozen_brief_response
from assessments.review.thread_views import (
    back_to_threads,
    site_url,
    thread_move,
    threads_with_links,
)


@require_http_methods(["GET", "POST"])
@assessment_view("submit")
def assessment_submit(request, assessment: Assessment):
    """Confirm and submit for review; lens-check gaps are shown but do not block."""
    if request.method == "POST":
        try:
            _assessment_now, gaps = services.assessment_submit(
                assessment=assessment, user=request.user, site_url=site_url(request)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if gaps:
                messages.warning(
                    request,
                    _("Submitted for review with %(n)d lens-check gap(s): %(gaps)s")
                    % {"n": len(gaps), "gaps": "; ".join(gaps)},
                )
            else:
                messages.success(request, _("Submitted for review."))
        return redirect("assessments:detail", assessment.pk)
    data = AssessmentData(assessment)
    return render(
        request,
        "assessments/assessment_submit.html",
        {
            "assessment": assessment,
            "lens": lens_check(data),
            "can_submit": permissions.can_submit(request.user, assessment),
        },
    )


@require_http_methods(["GET", "POST"])
@assessment_view("comment")
def assessment_review(request, assessment: Assessment):
    """Comments, the decision (return or approve) and reopening, for supervisors."""
    action = request.POST.get("action", "")
    comment_form = forms.CommentForm(
        request.POST if action == "comment" else None, assessment=assessment
    )
    decision_form = forms.DecisionForm(request.POST if action == "decide" else None)
    reopen_form = forms.ReopenForm(request.POST if action == "reopen" else None)
    if request.method == "POST":
        bound = {"comment": comment_form, "decide": decision_form, "reopen": reopen_form}.get(
            action
        )
        if bound is None:
            return HttpResponseBadRequest(_("Unknown review action."))
        if bound.is_valid():
            try:
                done = _review_action(request, assessment, action, bound.cleaned_data)
            except ValidationError as exc:
                apply_errors(bound, exc)
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, done)
                return redirect("assessments:review", assessment.pk)
    data = AssessmentData(assessment)
    events = list(selectors.review_trail(assessment))
    threads = threads_with_links(assessment)
    return render(
        request,
        "assessments/assessment_review.html",
        {
            "assessment": assessment,
            "perms": permissions.perms_for(request.user, assessment),
            "lens": lens_check(data),
            "comments": threads,
            "events": events,
            "returned_before": any(e.kind == ReviewEvent.Kind.RETURNED for e in events),
            "back": request.get_full_path(),
            "comment_form": comment_form,
            "decision_form": decision_form,
            "reopen_form": reopen_form,
        },
    )


def _review_action(request, assessment: Assessment, action: str, data: dict) -> str:
    user, url = request.user, site_url(request)
    if action == "comment":
        services.assessment_comment(
            assessment=assessment,
            user=user,
            text=data["text"],
            section=data["section"],
            site_url=url,
        )
        return _("Comment added.")
    if action == "reopen":
        services.assessment_reopen(
            assessment=assessment, user=user, note=data["note"], site_url=url
        )
        return _("Reopened: the authors can change it again; the earlier brief is kept.")
    if data["decision"] == "approve":
        approved = services.assessment_approve(
            assessment=assessment, user=user, note=data["note"], site_url=url
        )
        if selectors.approved_brief(approved)[0] is not None:
            return _("Approved. The brief is frozen and can be downloaded.")
        return _("Approved. The brief is being frozen and can be downloaded in a moment.")
    services.assessment_return(assessment=assessment, user=user, note=data["note"], site_url=url)
    return _("Returned to the authors.")


@require_POST
@assessment_view("resolve_comment")
def comment_resolve(request, assessment: Assessment, cid: int):
    thread_move(request, assessment, cid, services.comment_resolve, _("Comment resolved."))
    back = request.POST.get("back")
    if back == "threads":
        return redirect(back_to_threads(request, assessment))
    if back == "review" and permissions.can_comment(request.user, assessment):
        return redirect("assessments:review", assessment.pk)
    return redirect("assessments:detail", assessment.pk)


@assessment_view("export_final")
def frozen_brief_pdf(request, assessment: Assessment, fid: int):
    """A brief frozen at an earlier approval, kept after a reopen (supervisors)."""
    frozen = get_object_or_404(FrozenBrief, pk=fid, assessment=assessment)
    filename = export_filename(
        assessment, "pdf", suffix="-approved-brief", on=timezone.localdate(frozen.created_at)
    )
    return frozen_brief_response(request, frozen=frozen, filename=filename)
