"""Assessment services, called directly: pinning to framework versions, who may
collaborate, what a submitted assessment refuses, threats with their tags and
indicators, field history, and the two pictures drawn from the data."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessments.content import services
from assessments.content.selectors import AssessmentData, component_dimension_map, risk_matrix
from assessments.core import services as core_services
from assessments.models import (
    Answer,
    Assessment,
    ComponentTag,
    Indicator,
    PopulationGroup,
    Response,
    Threat,
)
from frameworks.models import FrameworkVersion, Prompt
from frameworks.services import content_save, version_new_draft, version_publish
from tests.factories import MembershipFactory, UserFactory


def _create(user, team, framework, title="Borno floods", **fields):
    return core_services.assessment_create(
        user=user, team=team, framework=framework, title=title, country="Nigeria", **fields
    )


def _answer(assessment, user, key, text):
    section = assessment.framework_version.sections.get(prompts__key=key)
    saved, conflicts = services.section_save(
        assessment=assessment, section=section, user=user, texts={key: text}, versions={}
    )
    assert (saved, conflicts) == (1, [])


# --- creating and pinning -------------------------------------------------------------------


@pytest.mark.django_db
def test_assessment_create_pins_the_latest_published_version(version, team, practitioner):
    old = _create(practitioner, team, version.framework, title="Old")
    _answer(old, practitioner, "context-situation", "Floods in the north.")
    assert old.framework_version == version
    assert old.status == Assessment.Status.DRAFT
    assert old.owner == practitioner

    draft = version_new_draft(version=version)
    # The framework admin rewords a prompt in the draft before publishing it.
    reworded = Prompt.objects.get(section__version=draft, key="context-situation")
    reworded.text = "Where, when, who: what is going on?"
    content_save(obj=reworded)
    v2 = version_publish(version=draft)

    new = _create(practitioner, team, version.framework, title="New")

    assert v2.number == 2
    assert new.framework_version == v2
    old.refresh_from_db()
    assert old.framework_version == version
    answer = Answer.objects.get(assessment=old)
    assert answer.text == "Floods in the north."
    assert answer.prompt.section.version == version
    assert answer.prompt.text != reworded.text
    # The new assessment is answered with v2's prompts.
    assert AssessmentData(new).has_prompt("context-situation")
    assert {s.version_id for s in AssessmentData(new).sections} == {v2.pk}


@pytest.mark.django_db
def test_a_draft_version_does_not_replace_the_published_one(version, team, practitioner):
    version_new_draft(version=version)

    new = _create(practitioner, team, version.framework)

    assert new.framework_version == version


@pytest.mark.django_db
def test_assessment_create_refuses_an_unpublished_version(version, team, practitioner):
    draft = version_new_draft(version=version)

    with pytest.raises(ValidationError):
        core_services.assessment_create(
            user=practitioner, team=team, framework_version=draft, title="X", country="Chad"
        )
    assert draft.status == FrameworkVersion.Status.DRAFT
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_a_collaborator_outside_the_team_is_refused(version, team, other_team, practitioner):
    outsider = MembershipFactory(team=other_team, user=UserFactory(username="oscar")).user

    with pytest.raises(ValidationError) as caught:
        _create(practitioner, team, version.framework, collaborators=[outsider])

    assert "collaborators" in caught.value.message_dict
    assert "oscar" in caught.value.message_dict["collaborators"][0]
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_a_collaborator_outside_the_team_is_refused_on_update(assessment, other_team, practitioner):
    outsider = MembershipFactory(team=other_team, user=UserFactory(username="oscar")).user

    with pytest.raises(ValidationError):
        core_services.assessment_update(
            assessment=assessment,
            user=practitioner,
            base_version=assessment.version,
            title="Changed",
            collaborators=[outsider],
        )

    assessment.refresh_from_db()
    assert assessment.title != "Changed"
    assert assessment.version == 1
    assert not assessment.collaborators.exists()


@pytest.mark.django_db
def test_team_members_become_collaborators_and_the_owner_is_not_one(version, team, practitioner):
    colleague = MembershipFactory(team=team, user=UserFactory(username="cole")).user

    created = _create(
        practitioner, team, version.framework, collaborators=[colleague, practitioner]
    )

    assert list(created.collaborators.all()) == [colleague]


# --- a submitted assessment refuses edits -----------------------------------------------------


@pytest.fixture
def submitted(assessment):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    return assessment


@pytest.fixture
def dimension(version):
    return version.dimensions.get(key="personal")


EDITS = {
    "context": lambda a, u, d: core_services.assessment_update(
        assessment=a, user=u, base_version=a.version, title="Changed"
    ),
    "section": lambda a, u, d: services.section_save(
        assessment=a,
        section=a.framework_version.sections.get(key="context"),
        user=u,
        texts={"context-situation": "Changed"},
        versions={},
    ),
    "group": lambda a, u, d: services.group_save(assessment=a, user=u, name="New group"),
    "threat": lambda a, u, d: services.threat_save(
        assessment=a, user=u, title="New", dimension=d, likelihood=1, severity=1, urgency=1
    ),
    "response": lambda a, u, d: services.response_save(
        assessment=a, user=u, title="New", strategy="protection"
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.django_db
def test_a_submitted_assessment_cannot_be_edited(submitted, practitioner, dimension, edit):
    # The instance in hand still says "draft": the service reads the stored status.
    assert submitted.status == Assessment.Status.DRAFT

    with pytest.raises(ValidationError) as caught:
        EDITS[edit](submitted, practitioner, dimension)

    assert "submitted and cannot be changed" in " ".join(caught.value.messages)
    submitted.refresh_from_db()
    assert submitted.title != "Changed"
    assert not Answer.objects.filter(assessment=submitted).exists()
    assert not PopulationGroup.objects.filter(assessment=submitted).exists()
    assert not Threat.objects.filter(assessment=submitted).exists()
    assert not Response.objects.filter(assessment=submitted).exists()


@pytest.mark.django_db
def test_a_submitted_assessment_refuses_deletions(assessment, practitioner, dimension):
    threat = services.threat_save(
        assessment=assessment,
        user=practitioner,
        title="Floods",
        dimension=dimension,
        likelihood=2,
        severity=2,
        urgency=2,
    )
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)

    with pytest.raises(ValidationError):
        services.threat_delete(assessment=assessment, threat=threat, user=practitioner)

    assert Threat.objects.filter(pk=threat.pk).exists()


@pytest.mark.parametrize("status", [Assessment.Status.DRAFT, Assessment.Status.RETURNED])
@pytest.mark.django_db
def test_draft_and_returned_assessments_can_be_edited(assessment, practitioner, status):
    Assessment.objects.filter(pk=assessment.pk).update(status=status)

    updated = core_services.assessment_update(
        assessment=assessment, user=practitioner, base_version=1, title="Changed"
    )

    assert updated.title == "Changed"
    assert updated.version == 2


# --- threats: tags and indicators ---------------------------------------------------------------


@pytest.fixture
def components(version):
    return {c.key: c for c in version.components.all()}


@pytest.mark.django_db
def test_threat_save_sets_tags_indicators_and_groups(
    assessment, practitioner, dimension, components
):
    group = services.group_save(assessment=assessment, user=practitioner, name="Women")

    threat = services.threat_save(
        assessment=assessment,
        user=practitioner,
        title="Raids on the camp",
        dimension=dimension,
        likelihood=4,
        severity=5,
        urgency=3,
        root_causes="Land disputes.",
        affected_groups=[group],
        tags={
            components["person-centred"].pk: "  Women are targeted.  ",
            components["preventive"].pk: "Raids follow harvest sales.",
        },
        indicators=[
            {"name": "Harvest sales", "kind": "trigger", "threshold": "first market day"},
            {"name": "Armed men seen", "kind": "proximate"},
        ],
    )

    threat = Threat.objects.get(pk=threat.pk)
    assert threat.version == 1
    assert (threat.likelihood, threat.severity, threat.urgency) == (4, 5, 3)
    assert list(threat.affected_groups.all()) == [group]
    assert {t.component.key: t.rationale for t in threat.tags.all()} == {
        "person-centred": "Women are targeted.",
        "preventive": "Raids follow harvest sales.",
    }
    assert [(i.name, i.kind, i.threshold) for i in threat.indicators.all()] == [
        ("Harvest sales", "trigger", "first market day"),
        ("Armed men seen", "proximate", ""),
    ]


@pytest.mark.django_db
def test_threat_save_removes_untagged_components_and_deleted_indicators(
    assessment, practitioner, dimension, components
):
    threat = services.threat_save(
        assessment=assessment,
        user=practitioner,
        title="Raids",
        dimension=dimension,
        likelihood=3,
        severity=3,
        urgency=3,
        tags={
            components["person-centred"].pk: "Women are targeted.",
            components["preventive"].pk: "Raids follow harvest sales.",
        },
        indicators=[{"name": "Harvest sales"}, {"name": "Armed men seen"}],
    )
    keep, drop = threat.indicators.order_by("id")

    services.threat_save(
        assessment=assessment,
        user=practitioner,
        threat=threat,
        base_version=1,
        tags={
            components["preventive"].pk: "Raids follow the harvest.",
            components["multi-dimensional"].pk: "Food and safety at once.",
        },
        indicators=[
            {"id": keep.pk, "name": "Harvest sales begin"},
            {"id": drop.pk, "name": "Armed men seen", "delete": True},
            {"name": "Road closures", "kind": "trigger"},
        ],
    )

    threat = Threat.objects.get(pk=threat.pk)
    assert threat.version == 2
    assert {t.component.key: t.rationale for t in threat.tags.all()} == {
        "multi-dimensional": "Food and safety at once.",
        "preventive": "Raids follow the harvest.",
    }
    assert [(i.pk, i.name) for i in threat.indicators.order_by("id")][:1] == [
        (keep.pk, "Harvest sales begin")
    ]
    assert [i.name for i in threat.indicators.order_by("id")] == [
        "Harvest sales begin",
        "Road closures",
    ]
    assert not Indicator.objects.filter(pk=drop.pk).exists()


@pytest.mark.django_db
def test_threat_save_keeps_tags_and_indicators_when_not_given(
    assessment, practitioner, dimension, components
):
    threat = services.threat_save(
        assessment=assessment,
        user=practitioner,
        title="Raids",
        dimension=dimension,
        likelihood=3,
        severity=3,
        urgency=3,
        tags={components["preventive"].pk: "Raids follow harvest sales."},
        indicators=[{"name": "Harvest sales"}],
    )

    services.threat_save(
        assessment=assessment, user=practitioner, threat=threat, base_version=1, title="Night raids"
    )

    assert threat.tags.count() == 1
    assert threat.indicators.count() == 1


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"likelihood": 6}, "likelihood"),
        ({"severity": 0}, "severity"),
        ({"urgency": 9}, "urgency"),
    ],
)
@pytest.mark.django_db
def test_threat_save_refuses_values_off_the_framework_scale(
    assessment, practitioner, dimension, kwargs, field
):
    values = {"likelihood": 3, "severity": 3, "urgency": 3, **kwargs}

    with pytest.raises(ValidationError) as caught:
        services.threat_save(
            assessment=assessment, user=practitioner, title="X", dimension=dimension, **values
        )

    assert field in caught.value.message_dict
    assert not Threat.objects.exists()


@pytest.mark.django_db
def test_threat_save_refuses_a_tag_without_rationale(
    assessment, practitioner, dimension, components
):
    with pytest.raises(ValidationError):
        services.threat_save(
            assessment=assessment,
            user=practitioner,
            title="X",
            dimension=dimension,
            likelihood=1,
            severity=1,
            urgency=1,
            tags={components["preventive"].pk: "   "},
        )

    assert not Threat.objects.exists()
    assert not ComponentTag.objects.exists()


@pytest.mark.django_db
def test_threat_save_refuses_an_indicator_of_another_threat(assessment, practitioner, dimension):
    base = {"dimension": dimension, "likelihood": 1, "severity": 1, "urgency": 1}
    one = services.threat_save(
        assessment=assessment, user=practitioner, title="One", indicators=[{"name": "A"}], **base
    )
    two = services.threat_save(assessment=assessment, user=practitioner, title="Two", **base)
    foreign = one.indicators.get()

    with pytest.raises(ValidationError):
        services.threat_save(
            assessment=assessment,
            user=practitioner,
            threat=two,
            base_version=1,
            indicators=[{"id": foreign.pk, "name": "Hijacked", "delete": True}],
        )

    foreign.refresh_from_db()
    assert foreign.name == "A"
    assert foreign.threat == one


# --- history ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_threat_save_is_recorded_with_who_made_it(assessment, practitioner, team, dimension):
    colleague = MembershipFactory(team=team, user=UserFactory(username="cole")).user
    assessment.collaborators.add(colleague)
    threat = services.threat_save(
        assessment=assessment,
        user=practitioner,
        title="Raids",
        dimension=dimension,
        likelihood=3,
        severity=3,
        urgency=3,
    )
    assert Threat.history.filter(id=threat.pk).count() == 1

    services.threat_save(
        assessment=assessment,
        user=colleague,
        threat=threat,
        base_version=1,
        title="Night raids",
    )

    records = list(Threat.history.filter(id=threat.pk).order_by("history_date", "history_id"))
    assert len(records) == 2
    assert [(r.history_type, r.title, r.history_user) for r in records] == [
        ("+", "Raids", practitioner),
        ("~", "Night raids", colleague),
    ]

    pk = threat.pk
    services.threat_delete(assessment=assessment, threat=threat, user=practitioner)

    last = Threat.history.filter(id=pk).order_by("-history_id").first()
    assert (last.history_type, last.history_user) == ("-", practitioner)


@pytest.mark.django_db
def test_answers_and_context_keep_their_history(assessment, practitioner):
    _answer(assessment, practitioner, "context-situation", "First")
    answer = Answer.objects.get(assessment=assessment)
    services.section_save(
        assessment=assessment,
        section=answer.prompt.section,
        user=practitioner,
        texts={"context-situation": "Second"},
        versions={"context-situation": 1},
    )
    core_services.assessment_update(
        assessment=assessment, user=practitioner, base_version=1, area="Gwoza"
    )

    assert [h.text for h in answer.history.order_by("history_id")] == ["First", "Second"]
    assert {h.history_user for h in answer.history.all()} == {practitioner}
    latest = assessment.history.order_by("-history_id").first()
    assert (latest.area, latest.history_user) == ("Gwoza", practitioner)


# --- the risk matrix and the component × dimension map ------------------------------------------


@pytest.mark.django_db
def test_risk_matrix_places_a_threat_in_its_cell(assessment, practitioner, dimension):
    threat = services.threat_save(
        assessment=assessment,
        user=practitioner,
        title="Raids",
        dimension=dimension,
        likelihood=4,
        severity=2,
        urgency=3,
    )

    matrix = risk_matrix(AssessmentData(assessment))

    # Rows run from the most likely down; columns from the least severe up.
    assert [row["likelihood"].value for row in matrix["rows"]] == [5, 4, 3, 2, 1]
    assert [s.value for s in matrix["severities"]] == [1, 2, 3, 4, 5]
    placed = [
        (row["likelihood"].value, cell["severity"].value)
        for row in matrix["rows"]
        for cell in row["cells"]
        if threat in cell["threats"]
    ]
    assert placed == [(4, 2)]
    corner = matrix["rows"][0]["cells"][-1]
    assert (corner["severity"].value, corner["band"]) == (5, "critical")
    assert matrix["rows"][-1]["cells"][0]["band"] == "low"


@pytest.mark.django_db
def test_risk_matrix_shares_a_cell_between_equal_threats(assessment, practitioner, dimension):
    base = {"dimension": dimension, "likelihood": 2, "severity": 5, "urgency": 1}
    one = services.threat_save(assessment=assessment, user=practitioner, title="One", **base)
    two = services.threat_save(assessment=assessment, user=practitioner, title="Two", **base)

    matrix = risk_matrix(AssessmentData(assessment))

    cell = next(r for r in matrix["rows"] if r["likelihood"].value == 2)["cells"][4]
    assert cell["severity"].value == 5
    assert {t.pk for t in cell["threats"]} == {one.pk, two.pk}
    assert sum(len(c["threats"]) for r in matrix["rows"] for c in r["cells"]) == 2


@pytest.mark.django_db
def test_component_dimension_map_counts_tags_per_dimension(
    assessment, practitioner, version, components
):
    dims = {d.key: d for d in version.dimensions.all()}
    pc, prev = components["person-centred"].pk, components["preventive"].pk
    for title, dim, tags in (
        ("Raids", "personal", {pc: "a", prev: "b"}),
        ("Kidnapping", "personal", {pc: "c"}),
        ("Crop loss", "food", {prev: "d"}),
        ("Cholera", "health", {}),
    ):
        services.threat_save(
            assessment=assessment,
            user=practitioner,
            title=title,
            dimension=dims[dim],
            likelihood=2,
            severity=2,
            urgency=2,
            tags=tags,
        )

    cdmap = component_dimension_map(AssessmentData(assessment))

    assert [c.key for c in cdmap["components"]] == [
        "person-centred",
        "context-specific",
        "multi-dimensional",
        "preventive",
    ]
    rows = {r["dimension"].key: (r["total"], [c["n"] for c in r["cells"]]) for r in cdmap["rows"]}
    assert list(rows) == [d.key for d in version.dimensions.order_by("order")]
    assert rows["personal"] == (2, [2, 0, 0, 1])
    assert rows["food"] == (1, [0, 0, 0, 1])
    assert rows["health"] == (1, [0, 0, 0, 0])
    assert rows["economic"] == (0, [0, 0, 0, 0])
    # Shaded by count (grey steps; the number is printed too), the busiest cell darkest.
    shades = {r["dimension"].key: [c["shade"] for c in r["cells"]] for r in cdmap["rows"]}
    assert shades["personal"] == [4, 0, 0, 2]


@pytest.mark.django_db
def test_the_period_must_not_end_before_it_starts(assessment, practitioner):
    with pytest.raises(ValidationError):
        core_services.assessment_update(
            assessment=assessment,
            user=practitioner,
            base_version=1,
            period_start=datetime.date(2024, 6, 1),
            period_end=datetime.date(2024, 1, 1),
        )

    assessment.refresh_from_db()
    assert assessment.period_start is None
    assert assessment.version == 1


def _threat(assessment, user, dimension, title, **extra):
    return services.threat_save(
        assessment=assessment,
        user=user,
        title=title,
        dimension=dimension,
        likelihood=2,
        severity=2,
        urgency=2,
        **extra,
    )


@pytest.mark.django_db
def test_threat_numbers_are_given_once_and_never_reused(assessment, practitioner, dimension):
    first = _threat(assessment, practitioner, dimension, "Floods")
    second = _threat(assessment, practitioner, dimension, "Raids")
    third = _threat(assessment, practitioner, dimension, "Cholera")
    assert [t.ref for t in (first, second, third)] == ["T1", "T2", "T3"]

    services.threat_delete(assessment=assessment, threat=third, user=practitioner)
    services.threat_delete(assessment=assessment, threat=first, user=practitioner)
    # An edit keeps the number; a new threat takes the next one, never a deleted one.
    edited = _threat(
        assessment,
        practitioner,
        dimension,
        "Raids at night",
        threat=second,
        base_version=second.version,
    )
    fourth = _threat(assessment, practitioner, dimension, "Price spikes")

    assert (edited.number, fourth.number) == (2, 4)


@pytest.mark.django_db
def test_an_import_keeps_a_free_number_and_renumbers_a_taken_one(
    assessment, practitioner, dimension
):
    kept = _threat(assessment, practitioner, dimension, "Floods", number=7)
    clash = _threat(assessment, practitioner, dimension, "Raids", number=7)
    after = _threat(assessment, practitioner, dimension, "Cholera")

    assert (kept.number, clash.number, after.number) == (7, 8, 9)
