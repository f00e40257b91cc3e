"""The brief as a download."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from assessments.access import assessment_view, file_response
from assessments.briefs import render
from assessments.interchange.document import export_filename
from assessments.models import Assessment
from assessments.review.download import frozen_brief_response
from assessments.review.freeze import latest_frozen


@assessment_view("download_brief")
def brief_pdf(request, assessment: Assessment):
    """The brief: the frozen bytes once approved, a DRAFT rendering before that."""
    variant = request.GET.get("variant", "full")
    if variant not in ("full", "public"):
        return HttpResponseBadRequest(_("Unknown variant: use variant=public or leave it out."))
    suffix = "-public" if variant == "public" else ""
    filename = export_filename(assessment, "pdf", suffix=suffix + "-brief")
    frozen = latest_frozen(assessment)
    if assessment.status == Assessment.Status.APPROVED and variant == "full" and frozen:
        return frozen_brief_response(request, frozen=frozen, filename=filename)
    pdf = render.render_brief_pdf(assessment=assessment, public=variant == "public")
    return file_response(filename, "application/pdf", pdf)
