"""The brief: the PDF download (both editions), the one-page summary on screen, and the
public edition's preview (what it will print, what it withholds, what blocks it)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.access import assessment_view, file_response
from assessments.briefs import public as edition
from assessments.briefs import render as briefs
from assessments.briefs import services
from assessments.models import Assessment
from assessments.review.download import frozen_brief_response
from assessments.review.selectors import approved_brief


@assessment_view("download_brief")
def brief_pdf(request, assessment: Assessment):
    """The brief, in the analysis's language or in any interface language (`?lang=fr`):
    the frozen bytes once approved (a "being prepared" page until they exist), a DRAFT
    rendering before that; a large brief goes to a background job. The public edition
    is refused (409, with the places to fix) while it would name a sensitive group."""
    variant = request.GET.get("variant", "full")
    if variant not in ("full", "public"):
        return HttpResponseBadRequest(_("Unknown variant: use variant=public or leave it out."))
    language = _language(request, assessment)
    if language is None:
        return _unknown_language()
    public = variant == "public"
    # Approval freezes the brief in the analysis's language. Another language is a
    # rendering of the same approved content (it cannot change until reopened), never
    # the frozen file under another name.
    if (
        assessment.status == Assessment.Status.APPROVED
        and not public
        and language == assessment.language
    ):
        frozen, job = approved_brief(assessment)
        if frozen is not None:
            filename = briefs.brief_filename(assessment, public=False, language=language)
            return frozen_brief_response(request, frozen=frozen, filename=filename)
        if job is not None:
            return redirect("jobs:detail", job.pk)
        return render(
            request, "assessments/brief_preparing.html", {"assessment": assessment}, status=202
        )
    filename = briefs.brief_filename(assessment, public=public, language=language)
    # Checked here as well as in the renderer, so a refused edition never queues.
    if public and (hits := edition.public_hits(assessment)):
        return _blocked(request, assessment, hits)
    if services.renders_in_background(assessment):
        job = services.brief_request(
            assessment=assessment, user=request.user, public=public, language=language
        )
        return redirect("jobs:detail", job.pk)
    try:
        pdf = briefs.render_brief_pdf(assessment=assessment, public=public, language=language)
    except edition.PublicEditionBlocked as blocked:
        return _blocked(request, assessment, blocked.hits)
    return file_response(filename, "application/pdf", pdf)


def _language(request, assessment: Assessment) -> str | None:
    """The brief's language: `?lang=`, else the analysis's; None for an unknown code."""
    try:
        return briefs.brief_language(assessment, request.GET.get("lang"))
    except briefs.UnknownLanguage:
        return None


def _unknown_language():
    codes = ", ".join(code for code, _name in settings.LANGUAGES)
    return HttpResponseBadRequest(
        _("Unknown language: use lang= with one of %(codes)s, or leave it out.") % {"codes": codes}
    )


def _on_screen(request, assessment: Assessment, template: str, *, public: bool, **extra):
    """A page showing page 1 of the brief as the PDF prints it: that part in the brief's
    language (and direction), the page around it in the person's."""
    language = _language(request, assessment)
    if language is None:
        return _unknown_language()
    with translation.override(language):
        context = briefs.brief_context(assessment, public=public)
        context.update(extra)
        part = render_to_string("assessments/brief/_summary.html", context, request=request)
        bidi = translation.get_language_bidi()
    context.update(
        brief_part=part,
        brief_language=language,
        brief_dir="rtl" if bidi else "ltr",
        lang_query=f"lang={language}" if language != assessment.language else "",
    )
    return render(request, template, context)


def _blocked(request, assessment: Assessment, hits: list):
    context = {"assessment": assessment, "hits": hits}
    return render(request, "assessments/brief/public_blocked.html", context, status=409)


@assessment_view("view")
def brief_summary(request, assessment: Assessment):
    """Page 1 of the brief on screen (restricted edition: team members only), in the
    brief's language (`?lang=` as for the PDF)."""
    return _on_screen(request, assessment, "assessments/brief/summary.html", public=False)


@assessment_view("view")
def public_preview(request, assessment: Assessment):
    """Exactly what the public edition prints, what it withholds, and what blocks it."""
    hits = edition.public_hits(assessment)
    return _on_screen(
        request, assessment, "assessments/brief/public_preview.html", public=True, hits=hits
    )
