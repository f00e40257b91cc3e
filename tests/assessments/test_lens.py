"""The lens check, rule by rule: an assessment that honours all four components, then
the same assessment with exactly one thing missing, and the gap it produces."""

from __future__ import annotations

import datetime
from html import unescape

import pytest

from assessments.content import services
from assessments.content.selectors import AssessmentData
from assessments.core import services as core_services
from assessments.lens import lens_check
from assessments.models import Assessment, PopulationGroup

ANSWERED = {
    "context-situation": "Borno, 2024: displacement after floods and attacks.",
    "context-power": "The state governor, armed groups and traditional rulers.",
    "context-triggers": "Elections in March; the lean season from June.",
    "whom-own-account": "Women say the road to the fields is where they feel least safe.",
}


class Builder:
    """Writes through the services, as a person using the app would."""

    def __init__(self, assessment: Assessment, user):
        self.assessment = assessment
        self.user = user
        self.version = assessment.framework_version
        self.components = {c.key: c for c in self.version.components.all()}

    def dimension(self, key: str):
        return self.version.dimensions.get(key=key)

    def answer(self, **texts: str) -> None:
        by_section: dict = {}
        for key, text in texts.items():
            section = self.version.sections.get(prompts__key=key)
            by_section.setdefault(section, {})[key] = text
        for section, section_texts in by_section.items():
            current = {
                a.prompt.key: a.version
                for a in self.assessment.answers.filter(prompt__section=section)
            }
            saved, conflicts = services.section_save(
                assessment=self.assessment,
                section=section,
                user=self.user,
                texts=section_texts,
                versions=current,
            )
            assert not conflicts

    def group(self, name: str = "Displaced women", **fields) -> PopulationGroup:
        fields.setdefault("sex", PopulationGroup.Sex.FEMALE)
        fields.setdefault("displacement_status", PopulationGroup.Displacement.IDP)
        return services.group_save(assessment=self.assessment, user=self.user, name=name, **fields)

    def threat(
        self,
        title: str,
        *,
        dimension: str = "personal",
        groups=(),
        tags: dict[str, str] | None = None,
        indicators=None,
        **fields,
    ):
        fields.setdefault("likelihood", 3)
        fields.setdefault("severity", 3)
        fields.setdefault("urgency", 2)
        if tags is None:
            tags = {"person-centred": "Women bear it first."}
        return services.threat_save(
            assessment=self.assessment,
            user=self.user,
            title=title,
            dimension=self.dimension(dimension),
            affected_groups=list(groups),
            tags={self.components[k].pk: v for k, v in tags.items()},
            indicators=indicators,
            **fields,
        )

    def response(self, title: str = "Patrols on the field road", *, preventive=True, **fields):
        fields.setdefault("strategy", "protection")
        return services.response_save(
            assessment=self.assessment,
            user=self.user,
            title=title,
            preventive=preventive,
            **fields,
        )

    def source(self, title: str = "Focus group, Dikwa camp", **fields):
        from assessments.evidence.services import source_save

        fields.setdefault("kind", "focus_group")
        return source_save(assessment=self.assessment, user=self.user, title=title, **fields)

    def quote(self, group, **fields):
        from assessments.evidence.services import quote_save

        fields.setdefault("text", "We walk to the fields in groups now.")
        fields.setdefault("language", "Hausa")
        return quote_save(
            assessment=self.assessment,
            user=self.user,
            group=group,
            source=fields.pop("source", None) or self.source(),
            **fields,
        )

    def context(self, **fields) -> None:
        self.assessment.refresh_from_db()
        self.assessment = core_services.assessment_update(
            assessment=self.assessment,
            user=self.user,
            base_version=self.assessment.version,
            **fields,
        )

    def gaps(self, component: str) -> list[str]:
        self.assessment.refresh_from_db()
        checks = {c.key: c for c in lens_check(AssessmentData(self.assessment))}
        return [g.text for g in checks[component].gaps]


@pytest.fixture
def build(assessment, practitioner) -> Builder:
    return Builder(assessment, practitioner)


def honouring(build: Builder, *, skip: set[str] = frozenset()) -> Builder:
    """An assessment that honours every component, leaving out the parts named in skip."""
    if "period" not in skip:
        build.context(
            period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31)
        )
    answers = {k: v for k, v in ANSWERED.items() if k not in skip}
    if answers:
        build.answer(**answers)
    groups = [] if "groups" in skip else [build.group()]
    if "threats" not in skip:
        for title, dim in (
            ("Road attacks", "personal"),
            ("Crop loss", "food"),
            ("Cholera", "health"),
        ):
            build.threat(title, dimension=dim, groups=groups)
    if "response" not in skip:
        build.response()
    if "quote" not in skip and groups:
        build.quote(groups[0])
    return build


