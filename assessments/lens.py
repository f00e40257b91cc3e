"""The lens check: does the analysis honour each of the four components?

Each rule looks at the loaded AssessmentData and, when it fails, names the gap and
where to fix it. Rules that depend on a prompt of the default framework are skipped
for frameworks that do not have that prompt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from assessments.content.selectors import AssessmentData
from assessments.evidence import lens as evidence
from frameworks.i18n import text as fw_text

# A threat this serious must show its roots and how it would be seen coming.
SERIOUS_SEVERITY = 4
SERIOUS_RISK_SHARE = 0.48  # of the top score, i.e. 12 of 25 on 5×5 scales
SEVERAL_DIMENSIONS = 3


@dataclass
class Gap:
    text: str
    url: str = ""


@dataclass
class ComponentCheck:
    key: str
    name: str
    gaps: list[Gap] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.gaps

    def require(self, condition: bool, text: str, url: str = "") -> None:
        self.checked += 1
        if not condition:
            self.gaps.append(Gap(text, url))


def _urls(assessment_id: int):
    def url(name: str, *args) -> str:
        # Lazy: most checks pass, and a link is only built for a gap that is shown.
        return reverse_lazy(f"assessments:{name}", args=[assessment_id, *args])

    return url


def is_serious(data: AssessmentData, threat) -> bool:
    top_l = max((lv.value for lv in data.scales["likelihood"]), default=5)
    top_s = max((lv.value for lv in data.scales["severity"]), default=5)
    return (
        threat.severity >= SERIOUS_SEVERITY
        or threat.likelihood * threat.severity >= SERIOUS_RISK_SHARE * top_l * top_s
    )


def person_centred(data: AssessmentData, check: ComponentCheck) -> None:
    url = _urls(data.assessment.pk)
    check.require(
        bool(data.groups),
        _("No group of people is defined (security for whom?)."),
        url("group_create"),
    )
    for group in data.groups:
        check.require(
            group.is_disaggregated,
            _("Group “%(name)s” is not disaggregated (sex, age, disability, displacement …).")
            % {"name": group.name},
            url("group_update", group.pk),
        )
    for threat in data.threats:
        check.require(
            bool(threat.affected_groups.all()),
            _("Threat “%(title)s” is not linked to any group.") % {"title": threat.title},
            url("threat_update", threat.pk),
        )
    perceived = any(t.basis in ("perceived", "both") for t in data.threats)
    if data.has_prompt("whom-own-account"):
        check.require(
            bool(data.answer_text("whom-own-account")) or perceived,
            _("People's own account of their security is not recorded."),
            url("section", "whom"),
        )
    else:
        check.require(perceived, _("No threat records how people themselves perceive it."))
    evidence.quote_from_affected_group(data, check, url)


def context_specific(data: AssessmentData, check: ComponentCheck) -> None:
    a = data.assessment
    url = _urls(a.pk)
    check.require(
        bool(a.country and a.area), _("The place (country and area) is not complete."), url("edit")
    )
    check.require(
        bool(a.period_start or a.period_end), _("The period covered is not set."), url("edit")
    )
    for row in data.section_progress():
        if row["section"].key == "context":
            check.require(
                not row["required_missing"],
                _("Required context prompts are unanswered (%(n)d).")
                % {"n": len(row["required_missing"])},
                url("section", "context"),
            )
    has_trigger_indicator = any(
        i.kind == "trigger" for t in data.threats for i in t.indicators.all()
    )
    if data.has_prompt("context-triggers"):
        check.require(
            bool(data.answer_text("context-triggers")) or has_trigger_indicator,
            _("Triggers (events that could change the situation) are not described."),
            url("section", "context"),
        )
    evidence.serious_threats_cite_sources(data, check, url, is_serious)


def multi_dimensional(data: AssessmentData, check: ComponentCheck) -> None:
    url = _urls(data.assessment.pk)
    # Primary and further dimensions alike: a threat that is both economic and political
    # looks across two.
    dims = {pk for t in data.threats for pk in t.dimension_ids}
    check.require(
        len(dims) >= SEVERAL_DIMENSIONS,
        _("Threats cover %(n)d dimension(s); look across at least %(min)d.")
        % {"n": len(dims), "min": SEVERAL_DIMENSIONS},
        url("threat_create"),
    )
    for threat in data.threats:
        check.require(
            bool(threat.tags.all()),
            _("Threat “%(title)s” is not tagged against any component.") % {"title": threat.title},
            url("threat_update", threat.pk),
        )


def preventive(data: AssessmentData, check: ComponentCheck) -> None:
    url = _urls(data.assessment.pk)
    for threat in data.threats:
        if not is_serious(data, threat):
            continue
        check.require(
            bool(threat.root_causes.strip()),
            _("Serious threat “%(title)s” has no root causes.") % {"title": threat.title},
            url("threat_update", threat.pk),
        )
        check.require(
            bool(threat.indicators.all()),
            _("Serious threat “%(title)s” has no early-warning indicator.")
            % {"title": threat.title},
            url("threat_update", threat.pk),
        )
    check.require(
        any(r.preventive for r in data.responses),
        _("No response acts before the threat (none is marked preventive)."),
        url("response_create"),
    )


RULES = {
    "person-centred": person_centred,
    "context-specific": context_specific,
    "multi-dimensional": multi_dimensional,
    "preventive": preventive,
}


def lens_check(data: AssessmentData) -> list[ComponentCheck]:
    """For each of the framework's components, its status and the list of gaps."""
    results = []
    for component in data.components:
        check = ComponentCheck(key=component.key, name=fw_text(component, "name")[0])
        rule = RULES.get(component.key)
        if rule is not None:
            rule(data, check)
        results.append(check)
    return results


def lens_gaps(data: AssessmentData) -> list[str]:
    return [f"{c.name}: {g.text}" for c in lens_check(data) for g in c.gaps]
