"""Reads for assessment pages. Each page's data comes from a fixed number of queries,
whatever the number of threats, groups or answers (prefetching lives here)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import translation

from assessments.models import (
    Answer,
    Assessment,
    Comment,
    ComponentTag,
    FrozenBrief,
    PopulationGroup,
    Response,
    ReviewEvent,
    Threat,
)
from frameworks.models import Dimension
from frameworks.selectors import load_content, scales_of


def dashboard_for(user) -> dict:
    base = Assessment.objects.visible_to(user).select_related("team", "owner")
    return {
        "mine": base.filter(Q(owner=user) | Q(collaborators=user)).distinct()[:20],
        "awaiting_review": Assessment.objects.awaiting_review_by(user).select_related(
            "team", "owner"
        )[:20],
    }


def assessment_list(
    user, *, q: str = "", status: str = "", team=None, country: str = "", dimension: str = ""
) -> QuerySet:
    qs = Assessment.objects.visible_to(user).select_related("team", "owner")
    if status:
        qs = qs.filter(status=status)
    if team is not None:
        qs = qs.filter(team=team)
    if country:
        qs = qs.filter(country__icontains=country)
    if dimension:
        # Dimensions are per framework version; filter by key across versions.
        qs = qs.filter(threats__dimension__key=dimension)
    if q:
        if connection.vendor == "postgresql":
            vector = SearchVector("title", "country", "area", "population_focus", "key_points")
            matching = Assessment.objects.annotate(search=vector).filter(
                search=SearchQuery(q, search_type="websearch")
            )
            qs = qs.filter(Q(pk__in=matching.values("pk")) | Q(title__icontains=q))
        else:
            qs = qs.filter(
                Q(title__icontains=q)
                | Q(country__icontains=q)
                | Q(area__icontains=q)
                | Q(population_focus__icontains=q)
                | Q(key_points__icontains=q)
            )
    return qs.distinct().order_by("-updated_at", "-id")


def dimension_choices_for(user) -> list[tuple[str, str]]:
    seen = {}
    rows = (
        Dimension.objects.filter(version__assessments__in=Assessment.objects.visible_to(user))
        .values_list("key", "name")
        .distinct()
    )
    for key, name in rows:
        seen.setdefault(key, name)
    return sorted(seen.items(), key=lambda kv: kv[1])


def assessment_for_page(user) -> QuerySet:
    """The scoped queryset every assessment page fetches its object from."""
    return (
        Assessment.objects.visible_to(user)
        .select_related("team", "owner", "framework_version__framework")
        .prefetch_related("collaborators")
    )


def threats_of(assessment: Assessment) -> QuerySet:
    return (
        Threat.objects.filter(assessment=assessment)
        .select_related("dimension")
        .prefetch_related(
            "affected_groups",
            Prefetch("tags", queryset=ComponentTag.objects.select_related("component")),
            "indicators",
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
        self.number_threats()
        self.responses = list(responses_of(assessment))

    def number_threats(self) -> None:
        """T1, T2 … in the order threats are listed, so the risk matrix can refer to them."""
        for number, threat in enumerate(self.threats, start=1):
            threat.number = number

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


def risk_matrix(data: AssessmentData) -> dict:
    """Likelihood (rows, high to low) × severity (columns): threats in cells, with a band."""
    likelihoods = list(reversed(data.scales["likelihood"]))
    severities = data.scales["severity"]
    top = (likelihoods[0].value if likelihoods else 1) * (severities[-1].value if severities else 1)
    cells = {(t.likelihood, t.severity): [] for t in data.threats}
    for threat in data.threats:
        cells[(threat.likelihood, threat.severity)].append(threat)
    rows = []
    for lv in likelihoods:
        row = []
        for sv in severities:
            share = lv.value * sv.value / top
            band = (
                "critical"
                if share >= 0.6
                else "high"
                if share >= 0.36
                else "medium"
                if share >= 0.16
                else "low"
            )
            row.append(
                {
                    "severity": sv,
                    "band": band,
                    "threats": cells.get((lv.value, sv.value), []),
                }
            )
        rows.append({"likelihood": lv, "cells": row})
    return {"rows": rows, "severities": severities}


def component_dimension_map(data: AssessmentData) -> dict:
    """How many threats carry each component tag in each dimension."""
    counts = {(d.pk, c.pk): 0 for d in data.dimensions for c in data.components}
    totals = {d.pk: 0 for d in data.dimensions}
    for threat in data.threats:
        totals[threat.dimension_id] = totals.get(threat.dimension_id, 0) + 1
        for tag in threat.tags.all():
            key = (threat.dimension_id, tag.component_id)
            counts[key] = counts.get(key, 0) + 1
    rows = [
        {
            "dimension": d,
            "total": totals.get(d.pk, 0),
            "cells": [counts[(d.pk, c.pk)] for c in data.components],
        }
        for d in data.dimensions
    ]
    return {"components": data.components, "rows": rows}


def recent_history(assessment: Assessment, *, limit: int = 15) -> list[dict]:
    """The latest changes to the assessment and everything in it, newest first."""
    sources = [
        (Assessment.history.filter(id=assessment.pk), "title"),
        (Answer.history.filter(assessment_id=assessment.pk).select_related("prompt"), None),
        (PopulationGroup.history.filter(assessment_id=assessment.pk), "name"),
        (Threat.history.filter(assessment_id=assessment.pk), "title"),
        (Response.history.filter(assessment_id=assessment.pk), "title"),
    ]
    records = []
    for qs, _label in sources:
        records.extend(qs.select_related("history_user").order_by("-history_date")[:limit])
    records.sort(key=lambda r: r.history_date, reverse=True)
    out = []
    for record in records[:limit]:
        model = record.instance_type._meta.verbose_name
        if hasattr(record, "prompt_id") and record.__class__.__name__ == "HistoricalAnswer":
            subject = record.prompt.text[:70]
        elif record.__class__.__name__ == "HistoricalComponentTag":
            subject = record.component.name
        else:
            subject = getattr(record, "title", None) or getattr(record, "name", "")
        out.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "action": record.get_history_type_display(),
                "what": model,
                "subject": subject,
            }
        )
    return out


def comments_of(assessment: Assessment) -> QuerySet:
    return Comment.objects.filter(assessment=assessment).select_related(
        "author", "section", "resolved_by"
    )


def review_trail(assessment: Assessment) -> QuerySet:
    return ReviewEvent.objects.filter(assessment=assessment).select_related("actor")


def open_comments_of(assessment: Assessment) -> QuerySet:
    return comments_of(assessment).filter(resolved_at__isnull=True)


def frozen_briefs_of(assessment: Assessment) -> QuerySet:
    """Every brief frozen at an approval, newest first, without loading the bytes."""
    return (
        FrozenBrief.objects.filter(assessment=assessment)
        .defer("pdf", "snapshot")
        .select_related("approval__actor")
        .order_by("-created_at", "-id")
    )


def overview_cache_key(assessment: Assessment, *, links: bool) -> str:
    """Changes whenever the content, the status or the reader's language does."""
    return ":".join(
        [
            "overview",
            "1",
            str(assessment.pk),
            assessment.updated_at.isoformat(),
            str(assessment.version),
            translation.get_language() or "",
            "edit" if links else "read",
        ]
    )
