"""The PDF brief: a pure function from an assessment to bytes."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from assessments.briefs.fetcher import BRIEF_ORIGIN, StaticOnlyFetcher
from assessments.content.selectors import AssessmentData, component_dimension_map, risk_matrix
from assessments.lens import is_serious, lens_check
from assessments.models import Assessment, ReviewEvent
from assessments.review.selectors import review_trail


@dataclass
class BriefOptions:
    public: bool = False


def _public_view(data: AssessmentData) -> None:
    """Leave out sensitive groups and everything that points at them."""
    sensitive = {g.pk for g in data.groups if g.sensitive}
    if not sensitive:
        return
    data.groups = [g for g in data.groups if g.pk not in sensitive]
    data.threats = [
        t for t in data.threats if not any(g.pk in sensitive for g in t.affected_groups.all())
    ]
    kept = {t.pk for t in data.threats}
    data.responses = [
        r
        for r in data.responses
        if r.group_id not in sensitive and all(t.pk in kept for t in r.threats.all())
    ]


# A brief is read in minutes: the highest risks get a full paragraph, every threat
# gets one line, and early warning covers the serious ones. This also keeps a
# 200-threat brief to a couple of dozen pages, which WeasyPrint lays out in seconds.
PRIORITY_THREATS = 10


def brief_context(assessment: Assessment, *, public: bool = False) -> dict:
    data = AssessmentData(assessment)
    if public:
        _public_view(data)
    by_dimension = []
    for dimension in data.dimensions:
        threats = [t for t in data.threats if t.dimension_id == dimension.pk]
        if threats:
            by_dimension.append({"dimension": dimension, "threats": threats})
    strategies = []
    for value, label in type(data.responses[0]).Strategy.choices if data.responses else []:
        rows = [r for r in data.responses if r.strategy == value]
        if rows:
            strategies.append({"label": label, "responses": rows})
    # The brief's trail shows the decisions; comments are working notes.
    events = list(review_trail(assessment).exclude(kind=ReviewEvent.Kind.COMMENTED))
    return {
        "assessment": assessment,
        "data": data,
        "public": public,
        "draft": assessment.status != Assessment.Status.APPROVED,
        "lens": lens_check(data),
        "matrix": risk_matrix(data),
        "cdmap": component_dimension_map(data),
        "by_dimension": by_dimension,
        "strategies": strategies,
        "priority": sorted(data.threats, key=lambda t: (t.risk_score, t.urgency), reverse=True)[
            :PRIORITY_THREATS
        ],
        "compact_list": len(data.threats) > PRIORITY_THREATS,
        "early_warning": [
            t
            for t in data.threats
            if is_serious(data, t) and (t.root_causes.strip() or t.indicators.all())
        ],
        "events": events,
        "generated_at": timezone.now(),
        "static_origin": BRIEF_ORIGIN,
    }


def brief_html(assessment: Assessment, *, public: bool = False) -> str:
    return render_to_string(
        "assessments/brief/brief.html", brief_context(assessment, public=public)
    )


def html_to_pdf(html: str) -> bytes:
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=BRIEF_ORIGIN + "/", url_fetcher=fetcher)
    # PDF/UA-1: tagged structure, title shown, document language set from <html lang>.
    return document.write_pdf(pdf_variant="pdf/ua-1")


def render_brief_pdf(
    *, assessment: Assessment, public: bool = False, language: str | None = None
) -> bytes:
    """The brief of an assessment as PDF bytes (DRAFT watermark unless approved)."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return html_to_pdf(brief_html(assessment, public=public))
