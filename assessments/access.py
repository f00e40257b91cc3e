"""Loading an assessment for a page, by permission, and serving downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.core.selectors import assessment_for_page
from assessments.models import (
    Assessment,
)


def load_assessment(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(assessment_for_page(request.user), pk=pk)


def load_editable(request: HttpRequest, pk: int) -> Assessment | HttpResponse:
    """The assessment if this person may change it now; otherwise a 403, or a redirect
    to the overview explaining why the status forbids it."""
    assessment = load_assessment(request, pk)
    if not permissions.can_author(request.user, assessment):
        raise PermissionDenied(_("Only the owner and collaborators may change this assessment."))
    if not assessment.is_editable_status:
        messages.warning(
            request,
            _(
                "This assessment is %(status)s: it cannot be changed until a supervisor returns "
                "or reopens it."
            )
            % {"status": assessment.get_status_display().lower()},
        )
        return redirect("assessments:detail", assessment.pk)
    return assessment


def file_response(filename: str, content_type: str, content: bytes, *, inline: bool = False):
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