COMPONENTS = ("person-centred", "context-specific", "multi-dimensional", "preventive")


@pytest.mark.django_db
def test_a_complete_assessment_honours_every_component(build):
    honouring(build)

    checks = lens_check(AssessmentData(build.assessment))

    assert [c.key for c in checks] == list(COMPONENTS)
    assert {c.key: [g.text for g in c.gaps] for c in checks} == {k: [] for k in COMPONENTS}
    assert all(c.ok and c.checked for c in checks)


# --- person-centred ----------------------------------------------------------------------


@pytest.mark.django_db
def test_person_centred_no_group_is_a_gap(build):
    honouring(build, skip={"groups", "threats"})

    assert build.gaps("person-centred") == ["No group of people is defined (security for whom?)."]
    build.quote(build.group())
    assert build.gaps("person-centred") == []


@pytest.mark.django_db
def test_person_centred_a_group_that_is_not_disaggregated_is_a_gap(build):
    honouring(build)
    plain = build.group(
        "Everyone in Gwoza",
        sex=PopulationGroup.Sex.ALL,
        displacement_status="",
    )

    gaps = build.gaps("person-centred")
    assert len(gaps) == 1
    assert "Everyone in Gwoza" in gaps[0]
    assert "not disaggregated" in gaps[0]

    services.group_save(
        assessment=build.assessment,
        user=build.user,
        group=plain,
        base_version=plain.version,
        age_from=60,
    )
    assert build.gaps("person-centred") == []


@pytest.mark.parametrize(
    "field,value",
    [
        ("disability", "with"),
        ("ethnicity", "Kanuri"),
        ("religion", "Christian"),
        ("other_characteristics", "Rural"),
    ],
)
@pytest.mark.django_db
def test_person_centred_any_characteristic_counts_as_disaggregation(build, field, value):
    honouring(build)
    build.group(
        "Everyone in Gwoza",
        sex=PopulationGroup.Sex.ALL,
        displacement_status="",
        **{field: value},
    )

    assert build.gaps("person-centred") == []


@pytest.mark.django_db
def test_person_centred_a_threat_without_group_is_a_gap(build):
    honouring(build)
    loose = build.threat("Kidnapping on the highway", dimension="personal", groups=[])

    gaps = build.gaps("person-centred")
    assert gaps == ["Threat “Kidnapping on the highway” is not linked to any group."]

    group = build.assessment.groups.get()
    services.threat_save(
        assessment=build.assessment,
        user=build.user,
        threat=loose,
        base_version=loose.version,
        affected_groups=[group],
    )
    assert build.gaps("person-centred") == []


@pytest.mark.django_db
def test_person_centred_no_own_account_is_a_gap(build):
    honouring(build, skip={"whom-own-account"})

    assert build.gaps("person-centred") == [
        "People's own account of their security is not recorded."
    ]


@pytest.mark.django_db
def test_person_centred_own_account_answer_closes_the_gap(build):
    honouring(build, skip={"whom-own-account"})
    build.answer(**{"whom-own-account": "In focus groups, women named the road."})

    assert build.gaps("person-centred") == []


@pytest.mark.parametrize("basis", ["perceived", "both"])
@pytest.mark.django_db
def test_person_centred_a_perceived_threat_closes_the_own_account_gap(build, basis):
    honouring(build, skip={"whom-own-account"})
    group = build.assessment.groups.get()
    build.threat("Fear of the checkpoints", groups=[group], basis=basis)

    assert build.gaps("person-centred") == []


@pytest.mark.django_db
def test_person_centred_a_whitespace_answer_is_no_own_account(build):
    honouring(build, skip={"whom-own-account"})
    build.answer(**{"whom-own-account": "   "})

    assert build.gaps("person-centred") == [
        "People's own account of their security is not recorded."
    ]


# --- context-specific ----------------------------------------------------------------------


@pytest.mark.django_db
def test_context_specific_missing_area_is_a_gap(build):
    honouring(build)
    build.context(area="")

    assert build.gaps("context-specific") == ["The place (country and area) is not complete."]
    build.context(area="Gwoza LGA")
    assert build.gaps("context-specific") == []


@pytest.mark.django_db
def test_context_specific_missing_period_is_a_gap(build):
    honouring(build, skip={"period"})

    assert build.gaps("context-specific") == ["The period covered is not set."]
    build.context(period_end=datetime.date(2024, 6, 30))
    assert build.gaps("context-specific") == []


