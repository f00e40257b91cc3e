"""What changed between a re-assessment and its baseline: threats new, gone and changed
(likelihood, severity, urgency, component tags), groups and responses added or removed,
and each indicator's trend. Threats are matched by number (T3 stays T3 through a
re-assessment), groups by name, responses by title, indicators by threat and name.

Pure reads in a fixed number of queries; the words carry the direction (arrows and
"rose", "fell"), never colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from assessments.content.selectors import groups_of, responses_of
from assessments.models import Assessment, ComponentTag, Indicator, Reading, Threat
from assessments.monitoring import status
from frameworks.i18n import text as fw_text

SCORES = (("likelihood", _("likelihood")), ("severity", _("severity")), ("urgency", _("urgency")))
ROSE, FELL, SAME = "rose", "fell", "same"
WORDS = {ROSE: _("rose"), FELL: _("fell"), SAME: _("unchanged")}
ARROWS = {ROSE: "↑", FELL: "↓", SAME: "→"}


@dataclass
class Move:
    label: str
    old: object
    new: object
    direction: str

    @property
    def arrow(self) -> str:
        return ARROWS[self.direction]

    @property
    def word(self) -> str:
        return str(WORDS[self.direction])


@dataclass
class ThreatChange:
    threat: Threat
    before: Threat
    moves: list[Move] = field(default_factory=list)
    tags_added: list[str] = field(default_factory=list)
    tags_removed: list[str] = field(default_factory=list)

    @property
    def rise(self) -> int:
        """How much the risk (likelihood × severity) rose; negative when it fell."""
        return self.threat.risk_score - self.before.risk_score


@dataclass
class IndicatorTrend:
    indicator: Indicator
    before: str  # the baseline's latest reading in words, or "—"
    now: str
    direction: str | None  # None: not comparable (no reading on one side, or no number)

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction, "")

    @property
    def word(self) -> str:
        return str(WORDS[self.direction]) if self.direction else str(_("no comparison yet"))


@dataclass
class Deltas:
    baseline: Assessment
    new_threats: list[Threat]
    gone_threats: list[Threat]
    changed: list[ThreatChange]
    groups_added: list
    groups_removed: list
    responses_added: list
    responses_removed: list
    trends: list[IndicatorTrend]

    @property
    def empty(self) -> bool:
        """No threat, group or response changed (indicator trends are always listed)."""
        return not any(
            (self.new_threats, self.gone_threats, self.changed, self.groups_added)
            + (self.groups_removed, self.responses_added, self.responses_removed)
        )


def _direction(old, new) -> str:
    return ROSE if new > old else FELL if new < old else SAME


def _threats(assessment: Assessment) -> dict[int, Threat]:
    readings = Prefetch("readings", queryset=Reading.objects.order_by("date"))
    threats = (
        Threat.objects.filter(assessment=assessment)
        .prefetch_related(
            "affected_groups",
            Prefetch("tags", queryset=ComponentTag.objects.select_related("component")),
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related(readings)),
        )
        .order_by("number")
    )
    return {t.number: t for t in threats}


def _latest(indicator: Indicator) -> Reading | None:
    readings = list(indicator.readings.all())
    return readings[-1] if readings else None


def _trend(indicator: Indicator, before: Indicator | None) -> IndicatorTrend:
    now_reading = _latest(indicator)
    old_reading = _latest(before) if before is not None else None
    direction = None
    if now_reading and old_reading:
        direction = _direction(
            status.plotted(indicator, old_reading), status.plotted(indicator, now_reading)
        )
    return IndicatorTrend(
        indicator=indicator,
        before=status.shown_value(before, old_reading) if old_reading else "—",
        now=status.shown_value(indicator, now_reading) if now_reading else "—",
        direction=direction,
    )


def _changes(threat: Threat, before: Threat) -> ThreatChange | None:
    change = ThreatChange(threat, before)
    for name, label in SCORES:
        old, new = getattr(before, name), getattr(threat, name)
        if old != new:
            change.moves.append(Move(str(label), old, new, _direction(old, new)))
    old_tags = {t.component.key: fw_text(t.component, "name")[0] for t in before.tags.all()}
    new_tags = {t.component.key: fw_text(t.component, "name")[0] for t in threat.tags.all()}
    change.tags_added = [new_tags[k] for k in new_tags if k not in old_tags]
    change.tags_removed = [old_tags[k] for k in old_tags if k not in new_tags]
    return change if change.moves or change.tags_added or change.tags_removed else None


def deltas_of(assessment: Assessment) -> Deltas | None:
    """The deltas against the assessment's baseline, or None when it has none."""
    baseline = assessment.baseline
    if baseline is None:
        return None
    now, before = _threats(assessment), _threats(baseline)
    changed, trends = [], []
    for number, threat in now.items():
        old = before.get(number)
        if old is not None:
            change = _changes(threat, old)
            if change:
                changed.append(change)
        old_indicators = {i.name: i for i in old.indicators.all()} if old else {}
        trends += [_trend(i, old_indicators.get(i.name)) for i in threat.indicators.all()]
    changed.sort(key=lambda c: (-abs(c.rise), c.threat.number))
    groups_now = {g.name: g for g in groups_of(assessment)}
    groups_before = {g.name: g for g in groups_of(baseline)}
    responses_now = {r.title: r for r in responses_of(assessment)}
    responses_before = {r.title: r for r in responses_of(baseline)}
    return Deltas(
        baseline=baseline,
        new_threats=[t for n, t in now.items() if n not in before],
        gone_threats=[t for n, t in before.items() if n not in now],
        changed=changed,
        groups_added=[g for n, g in groups_now.items() if n not in groups_before],
        groups_removed=[g for n, g in groups_before.items() if n not in groups_now],
        responses_added=[r for n, r in responses_now.items() if n not in responses_before],
        responses_removed=[r for n, r in responses_before.items() if n not in responses_now],
        trends=trends,
    )


def series_of(assessment: Assessment) -> list[Assessment]:
    """The context's assessments over time, oldest first: the baseline chain back to the
    first, and forward through every re-assessment (a handful of rows per context)."""
    first = assessment
    seen = {first.pk}
    while first.baseline_id and first.baseline_id not in seen:
        first = Assessment.objects.only("pk", "baseline_id").get(pk=first.baseline_id)
        seen.add(first.pk)
    chain, frontier = [first.pk], [first.pk]
    while frontier:
        frontier = list(
            Assessment.objects.filter(baseline__in=frontier)
            .exclude(pk__in=chain)
            .values_list("pk", flat=True)
        )
        chain += frontier
    return list(
        Assessment.objects.filter(pk__in=chain)
        .select_related("team")
        .order_by("period_start", "created_at", "pk")
    )
