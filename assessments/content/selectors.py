"""Reads of an assessment's content. Each page's data comes from a fixed number of
queries, whatever the number of threats, groups or answers (prefetching lives here)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Answer,
    Assessment,
    Comment,
    ComponentTag,
    Indicator,
    PopulationGroup,
    Response,
    Source,
    Threat,
)
from assessments.models.analysis import dimensions_label
from frameworks.i18n import text as fw_text
from frameworks.models import Dimension
from frameworks.selectors import load_content, scales_of


def threats_of(assessment: Assessment) -> QuerySet:
    return (
        Threat.objects.filter(assessment=assessment)
        .select_related("dimension__version")
        .prefetch_related(
            "affected_groups",
            Prefetch("further_dimensions", queryset=Dimension.objects.select_related("version")),
            Prefetch("tags", queryset=ComponentTag.objects.select_related("component__version")),
            "indicators",
            "indicators__sources",
            "sources",
            "indicators__readings",
        )
    )


def responses_of(assessment: Assessment) -> QuerySet:
    return Response.objects.filter(assessment=assessment).prefetch_related(
        "threats", "groups", "sources"
    )


def groups_of(assessment: Assessment) -> QuerySet:
    return PopulationGroup.objects.filter(assessment=assessment)


def groups_for_list(assessment: Assessment) -> QuerySet:
    """The groups page: each group with the threats affecting it and the responses
    serving it (two queries more, whatever the number of groups)."""
    return groups_of(assessment).prefetch_related(
        Prefetch("threats", queryset=Threat.objects.order_by("number")),
        Prefetch("responses", queryset=Response.objects.order_by("title", "id")),
    )


def answers_by_prompt(assessment: Assessment) -> dict[int, Answer]:
    return {
        a.prompt_id: a
        for a in Answer.objects.filter(assessment=assessment)
        .select_related("updated_by")
        .prefetch_related("sources")
    }


def section_sidebar(assessment: Assessment, answers: dict[int, Answer]) -> list[dict]:
    """Each section with its answered and required-but-empty prompts and its open
    comments, for the section pages' sidebar (three queries, whatever the sections)."""
    sections = assessment.framework_version.sections.prefetch_related("prompts")
    open_comments = dict(
        Comment.objects.filter(
            assessment=assessment,
            resolved_at__isnull=True,
            section__isnull=False,
            parent__isnull=True,
        )
        .order_by()
        .values("section_id")
        .annotate(n=Count("id"))
        .values_list("section_id", "n")
    )
    rows = []
    for section in sections:
        prompts = list(section.prompts.all())
        done = {p.pk for p in prompts if (a := answers.get(p.pk)) and a.text.strip()}
        rows.append(
            {
                "section": section,
                "total": len(prompts),
                "answered": len(done),
                "required_missing": sum(1 for p in prompts if p.required and p.pk not in done),
                "open_comments": open_comments.get(section.pk, 0),
            }
        )
    return rows


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
                return fw_text(level, "label")[0]
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
    """How many threats carry each component tag in each dimension. A threat counts in
    its primary dimension and in each further one (so a row's threats may add up to more
    than the register holds)."""
    counts = {(d.pk, c.pk): 0 for d in data.dimensions for c in data.components}
    totals = {d.pk: 0 for d in data.dimensions}
    for threat in data.threats:
        for dimension_id in threat.dimension_ids:
            totals[dimension_id] = totals.get(dimension_id, 0) + 1
            for tag in threat.tags.all():
                key = (dimension_id, tag.component_id)
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


# --- the threat register: one page of an assessment's threats, filtered and sorted -----

REGISTER_SORTS = {
    # Highest risk first, as the brief orders them (by_risk); then by number.
    "risk": ("-risk", "-urgency", "number"),
    "number": ("number",),
}


def top_score_of(version) -> int:
    """The highest likelihood × severity the version's scales allow (one query)."""
    tops = dict(
        version.scale_levels.filter(scale__in=["likelihood", "severity"])
        .order_by()
        .values("scale")
        .annotate(top=Max("value"))
        .values_list("scale", "top")
    )
    return tops.get("likelihood", 1) * tops.get("severity", 1)


