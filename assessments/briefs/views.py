"""The brief as a download."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.access import assessment_view, file_response
from assessments.briefs import render as brief_render
from assessments.briefs import services
from assessments.interchange.document import export_filename
from assessments.models import Assessment
from assessments.review.selectors import approved_brief


@assessment_view("download_brief")
def brief_pdf(request, assessment: Assessment):
    """The brief: the frozen bytes once approved (a "being prepared" page until they
    exist), a DRAFT rendering before that; a large brief goes to a background job."""
    variant = request.GET.get("variant", "full")
    if variant not in ("full", "public"):
        return HttpResponseBadRequest(_("Unknown variant: use variant=public or leave it out."))
    public = variant == "public"
    if assessment.status == Assessment.Status.APPROVED and not public:
        frozen, job = approved_brief(assessment)
        if frozen is not None:
            filename = export_filename(assessment, "pdf", suffix="-brief")
            return file_response(filename, "application/pdf", bytes(frozen.pdf))
        if job is not None:
            return redirect("jobs:detail", job.pk)
        return render(
            request, "assessments/brief_preparing.html", {"assessment": assessment}, status=202
        )
    if services.renders_in_background(assessment):
        job = services.brief_request(
            assessment=assessment,
            user=request.user,
            public=public,
            language=translation.get_language(),
        )
        return redirect("jobs:detail", job.pk)
    suffix = "-public" if public else ""
    filename = export_filename(assessment, "pdf", suffix=suffix + "-brief")
    pdf = brief_render.render_brief_pdf(assessment=assessment, public=public)
    return file_response(filename, "application/pdf", pdf)
