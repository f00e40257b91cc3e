"""Monitoring pages: an assessment's indicators with their status, one indicator's
readings (recorded here, in any status of the assessment), the early-warning board."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import permissions
from assessments.access import assessment_view
from assessments.editing import apply_errors
from assessments.models import Assessment, Indicator
from assessments.monitoring import forms, selectors, services
from assessments.monitoring import reassess as reassess_service


@assessment_view("view")
def monitoring(request, assessment: Assessment):
    return render(
        request,
        "assessments/monitoring.html",
        {
            "assessment": assessment,
            "states": selectors.indicator_states(assessment),
            "perms": permissions.perms_for(request.user, assessment),
        },
    )


@require_http_methods(["GET", "POST"])
@assessment_view("view", post="record_reading")
def readings(request, assessment: Assessment, iid: int):
    """One indicator's series; its authors and supervisors add a reading here."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("threat"), pk=iid, threat__assessment=assessment
    )
    may_record = permissions.can_record_reading(request.user, assessment)
    form = forms.ReadingForm(request.POST or None, indicator=indicator) if may_record else None
    if request.method == "POST" and form.is_valid():
        try:
            reading, warnings = services.reading_record(
                indicator=indicator, user=request.user, **form.values()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Reading recorded."))
            for warning in warnings:
                messages.warning(request, warning)
            if reading.crossed:
                messages.warning(request, _("This reading crossed the indicator's threshold."))
            return redirect("assessments:readings", assessment.pk, indicator.pk)
    indicator.threat.assessment = assessment
    state = selectors.state_of(indicator, list(indicator.readings.order_by("date")))
    return render(
        request,
        "assessments/readings.html",
        {"assessment": assessment, "indicator": indicator, "state": state, "form": form},
    )


def early_warning(request):
    """Indicators of the person's teams that crossed their threshold or are overdue."""
    return render(
        request, "assessments/early_warning.html", {"states": selectors.board_for(request.user)}
    )


@require_http_methods(["POST"])
@assessment_view("reassess")
def reassess(request, assessment: Assessment):
    """Start a new draft from this approved assessment, linked to it as its baseline."""
    try:
        result = reassess_service.assessment_reassess(baseline=assessment, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("assessments:detail", assessment.pk)
    messages.success(
        request,
        _("Re-assessment started: a new draft with everything carried over from the baseline."),
    )
    if result.moved_to:
        messages.info(
            request,
            _("It uses the framework's latest version, v%(n)d.") % {"n": result.moved_to},
        )
    for reason in result.stayed_because:
        messages.warning(
            request,
            _("It stays on the baseline's framework version: %(reason)s") % {"reason": reason},
        )
    return redirect("assessments:detail", result.assessment.pk)