def band_scores(band: str, top: int) -> tuple[int, int]:
    """The lowest and highest risk score in a band: band_of, read backwards, so the
    database filters exactly what the cards then say."""
    scores = [n for n in range(top + 1) if band_of(n, 1, top) == band]
    return (min(scores), max(scores)) if scores else (1, 0)


def threat_register(
    assessment: Assessment,
    *,
    top: int,
    band: str = "",
    dimension=None,
    component=None,
    sort: str = "risk",
) -> QuerySet:
    """The assessment's threats matching the filters, in the order asked for (their
    related rows: for_cards, once the page is cut)."""
    qs = (
        Threat.objects.filter(assessment=assessment)
        .select_related("dimension__version")
        .annotate(risk=F("likelihood") * F("severity"))
    )
    if band:
        qs = qs.filter(risk__range=band_scores(band, top))
    if dimension is not None:
        # Primary or further: the register shows what the component map counts.
        qs = qs.filter(
            Q(dimension=dimension)
            | Exists(
                Threat.further_dimensions.through.objects.filter(
                    threat_id=OuterRef("pk"), dimension=dimension
                )
            )
        )
    if component is not None:
        qs = qs.filter(
            Exists(ComponentTag.objects.filter(threat_id=OuterRef("pk"), component=component))
        )
    return qs.order_by(*REGISTER_SORTS.get(sort, REGISTER_SORTS["risk"]))


def for_cards(threats, top: int) -> list:
    """The threats ready for the register's cards: each told its band, with its groups,
    tags and indicators as plain lists, read in three queries for the whole page
    (prefetch_related would build a queryset per threat and relation to fill them)."""
    threats = list(threats)
    ids = [t.pk for t in threats]
    groups, tags, indicators = defaultdict(list), defaultdict(list), defaultdict(list)
    cited, indicator_cited = defaultdict(list), defaultdict(list)
    links = Threat.affected_groups.through.objects.filter(threat_id__in=ids)
    for link in links.select_related("populationgroup").order_by(
        "populationgroup__name", "populationgroup__id"
    ):
        groups[link.threat_id].append(link.populationgroup)
    further = defaultdict(list)
    dimension_links = Threat.further_dimensions.through.objects.filter(threat_id__in=ids)
    for link in dimension_links.select_related("dimension__version").order_by(
        "dimension__order", "dimension__id"
    ):
        further[link.threat_id].append(link.dimension)
    for tag in ComponentTag.objects.filter(threat_id__in=ids).select_related("component__version"):
        tags[tag.threat_id].append(tag)
    for indicator in Indicator.objects.filter(threat_id__in=ids):
        indicators[indicator.threat_id].append(indicator)
    # The sources each threat and indicator cites (evidence), one query each.
    for link in Source.threats.through.objects.filter(threat_id__in=ids).select_related("source"):
        cited[link.threat_id].append(link.source)
    for link in Source.indicators.through.objects.filter(
        indicator__threat_id__in=ids
    ).select_related("source"):
        indicator_cited[link.indicator_id].append(link.source)
    # Each choice's words translated once for the page, not once for each card.
    labels = {band: _("%(band)s risk") % {"band": BAND_WORDS[band]} for band in BANDS}
    trends, bases = _words(Threat.Trend), _words(Threat.Basis)
    kinds = _words(Indicator.Kind)
    for indicator in (i for rows in indicators.values() for i in rows):
        indicator.kind_label = kinds.get(indicator.kind, indicator.kind)
        indicator.source_list = sorted(indicator_cited[indicator.pk], key=lambda s: s.number)
    for threat in threats:
        threat.band = band_of(threat.likelihood, threat.severity, top)
        threat.band_label = labels[threat.band]
        threat.trend_label = trends.get(threat.trend, threat.trend)
        threat.basis_label = bases.get(threat.basis, threat.basis)
        threat.group_list = groups[threat.pk]
        threat.further_list = further[threat.pk]
        threat.dimensions_text = dimensions_label(threat.dimension, further[threat.pk])
        threat.tag_list = tags[threat.pk]
        threat.indicator_list = indicators[threat.pk]
        threat.source_list = sorted(cited[threat.pk], key=lambda s: s.number)
    return threats


def _words(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}