@pytest.mark.django_db
def test_context_specific_unanswered_required_context_prompts_are_a_gap(build):
    honouring(build, skip={"context-power"})

    assert build.gaps("context-specific") == ["Required context prompts are unanswered (1)."]
    build.answer(**{"context-power": "Traditional rulers settle land disputes."})
    assert build.gaps("context-specific") == []


@pytest.mark.django_db
def test_context_specific_an_optional_prompt_is_not_required(build):
    honouring(build)

    # context-arenas is optional in the default framework: leaving it blank is no gap.
    assert not build.assessment.answers.filter(prompt__key="context-arenas").exists()
    assert build.gaps("context-specific") == []


@pytest.mark.django_db
def test_context_specific_undescribed_triggers_are_a_gap(build):
    honouring(build, skip={"context-triggers"})

    gaps = build.gaps("context-specific")
    trigger_gap = "Triggers (events that could change the situation) are not described."
    assert trigger_gap in gaps
    # context-triggers is also a required prompt, so the count of unanswered ones says so.
    assert gaps == ["Required context prompts are unanswered (1).", trigger_gap]

    build.answer(**{"context-triggers": "The March elections."})
    assert build.gaps("context-specific") == []


@pytest.mark.django_db
def test_context_specific_a_trigger_indicator_describes_the_triggers(build):
    honouring(build, skip={"context-triggers"})
    group = build.assessment.groups.get()
    build.threat(
        "Election violence",
        dimension="political",
        groups=[group],
        indicators=[{"name": "Campaign rallies banned", "kind": "trigger"}],
    )

    gaps = build.gaps("context-specific")
    assert not any("Triggers" in g for g in gaps)
    assert gaps == ["Required context prompts are unanswered (1)."]


@pytest.mark.django_db
def test_context_specific_a_non_trigger_indicator_does_not_describe_triggers(build):
    honouring(build, skip={"context-triggers"})
    group = build.assessment.groups.get()
    build.threat(
        "Election violence",
        dimension="political",
        groups=[group],
        indicators=[{"name": "Youth unemployment", "kind": "structural"}],
    )

    assert any("Triggers" in g for g in build.gaps("context-specific"))


# --- multi-dimensional ------------------------------------------------------------------------


@pytest.mark.django_db
def test_multi_dimensional_fewer_than_three_dimensions_is_a_gap(build):
    honouring(build, skip={"threats"})
    group = build.assessment.groups.get()
    build.threat("Road attacks", dimension="personal", groups=[group])
    build.threat("Kidnapping", dimension="personal", groups=[group])
    build.threat("Crop loss", dimension="food", groups=[group])

    assert build.gaps("multi-dimensional") == [
        "Threats cover 2 dimension(s); look across at least 3."
    ]
    build.threat("Cholera", dimension="health", groups=[group])
    assert build.gaps("multi-dimensional") == []


@pytest.mark.django_db
def test_multi_dimensional_no_threat_at_all_is_a_gap(build):
    honouring(build, skip={"threats"})

    assert build.gaps("multi-dimensional") == [
        "Threats cover 0 dimension(s); look across at least 3."
    ]


@pytest.mark.django_db
def test_multi_dimensional_an_untagged_threat_is_a_gap(build):
    honouring(build)
    group = build.assessment.groups.get()
    untagged = build.threat("Land grabs", dimension="economic", groups=[group], tags={})

    assert build.gaps("multi-dimensional") == [
        "Threat “Land grabs” is not tagged against any component."
    ]
    services.threat_save(
        assessment=build.assessment,
        user=build.user,
        threat=untagged,
        base_version=untagged.version,
        affected_groups=[group],
        tags={build.components["multi-dimensional"].pk: "Income and land at once."},
    )
    assert build.gaps("multi-dimensional") == []


# --- preventive -----------------------------------------------------------------------------


def _serious(build: Builder, **fields):
    group = build.assessment.groups.get()
    fields.setdefault("severity", 4)
    fields.setdefault("likelihood", 2)
    return build.threat("Attacks on the camp", dimension="personal", groups=[group], **fields)


@pytest.mark.django_db
def test_preventive_a_serious_threat_without_root_causes_is_a_gap(build):
    honouring(build)
    _serious(build, indicators=[{"name": "Armed men seen at the edge", "kind": "proximate"}])

    assert build.gaps("preventive") == ["Serious threat “Attacks on the camp” has no root causes."]


@pytest.mark.django_db
def test_preventive_a_serious_threat_without_indicator_is_a_gap(build):
    honouring(build)
    _serious(build, root_causes="Exclusion of the displaced from land.")

    assert build.gaps("preventive") == [
        "Serious threat “Attacks on the camp” has no early-warning indicator."
    ]


