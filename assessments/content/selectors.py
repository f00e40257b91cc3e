"""Reads of an assessment's content. Each page's data comes from a fixed number of
queries, whatever the number of threats, groups or answers (prefetching lives here)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Answer,
    Assessment,
    ComponentTag,
    PopulationGroup,
    Response,
    Threat,
)
from frameworks.selectors import load_content, scales_of


def threats_of(assessment: Assessment) -> QuerySet:
    return (
        Threat.objects.filter(assessment=assessment)
        .select_related("dimension")
        .prefetch_related(
            "affected_groups",
            Prefetch("tags", queryset=ComponentTag.objects.select_related("component")),
            "indicators__readings",
        )
    )


def responses_of(assessment: Assessment) -> QuerySet:
    return (
        Response.objects.filter(assessment=assessment)
        .select_related("group")
        .prefetch_related("threats")
    )


def groups_of(assessment: Assessment) -> QuerySet:
    return PopulationGroup.objects.filter(assessment=assessment)


def answers_by_prompt(assessment: Assessment) -> dict[int, Answer]:
    return {
        a.prompt_id: a
        for a in Answer.objects.filter(assessment=assessment).select_related("updated_by")
    }


class AssessmentData:
    """Everything about one assessment that the overview, the lens check and the brief
    read, loaded once."""

    def __init__(self, assessment: Assessment):
        self.assessment = assessment
        self.version = load_content(assessment.framework_version)
        self.sections = list(self.version.sections.all())
        self.components = list(self.version.components.all())
        self.dimensions = list(self.version.dimensions.all())
        self.scales = scales_of(self.version)
        self.answers = answers_by_prompt(assessment)
        self.groups = list(groups_of(assessment))
        self.threats = list(threats_of(assessment))
        self.responses = list(responses_of(assessment))

    def answer_text(self, prompt_key: str) -> str:
        for section in self.sections:
            for prompt in section.prompts.all():
                if prompt.key == prompt_key:
                    answer = self.answers.get(prompt.pk)
                    return answer.text.strip() if answer else ""
        return ""

    def has_prompt(self, prompt_key: str) -> bool:
        return any(p.key == prompt_key for s in self.sections for p in s.prompts.all())

    def section_progress(self) -> list[dict]:
        rows = []
        for section in self.sections:
            prompts = list(section.prompts.all())
            answered = [p for p in prompts if (a := self.answers.get(p.pk)) and a.text.strip()]
            required_missing = [p for p in prompts if p.required and p not in answered]
            rows.append(
                {
                    "section": section,
                    "total": len(prompts),
                    "answered": len(answered),
                    "required_missing": required_missing,
                }
            )
        return rows

    def level_label(self, scale: str, value: int) -> str:
        for level in self.scales.get(scale, []):
            if level.value == value:
                return level.label
        return str(value)


BANDS = ("critical", "high", "medium", "low")
BAND_WORDS = {
    "critical": _("Critical"),
    "high": _("High"),
    "medium": _("Medium"),
    "low": _("Low"),
}


def _top_score(data: AssessmentData) -> int:
    likelihoods = data.scales["likelihood"]
    severities = data.scales["severity"]
    return (likelihoods[-1].value if likelihoods else 1) * (
        severities[-1].value if severities else 1
    )


def band_of(likelihood: int, severity: int, top: int) -> str:
    """The risk band of a likelihood × severity score, as a share of the highest score."""
    share = likelihood * severity / (top or 1)
    return (
        "critical"
        if share >= 0.6
        else "high"
        if share >= 0.36
        else "medium"
        if share >= 0.16
        else "low"
    )


def threat_band(data: AssessmentData, threat) -> str:
    return band_of(threat.likelihood, threat.severity, _top_score(data))


def by_risk(threats) -> list:
    """Highest risk first: likelihood × severity, then urgency, then the number."""
    return sorted(threats, key=lambda t: (-t.risk_score, -t.urgency, t.number))


def risk_matrix(data: AssessmentData) -> dict:
    """Likelihood (rows, high to low) × severity (columns): threats in cells, with a band."""
    likelihoods = list(reversed(data.scales["likelihood"]))
    severities = data.scales["severity"]
    top = _top_score(data)
    cells = {(t.likelihood, t.severity): [] for t in data.threats}
    for threat in data.threats:
        cells[(threat.likelihood, threat.severity)].append(threat)
    rows = []
    for lv in likelihoods:
        row = []
        for sv in severities:
            band = band_of(lv.value, sv.value, top)
            row.append(
                {
                    "severity": sv,
                    "band": band,
                    "band_word": BAND_WORDS[band],
                    "threats": sorted(cells.get((lv.value, sv.value), []), key=lambda t: t.number),
                }
            )
        rows.append({"likelihood": lv, "cells": row})
    legend = [{"band": b, "word": BAND_WORDS[b]} for b in BANDS]
    return {"rows": rows, "severities": severities, "legend": legend}


def component_dimension_map(data: AssessmentData) -> dict:
    """How many threats carry each component tag in each dimension."""
    counts = {(d.pk, c.pk): 0 for d in data.dimensions for c in data.components}
    totals = {d.pk: 0 for d in data.dimensions}
    for threat in data.threats:
        totals[threat.dimension_id] = totals.get(threat.dimension_id, 0) + 1
        for tag in threat.tags.all():
            key = (threat.dimension_id, tag.component_id)
            counts[key] = counts.get(key, 0) + 1
    highest = max([*counts.values(), 1])

    def shade(n: int) -> int:
        # Four steps of grey, so the picture reads without colour; 0 stays white.
        return 0 if n == 0 else 1 + min(3, (3 * n) // highest)

    rows = [
        {
            "dimension": d,
            "total": totals.get(d.pk, 0),
            "cells": [
                {"n": counts[(d.pk, c.pk)], "shade": shade(counts[(d.pk, c.pk)])}
                for c in data.components
            ],
        }
        for d in data.dimensions
    ]
    return {"components": data.components, "rows": rows}
