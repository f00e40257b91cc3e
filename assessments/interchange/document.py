"""The whole assessment as one JSON document (the export, and the snapshot that
approval freezes). References go by key, never by database id.

Exporters return (filename, content_type, bytes), like pretix's."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from assessments import fields
from assessments.content.selectors import AssessmentData
from assessments.interchange.evidence import add_evidence
from assessments.models import (
    Assessment,
)
from assessments.monitoring.interchange import baseline_reference, indicator_document

FORMAT_ID = "hsassess-assessment/1"


# Plain fields, as the services write them; relations are exported by key below.
GROUP_FIELDS = fields.scalar(fields.GROUP)
THREAT_FIELDS = fields.scalar(fields.THREAT)
INDICATOR_FIELDS = fields.INDICATOR
RESPONSE_FIELDS = fields.scalar(fields.RESPONSE)


def export_filename(
    assessment: Assessment, extension: str, *, suffix: str = "", on: date | None = None
) -> str:
    slug = slugify(assessment.title)[:60] or "assessment"
    return f"{slug}{suffix}-{(on or timezone.localdate()).isoformat()}.{extension}"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def assessment_document(data: AssessmentData) -> dict[str, Any]:
    """The whole assessment as plain data, with references by key, never by database id."""
    a = data.assessment
    version = data.version
    # A threat's reference is its number (T3), the one every page and brief shows.
    threat_refs = {t.pk: t.ref for t in data.threats}
    document = {
        "format": FORMAT_ID,
        "framework": {"slug": version.framework.slug, "version": version.number},
        "assessment": {
            "title": a.title,
            "language": a.language,
            "team": a.team.slug,
            "owner": a.owner.get_username(),
            "collaborators": sorted(c.get_username() for c in a.collaborators.all()),
            "country": a.country,
            "area": a.area,
            "population_focus": a.population_focus,
            "period_start": _iso(a.period_start),
            "period_end": _iso(a.period_end),
            "key_points": a.key_points,
            "public_key_points": a.public_key_points,
            "status": a.status,
        },
        "answers": [
            {"section": section.key, "prompt": prompt.key, "text": data.answers[prompt.pk].text}
            for section in data.sections
            for prompt in section.prompts.all()
            if prompt.pk in data.answers
        ],
        "groups": [{f: getattr(g, f) for f in GROUP_FIELDS} for g in data.groups],
        "threats": [
            {
                "ref": threat_refs[t.pk],
                **{f: getattr(t, f) for f in THREAT_FIELDS},
                "dimension": t.dimension.key,
                "further_dimensions": [d.key for d in t.further_dimensions.all()],
                "affected_groups": sorted(g.name for g in t.affected_groups.all()),
                "tags": [
                    {"component": tag.component.key, "rationale": tag.rationale}
                    for tag in t.tags.all()
                ],
                "indicators": [indicator_document(i) for i in t.indicators.all()],
            }
            for t in data.threats
        ],
        "responses": [
            {
                **{f: getattr(r, f) for f in RESPONSE_FIELDS},
                "groups": sorted(g.name for g in r.groups.all()),
                "threats": sorted(threat_refs[t.pk] for t in r.threats.all()),
            }
            for r in data.responses
        ],
    }
    add_evidence(document, data)  # sources, quotes, citations: interchange/evidence.py
    if a.baseline_id:  # by reference only: it is another document (monitoring/interchange.py)
        document["assessment"]["baseline"] = baseline_reference(a)
    retired = _retired_answers(data)
    if retired:  # only after a move to a newer framework version (assessments/upgrade/)
        document["retired_answers"] = retired
    return document


def _retired_answers(data: AssessmentData) -> list[dict[str, Any]]:
    """Answers to prompts the assessment's version no longer has: kept, and exported for
    reading (the import skips them: their prompts are not in the version it writes to)."""
    current = {p.pk for s in data.sections for p in s.prompts.all()}
    return [
        {
            "version": answer.prompt.section.version.number,
            "section": answer.prompt.section.key,
            "prompt": answer.prompt.key,
            "prompt_text": answer.prompt.text,
            "text": answer.text,
        }
        for prompt_id, answer in sorted(data.answers.items())
        if prompt_id not in current
    ]


def document_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def export_json(data: AssessmentData) -> tuple[str, str, bytes]:
    return (
        export_filename(data.assessment, "json"),
        "application/json",
        document_bytes(assessment_document(data)),
    )
