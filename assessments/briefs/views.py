"""The brief: the PDF download (both editions), the one-page summary on screen, and the
public edition's preview (what it will print, what it withholds, what blocks it)."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from assessments.access import assessment_view, file_response
from assessments.briefs import public as edition
from assessments.briefs import render as briefs
from assessments.interchange.document import export_filename
from assessments.models import Assessment
from assessments.review.download import frozen_brief_response
from assessments.review.freeze import latest_frozen


@assessment_view("download_brief")
def brief_pdf(request, assessment: Assessment):
    """The brief: the frozen bytes once approved, a DRAFT rendering before that; the
    public edition is refused (409, with the places to fix) while it would name a
    sensitive group."""
    variant = request.GET.get("variant", "full")
    if variant not in ("full", "public"):
        return HttpResponseBadRequest(_("Unknown variant: use variant=public or leave it out."))
    suffix = "-public" if variant == "public" else ""
    filename = export_filename(assessment, "pdf", suffix=suffix + "-brief")
    frozen = latest_frozen(assessment)
    if assessment.status == Assessment.Status.APPROVED and variant == "full" and frozen:
        return frozen_brief_response(request, frozen=frozen, filename=filename)
    try:
        pdf = briefs.render_brief_pdf(assessment=assessment, public=variant == "public")
    except edition.PublicEditionBlocked as blocked:
        return _blocked(request, assessment, blocked.hits)
    return file_response(filename, "application/pdf", pdf)


def _blocked(request, assessment: Assessment, hits: list):
    context = {"assessment": assessment, "hits": hits}
    return render(request, "assessments/brief/public_blocked.html", context, status=409)


@assessment_view("view")
def brief_summary(request, assessment: Assessment):
    """Page 1 of the brief on screen (restricted edition: team members only)."""
    context = briefs.brief_context(assessment)
    return render(request, "assessments/brief/summary.html", context)


@assessment_view("view")
def public_preview(request, assessment: Assessment):
    """Exactly what the public edition prints, what it withholds, and what blocks it."""
    hits = edition.public_hits(assessment)
    context = briefs.brief_context(assessment, public=True)
    context["hits"] = hits
    return render(request, "assessments/brief/public_preview.html", context)
