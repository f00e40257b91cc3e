"""The limits of an assessment (assessments/limits.py) hold in the services, so the pages,
the import and anything else are bound alike: one more than the cap is refused with a
message naming it, and nothing is written; the cap itself is accepted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import limits
from assessments.content import services
from assessments.core import services as core_services
from assessments.models import Indicator, PopulationGroup, Response, Threat
from tests.factories import IndicatorFactory, ThreatFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def dimension(version):
    return version.dimensions.order_by("order").first()


def _fill(assessment, model, count: int, **fields) -> None:
    """`count` rows of `model` in `assessment`, written at once (their rules are not
    what these tests check)."""
    extra = {"number": lambda i: i + 1} if model is Threat else {}
    model.objects.bulk_create(
        model(
            assessment=assessment,
            **{name: (value(i) if callable(value) else value) for name, value in fields.items()},
            **{name: value(i) for name, value in extra.items()},
        )
        for i in range(count)
    )


def _new_threat(assessment, user, dimension, **extra):
    return services.threat_save(
        assessment=assessment,
        user=user,
        title="One more",
        dimension=dimension,
        likelihood=1,
        severity=1,
        urgency=1,
        **extra,
    )


def test_the_201st_threat_is_refused_naming_the_limit(assessment, practitioner, dimension):
    levels = {"likelihood": 1, "severity": 1, "urgency": 1}
    _fill(assessment, Threat, 199, title=lambda i: f"T{i}", dimension=dimension, **levels)
    _new_threat(assessment, practitioner, dimension)  # the 200th fits

    with pytest.raises(ValidationError) as refused:
        _new_threat(assessment, practitioner, dimension)

    assert refused.value.messages == ["An assessment holds at most 200 threats."]
    assert assessment.threats.count() == limits.THREATS


def test_a_threat_at_the_limit_can_still_be_edited(assessment, practitioner, dimension):
    levels = {"likelihood": 1, "severity": 1, "urgency": 1}
    _fill(assessment, Threat, 200, title=lambda i: f"T{i}", dimension=dimension, **levels)
    threat = assessment.threats.get(number=1)

    services.threat_save(
        assessment=assessment, user=practitioner, threat=threat, base_version=1, title="Edited"
    )

    assert assessment.threats.get(number=1).title == "Edited"


def test_the_51st_group_is_refused_naming_the_limit(assessment, practitioner):
    _fill(assessment, PopulationGroup, 50, name=lambda i: f"Group {i}")

    with pytest.raises(ValidationError) as refused:
        services.group_save(assessment=assessment, user=practitioner, name="One more")

    assert refused.value.messages == ["An assessment holds at most 50 population groups."]
    assert assessment.groups.count() == limits.GROUPS


def test_the_101st_response_is_refused_naming_the_limit(assessment, practitioner):
    _fill(assessment, Response, 100, title=lambda i: f"R{i}", strategy="protection")

    with pytest.raises(ValidationError) as refused:
        services.response_save(
            assessment=assessment, user=practitioner, title="One more", strategy="protection"
        )

    assert refused.value.messages == ["An assessment holds at most 100 responses."]
    assert assessment.responses.count() == limits.RESPONSES


def test_an_11th_indicator_is_refused_and_a_swap_at_the_limit_is_not(assessment, practitioner):
    threat = ThreatFactory(assessment=assessment)
    existing = [IndicatorFactory(threat=threat) for _ in range(10)]
    rows = [{"id": i.pk, "name": i.name, "kind": i.kind} for i in existing]
    new = {"name": "Market prices", "kind": "structural"}

    with pytest.raises(ValidationError) as refused:
        services.threat_save(
            assessment=assessment, user=practitioner, threat=threat, base_version=1,
            indicators=[*rows, new],
        )  # fmt: skip
    assert refused.value.message_dict == {"indicators": ["A threat holds at most 10 indicators."]}
    assert threat.indicators.count() == 10

    rows[0]["delete"] = True
    services.threat_save(
        assessment=assessment, user=practitioner, threat=threat, base_version=1,
        indicators=[*rows, new],
    )  # fmt: skip
    assert set(Indicator.objects.filter(threat=threat).values_list("name", flat=True)) == {
        *(i.name for i in existing[1:]),
        "Market prices",
    }


def test_the_51st_collaborator_is_refused_naming_the_limit(assessment, practitioner, team):
    people = [member(team, f"person-{i}") for i in range(51)]

    with pytest.raises(ValidationError) as refused:
        core_services.assessment_update(
            assessment=assessment, user=practitioner, base_version=1, collaborators=people
        )

    assert refused.value.message_dict == {
        "collaborators": ["An assessment has at most 50 collaborators."]
    }
    assert assessment.collaborators.count() == 0
    core_services.assessment_update(
        assessment=assessment, user=practitioner, base_version=1, collaborators=people[:50]
    )
    assert assessment.collaborators.count() == 50


def test_long_texts_are_held_to_the_forms_limit_by_the_services(assessment, practitioner):
    services.group_save(
        assessment=assessment, user=practitioner, name="At the limit", description="x" * 20_000
    )

    with pytest.raises(ValidationError) as refused:
        services.group_save(
            assessment=assessment, user=practitioner, name="Over", description="x" * 20_001
        )

    assert refused.value.message_dict == {
        "description": ["Ensure this value has at most 20000 characters (it has 20001)."]
    }
    assert list(assessment.groups.values_list("name", flat=True)) == ["At the limit"]


def test_a_rationale_is_held_to_2000_characters(assessment, practitioner, dimension):
    component = assessment.framework_version.components.first()

    with pytest.raises(ValidationError) as refused:
        _new_threat(assessment, practitioner, dimension, tags={component.pk: "x" * 2001})

    assert refused.value.message_dict == {
        "rationale": ["Ensure this value has at most 2000 characters (it has 2001)."]
    }
    assert not assessment.threats.exists()


def test_the_threat_page_shows_the_limit_and_saves_nothing(
    client, login, assessment, practitioner, dimension
):
    levels = {"likelihood": 1, "severity": 1, "urgency": 1}
    _fill(assessment, Threat, 200, title=lambda i: f"T{i}", dimension=dimension, **levels)
    data = {
        "title": "One more",
        "dimension": dimension.pk,
        **levels,
        "onset": "chronic",
        "trend": "stable",
        "confidence": "medium",
        "basis": "observed",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
    }

    response = login(practitioner).post(
        reverse("assessments:threat_create", args=[assessment.pk]), data
    )

    assert "An assessment holds at most 200 threats." in response.content.decode()
    assert assessment.threats.count() == 200
