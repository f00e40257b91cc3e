"""`{% baseline_deltas assessment public=public %}`: the deltas against the baseline, for
the overview and the brief alike (one partial; the brief includes it in one line)."""

from __future__ import annotations

from django import template

from assessments.monitoring.deltas import deltas_of, series_of

register = template.Library()


def _open(threat) -> bool:
    """A threat the public edition may name: not one that concerns sensitive groups alone."""
    groups = list(threat.affected_groups.all())
    return not groups or any(not g.sensitive for g in groups)


@register.simple_tag
def context_series(assessment) -> list:
    """The context's assessments over time (one query when it has no baseline and no
    re-assessment)."""
    if not assessment.baseline_id and not assessment.reassessments.exists():
        return []
    return series_of(assessment)


@register.inclusion_tag("assessments/_deltas.html")
def baseline_deltas(assessment, *, public: bool = False, heading: str = "h2"):
    deltas = deltas_of(assessment) if assessment.baseline_id else None
    if deltas is not None and public:
        deltas.groups_added = [g for g in deltas.groups_added if not g.sensitive]
        deltas.groups_removed = [g for g in deltas.groups_removed if not g.sensitive]
        deltas.new_threats = [t for t in deltas.new_threats if _open(t)]
        deltas.gone_threats = [t for t in deltas.gone_threats if _open(t)]
        deltas.changed = [c for c in deltas.changed if _open(c.threat)]
        deltas.trends = [t for t in deltas.trends if _open(t.indicator.threat)]
    return {"deltas": deltas, "heading": heading, "public": public}