@pytest.mark.django_db
def test_preventive_a_serious_threat_with_roots_and_indicator_is_no_gap(build):
    honouring(build)
    _serious(
        build,
        root_causes="Exclusion of the displaced from land.",
        indicators=[{"name": "Armed men seen at the edge", "kind": "proximate"}],
    )

    assert build.gaps("preventive") == []


@pytest.mark.django_db
def test_preventive_a_threat_below_severity_four_need_not_show_roots(build):
    honouring(build)
    # severity 3 × likelihood 3 = 9, under the 12 of 25 that also counts as serious.
    _serious(build, severity=3, likelihood=3)

    assert build.gaps("preventive") == []


@pytest.mark.django_db
def test_preventive_a_high_risk_score_counts_as_serious(build):
    honouring(build)
    # severity 3 but likelihood 4: 12 of 25 reaches the serious share of the top score.
    _serious(build, severity=3, likelihood=4)

    assert build.gaps("preventive") == [
        "Serious threat “Attacks on the camp” has no root causes.",
        "Serious threat “Attacks on the camp” has no early-warning indicator.",
    ]


@pytest.mark.django_db
def test_preventive_no_preventive_response_is_a_gap(build):
    honouring(build, skip={"response"})
    build.response("Cash for food", preventive=False, strategy="empowerment")

    assert build.gaps("preventive") == [
        "No response acts before the threat (none is marked preventive)."
    ]
    build.response("Early warning committee", preventive=True, strategy="solidarity")
    assert build.gaps("preventive") == []


# --- the overview page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_overview_shows_the_lens_check_with_its_gaps(build, login):
    honouring(build, skip={"groups", "threats", "response"})
    client = login(build.user)

    response = client.get(f"/assessments/{build.assessment.pk}/")

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Lens check" in html
    assert "No group of people is defined (security for whom?)." in html
    assert "Threats cover 0 dimension(s); look across at least 3." in html
    assert "No response acts before the threat (none is marked preventive)." in html
    # The context is complete, so that component shows as honoured.
    assert "honoured" in html
    # The owner may edit, so each gap links to where it is fixed.
    assert f'href="/assessments/{build.assessment.pk}/groups/new/"' in html


@pytest.mark.django_db
def test_overview_lens_gaps_are_plain_text_for_a_reader_who_cannot_edit(build, supervisor, login):
    honouring(build, skip={"groups", "threats", "response"})
    client = login(supervisor)

    response = client.get(f"/assessments/{build.assessment.pk}/")

    html = unescape(response.content.decode())
    assert "No group of people is defined (security for whom?)." in html
    assert f'href="/assessments/{build.assessment.pk}/groups/new/"' not in html


@pytest.mark.django_db
def test_overview_of_a_complete_assessment_shows_no_gap(build, login):
    honouring(build)
    client = login(build.user)

    html = unescape(client.get(f"/assessments/{build.assessment.pk}/").content.decode())

    assert html.count("honoured") == 4
    assert "gap" not in html.split("Lens check", 1)[1].split("Recent changes", 1)[0]


# --- evidence (issue 10) -------------------------------------------------------------------

NO_QUOTE = "No quote gives the own words of a group the threats affect."


@pytest.mark.django_db
def test_person_centred_asks_for_a_quote_from_an_affected_group(build):
    honouring(build, skip={"quote"})

    assert build.gaps("person-centred") == [NO_QUOTE]


@pytest.mark.django_db
def test_a_quote_from_a_group_no_threat_affects_does_not_count(build):
    honouring(build, skip={"quote"})
    build.quote(build.group("Traders", sex="male"))

    assert build.gaps("person-centred") == [NO_QUOTE]


@pytest.mark.django_db
def test_a_serious_threat_without_a_source_is_unsupported(build):
    honouring(build)
    group = build.assessment.groups.get()
    serious = build.threat(
        "Abductions", groups=[group], severity=5, root_causes="Impunity", indicators=[]
    )

    assert build.gaps("context-specific") == [
        f"Serious threat {serious.ref} “Abductions” is unsupported: it cites no source."
    ]
    other = build.threat("Raids", groups=[group], severity=5, root_causes="Impunity", indicators=[])
    # Several make one finding, by number, however long the register.
    assert build.gaps("context-specific") == [
        f"2 serious threats are unsupported (they cite no source): {serious.ref}, {other.ref}."
    ]
    services.threat_delete(assessment=build.assessment, user=build.user, threat=other)

    services.threat_save(
        assessment=build.assessment,
        user=build.user,
        threat=serious,
        base_version=serious.version,
        sources=[build.source("Protection monitoring report", kind="report")],
    )
    assert build.gaps("context-specific") == []
