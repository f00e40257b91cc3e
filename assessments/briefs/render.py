"""The PDF brief: a pure function from an assessment to bytes.

Two editions: the restricted one (everything, for the team and its supervisors) and the
public one (public.py: sensitive groups redacted, refused while a sensitive name is in
its text). What each says is context.py; this module turns it into a tagged PDF."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from assessments.briefs import public as edition
from assessments.briefs.context import brief_context
from assessments.briefs.fetcher import BRIEF_ORIGIN, StaticOnlyFetcher
from assessments.briefs.pageart import PageArt
from assessments.interchange.document import export_filename
from assessments.models import Assessment

__all__ = [
    "brief_context",
    "brief_filename",
    "brief_html",
    "brief_language",
    "html_to_pdf",
    "render_brief_pdf",
]


class UnknownLanguage(ValueError):
    """A brief was asked for in a language the interface does not speak."""


def brief_language(assessment: Assessment, requested: str | None = None) -> str:
    """The language a brief is rendered in: the one asked for (any interface language),
    else the one the analysis is written in. Headings, labels, dates and numbers follow
    it; the analysts' text is printed as written."""
    if not requested:
        return assessment.language
    if requested not in dict(settings.LANGUAGES):
        raise UnknownLanguage(requested)
    return requested


def brief_filename(assessment: Assessment, *, public: bool, language: str) -> str:
    """`<title>-brief-<date>.pdf`; the public edition says so, and a brief in another
    language than the analysis's says which (`-brief-fr-`): two downloads never share a name."""
    suffix = ("-public" if public else "") + "-brief"
    if language != assessment.language:
        suffix += f"-{language}"
    return export_filename(assessment, "pdf", suffix=suffix)


def _page_art(context: dict) -> PageArt:
    status = _("Public edition") if context["public"] else _("Restricted")
    if context["draft"]:
        status = _("DRAFT") + " · " + status
    return PageArt(
        title=context["assessment"].title,
        status=status,
        team=context["author_line"],
        draft=context["draft"],
        rtl=translation.get_language_bidi(),
    )


def brief_html(assessment: Assessment, *, public: bool = False) -> tuple[str, PageArt]:
    """The brief's HTML and the page backgrounds it refers to."""
    context = brief_context(assessment, public=public)
    art = _page_art(context)
    context["page_art_css"] = art.css()
    return render_to_string("assessments/brief/brief.html", context), art


def html_to_pdf(html: str, *, assets: PageArt | None = None) -> bytes:
    fetcher = StaticOnlyFetcher()
    if assets is not None:
        fetcher.generated = assets
    # PDF/UA-1: tagged structure, title shown, language from <html lang>; header, footer
    # and watermark are artifacts (pageart.py), so the claim holds.
    options = {"pdf_variant": "pdf/ua-1"}
    document = HTML(string=html, base_url=BRIEF_ORIGIN + "/", url_fetcher=fetcher).render(**options)
    if assets is not None:
        # The footers ("Page N of M") are fetched when the pages are drawn, just below.
        assets.total = len(document.pages)
    return document.write_pdf(**options)


def render_brief_pdf(
    *, assessment: Assessment, public: bool = False, language: str | None = None
) -> bytes:
    """The brief of an assessment as PDF bytes (DRAFT watermark unless approved), in
    `language` (brief_language: the assessment's own when not given).

    The public edition raises PublicEditionBlocked while a sensitive group's name or
    other name is in text it would print."""
    # Not the interface language of whoever asks: a brief is the analysis's document.
    with translation.override(brief_language(assessment, language)):
        if public and (hits := edition.public_hits(assessment)):
            raise edition.PublicEditionBlocked(hits)
        html, art = brief_html(assessment, public=public)
        return html_to_pdf(html, assets=art)
