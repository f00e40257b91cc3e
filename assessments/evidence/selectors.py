"""Reads of an assessment's evidence: the register, the quotes, what cites a source, and
the evidence of a loaded AssessmentData (for the lens check, the brief and exports)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from assessments.models import Answer, Assessment, Indicator, Quote, Response, Source, Threat


def _count(model, field: str = "source"):
    # One subquery per kind: joining the four citation tables at once would multiply
    # their rows (20 threats × 20 responses × … per source) before counting.
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def sources_of(assessment: Assessment) -> QuerySet:
    """The register, each source with how many items cite it."""
    return Source.objects.filter(assessment=assessment).annotate(
        n_threats=_count(Source.threats.through),
        n_responses=_count(Source.responses.through),
        n_indicators=_count(Source.indicators.through),
        n_answers=_count(Source.answers.through),
        n_quotes=_count(Quote),
    )


def quotes_of(assessment: Assessment) -> QuerySet:
    return (
        Quote.objects.filter(assessment=assessment)
        .select_related("group", "source")
        .prefetch_related("threats")
    )


def citing(source: Source) -> dict[str, list]:
    """Everything that cites the source or was gathered in it, by kind."""
    return {
        "threats": list(Threat.objects.filter(sources=source)),
        "responses": list(Response.objects.filter(sources=source)),
        "indicators": list(Indicator.objects.filter(sources=source).select_related("threat")),
        "answers": list(
            Answer.objects.filter(sources=source).select_related("prompt", "prompt__section")
        ),
        "quotes": list(Quote.objects.filter(source=source).select_related("group")),
    }


def cites_count(cited: dict[str, list]) -> int:
    return sum(len(items) for items in cited.values())


@dataclass
class Evidence:
    """An assessment's sources and quotes, and which sources each item cites (by id)."""

    sources: list[Source]
    quotes: list[Quote]
    threat_sources: dict[int, list[Source]]
    response_sources: dict[int, list[Source]]
    indicator_sources: dict[int, list[Source]]
    answer_sources: dict[int, list[Source]]

    def cited_by_threat(self, threat) -> list[Source]:
        return self.threat_sources.get(threat.pk, [])


def _by_item(through, item_field: str, sources: dict[int, Source]) -> dict[int, list[Source]]:
    found: dict[int, list[Source]] = {}
    rows = through.objects.filter(source_id__in=sources).values_list(item_field, "source_id")
    for item_id, source_id in rows.order_by(item_field, "source_id"):
        found.setdefault(item_id, []).append(sources[source_id])
    for cited in found.values():
        cited.sort(key=lambda s: s.number)
    return found


def evidence_for(assessment: Assessment) -> Evidence:
    """Loaded in a fixed number of queries, whatever the number of items."""
    return evidence_for_many([assessment.pk])[assessment.pk]


def evidence_for_many(assessment_ids: list[int]) -> dict[int, Evidence]:
    """The evidence of several assessments in the same six queries (the portfolio's lens
    checks); item ids are unique across assessments, so one map per kind serves all."""
    sources = list(Source.objects.filter(assessment__in=assessment_ids))
    by_id = {s.pk: s for s in sources}
    maps = [
        _by_item(Source.threats.through, "threat_id", by_id),
        _by_item(Source.responses.through, "response_id", by_id),
        _by_item(Source.indicators.through, "indicator_id", by_id),
        _by_item(Source.answers.through, "answer_id", by_id),
    ]
    quotes = (
        Quote.objects.filter(assessment__in=assessment_ids)
        .select_related("group", "source")
        .prefetch_related("threats")
    )
    return {
        pk: Evidence(
            [s for s in sources if s.assessment_id == pk],
            [q for q in quotes if q.assessment_id == pk],
            *maps,
        )
        for pk in assessment_ids
    }


def evidence_of(data) -> Evidence:
    """The evidence of a loaded AssessmentData, loaded once per data object."""
    cached = getattr(data, "_evidence", None)
    if cached is None:
        cached = data._evidence = evidence_for(data.assessment)
    return cached
