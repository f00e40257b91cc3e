"""The dashboard, the list, creating an assessment, its overview and its context."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from assessments import permissions
from assessments.access import assessment_view
from assessments.content.selectors import AssessmentData, component_dimension_map, risk_matrix
from assessments.core import forms, selectors, services
from assessments.editing import apply_errors, versioned_save
from assessments.lens import lens_check
from assessments.models import Assessment, ReviewEvent
from assessments.monitoring.selectors import crossings_for
from assessments.paging import window
from assessments.review.freeze import verify_frozen
from assessments.review.selectors import (
    approved_brief,
    frozen_briefs_of,
    open_comments_of,
    review_trail,
)

logger = logging.getLogger(__name__)


def dashboard(request):
    """The signed-in person's own work and, for supervisors, what awaits their review."""
    context = {
        **selectors.dashboard_for(request.user),
        "can_export_briefs": permissions.can_export_some_team(request.user),
        "crossings": crossings_for(request.user),
    }
    return render(request, "assessments/dashboard.html", context)


def assessment_list(request):
    user = request.user
    teams = permissions.teams_for_new_assessment(user)
    form = forms.AssessmentFilterForm(
        request.GET or None,
        teams=teams,
        dimension_choices=selectors.dimension_choices_for(user),
    )
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
    page = window(selectors.assessment_list(user, **filters), request.GET.get("page"), per_page=20)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/assessment_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
def assessment_create(request):
    teams = permissions.teams_for_new_assessment(request.user)
    if not teams.exists():
        raise PermissionDenied(
            _(
                "You are not a member of any team, so you cannot create an "
                "assessment yet. Ask an administrator to add you to a team."
            )
        )
    form = forms.AssessmentCreateForm(request.POST or None, teams=teams)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            assessment = services.assessment_create(user=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Assessment created. Start with the context."))
            if not permissions.eligible_supervisors(assessment):
                messages.warning(request, NOBODY_CAN_APPROVE)
            return redirect("assessments:detail", assessment.pk)
    return render(request, "assessments/assessment_form.html", {"form": form, "creating": True})


@assessment_view("view")
def assessment_detail(request, assessment: Assessment):
    perms = permissions.perms_for(request.user, assessment)
    events = list(review_trail(assessment))
    # Frozen briefs exist only after an approval: skip the lookups before that.
    ever_approved = any(e.kind == ReviewEvent.Kind.APPROVED for e in events)
    frozen_list = list(frozen_briefs_of(assessment)) if ever_approved else []
    # The current approval's brief, or the job still freezing it.
    frozen, freeze_job = approved_brief(assessment)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "perms": perms,
            "analysis": _overview_analysis(request, assessment, links=perms["edit"]),
            "events": events,
            "frozen_list": frozen_list,
            "open_comments": open_comments_of(assessment),
            "frozen": frozen,
            "frozen_check": verify_frozen(frozen) if frozen else None,
            "freeze_job": freeze_job,
            "freeze_job_link": freeze_job and permissions.can_see_job(request.user, freeze_job),
        },
    )


def _overview_analysis(request, assessment: Assessment, *, links: bool) -> dict[str, str]:
    """The analysis parts of the overview (progress, pictures, lens check, history).

    They change only when the assessment's content does, and every content write
    moves `updated_at`; so the rendered parts are cached under that stamp and a page
    view after the first costs a handful of queries, however large the assessment.
    """
    key = selectors.overview_cache_key(assessment, links=links)
    parts = _quietly(cache.get, key)
    if parts is None:
        data = AssessmentData(assessment)
        context = {
            "assessment": assessment,
            "data": data,
            "lens": lens_check(data),
            "links": links,
            "progress": data.section_progress(),
            "matrix": risk_matrix(data),
            "cdmap": component_dimension_map(data),
            "history": selectors.recent_history(assessment),
        }
        parts = {
            name: render_to_string(f"assessments/{template}.html", context, request=request)
            for name, template in (
                ("main", "_overview_main"),
                ("lens", "_lens_check"),
                ("history", "_overview_history"),
            )
        }
        _quietly(cache.set, key, parts, timeout=OVERVIEW_CACHE_SECONDS)
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308 - our own rendering


OVERVIEW_CACHE_SECONDS = 60 * 60


def _quietly(operation, *args, **kwargs):
    """The cache is a shortcut: when it fails (a shared Redis that is down), the page
    costs a rendering instead of an error."""
    try:
        return operation(*args, **kwargs)
    except Exception:
        logger.warning("The cache failed; the overview was rendered without it.", exc_info=True)
        return None


@require_http_methods(["GET", "POST"])
@assessment_view("edit")
def assessment_edit(request, assessment: Assessment):
    manage = permissions.can_manage_collaborators(request.user, assessment)
    # Who may still judge it: the owner is warned before leaving nobody (ISSUE 13, 6).
    eligible = permissions.eligible_supervisors(assessment) if manage else []
    form = forms.AssessmentContextForm(
        request.POST or None, instance=assessment, can_manage_collaborators=manage
    )
    conflict = None
    if form.is_valid():
        values = {k: form.cleaned_data[k] for k in services.ASSESSMENT_FIELDS}
        form, conflict, saved = versioned_save(
            request,
            form,
            save=lambda: services.assessment_update(
                assessment=assessment,
                user=request.user,
                base_version=form.base_version,
                collaborators=form.cleaned_data.get("collaborators") if manage else None,
                **values,
            ),
            rebuild=lambda data, current: forms.AssessmentContextForm(
                data, instance=current, can_manage_collaborators=manage
            ),
        )
        if saved:
            messages.success(request, _("Context saved."))
            fresh = Assessment.objects.get(pk=assessment.pk)
            if eligible and not permissions.eligible_supervisors(fresh):
                messages.warning(request, NOBODY_CAN_APPROVE)
            return redirect("assessments:detail", assessment.pk)
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "form": form,
            "assessment": assessment,
            "conflict": conflict,
            "manage_collaborators": manage,
            "eligible_supervisors": eligible,
            "nobody_can_approve": NOBODY_CAN_APPROVE,
        },
    )


NOBODY_CAN_APPROVE = _lazy(
    "Nobody in the team can return or approve this assessment now: no supervisor of the "
    "team is left who has not owned, collaborated on or changed it (separation of "
    "duties). Ask for another supervisor to be added to the team."
)
