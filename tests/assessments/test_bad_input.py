"""Bad input is a form error the person can read (status 200, the message in the page),
never a server error, and it changes nothing. Unknown ids in URLs are 404s."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pytest
from django.utils.html import escape

from assessments.models import (
    Answer,
    Assessment,
    ComponentTag,
    Indicator,
    PopulationGroup,
    Response,
    Team,
    Threat,
)
from frameworks.models import Dimension, FrameworkVersion
from frameworks.services import version_new_draft, version_publish
from tests.factories import (
    AssessmentFactory,
    IndicatorFactory,
    MembershipFactory,
    PopulationGroupFactory,
    ResponseFactory,
    TeamFactory,
    ThreatFactory,
    UserFactory,
    default_version,
)

pytestmark = pytest.mark.django_db

SELECT_VALID = "Select a valid choice."


@dataclass
class World:
    version: FrameworkVersion
    team: Team
    owner: object
    assessment: Assessment
    group: PopulationGroup
    threat: Threat
    indicator: Indicator
    response: Response
    other: Assessment
    other_group: PopulationGroup
    other_threat: Threat
    other_indicator: Indicator


@pytest.fixture
def world(db) -> World:
    """Two draft assessments of team North, both owned by pat: bad input names things of
    the other one, which pat may see but which do not belong to the one being edited."""
    version = default_version()
    team = TeamFactory(name="North", slug="north")
    owner = MembershipFactory(team=team, user=UserFactory(username="pat")).user
    assessment = AssessmentFactory(
        title="Northern assessment", team=team, owner=owner, framework_version=version
    )
    group = PopulationGroupFactory(assessment=assessment, name="Displaced women")
    threat = ThreatFactory(assessment=assessment, title="Flooding of the camps")
    threat.affected_groups.add(group)
    indicator = IndicatorFactory(threat=threat, name="River level at the bridge")
    response = ResponseFactory(assessment=assessment, title="Early warning by radio")
    other = AssessmentFactory(
        title="Another assessment", team=team, owner=owner, framework_version=version
    )
    other_group = PopulationGroupFactory(assessment=other, name="Herders")
    other_threat = ThreatFactory(assessment=other, title="Cattle raids")
    other_indicator = IndicatorFactory(threat=other_threat, name="Raids reported per week")
    return World(
        version,
        team,
        owner,
        assessment,
        group,
        threat,
        indicator,
        response,
        other,
        other_group,
        other_threat,
        other_indicator,
    )


@pytest.fixture
def owner_client(client, world):
    client.force_login(world.owner)
    return client


def snapshot() -> dict:
    """Everything the forms below could change."""
    return {
        "assessments": list(
            Assessment.objects.order_by("pk").values_list(
                "pk", "title", "version", "period_start", "period_end"
            )
        ),
        "answers": list(Answer.objects.order_by("pk").values_list("pk", "text", "version")),
        "groups": list(
            PopulationGroup.objects.order_by("pk").values_list(
                "pk", "name", "age_from", "age_to", "version"
            )
        ),
        "threats": list(
            Threat.objects.order_by("pk").values_list(
                "pk", "title", "description", "dimension_id", "likelihood", "urgency", "version"
            )
        ),
        "affected": list(
            Threat.affected_groups.through.objects.order_by("pk").values_list(
                "threat_id", "populationgroup_id"
            )
        ),
        "further": list(
            Threat.further_dimensions.through.objects.order_by("pk").values_list(
                "threat_id", "dimension_id"
            )
        ),
        "tags": list(ComponentTag.objects.order_by("pk").values_list("pk", "rationale")),
        "indicators": list(
            Indicator.objects.order_by("pk").values_list("pk", "threat_id", "name", "kind")
        ),
        "responses": list(Response.objects.order_by("pk").values_list("pk", "title", "version")),
        "served": list(
            Response.groups.through.objects.order_by("pk").values_list(
                "response_id", "populationgroup_id"
            )
        ),
        "addressed": list(
            Response.threats.through.objects.order_by("pk").values_list("response_id", "threat_id")
        ),
    }


def assert_form_error(response, field: str | None, expected: str, *, form: str = "form"):
    """A 200 page whose form has an error on `field` (None: not tied to a field),
    with the error text, and `expected` in it, shown in the page."""
    assert response.status_code == 200
    content = response.content.decode()
    errors = response.context[form].errors
    key = field or "__all__"
    assert key in errors, errors
    messages = errors[key]
    assert any(expected in message for message in messages), messages
    for message in messages:
        assert escape(message) in content


STALE_FORM = "This form was changed outside the page"


def assert_rejected(response, field: str, expected: str, *, form: str = "form"):
    """A 200 page whose form refused `field`, with the message shown to the person
    (hidden fields such as the `version` a form was loaded at included)."""
    assert response.status_code == 200
    errors = response.context[form].errors
    assert field in errors, errors
    assert any(expected in message for message in errors[field]), errors[field]
    page = html.unescape(response.content.decode())
    assert expected in page


# --- threats ---------------------------------------------------------------------------

NO_INDICATORS = {
    "indicators-TOTAL_FORMS": "0",
    "indicators-INITIAL_FORMS": "0",
    "indicators-MIN_NUM_FORMS": "0",
    "indicators-MAX_NUM_FORMS": "1000",
}


def threat_data(w: World, **changes) -> dict:
    data = {
        "title": "Flooding of the lower camps",
        "description": "",
        "dimension": w.version.dimensions.order_by("order").first().pk,
        "onset": "sudden",
        "actor_type": "natural",
        "affected_groups": [w.group.pk],
        "likelihood": "4",
        "severity": "3",
        "urgency": "2",
        "trend": "stable",
        "confidence": "medium",
        "basis": "observed",
        **NO_INDICATORS,
    }
    data.update(changes)
    return data


def threat_urls(w: World) -> dict[str, str]:
    base = f"/assessments/{w.assessment.pk}/threats/"
    return {"create": f"{base}new/", "update": f"{base}{w.threat.pk}/edit/"}


def _dimension_of_a_newer_version(w: World) -> int:
    draft = version_new_draft(version=w.version)
    version_publish(version=draft)
    return Dimension.objects.get(version=draft, key="economic").pk


BAD_THREAT_FIELDS = {
    "likelihood-out-of-scale": ("likelihood", lambda w: "9", SELECT_VALID),
    "urgency-zero": ("urgency", lambda w: "0", SELECT_VALID),
    "likelihood-not-a-number": ("likelihood", lambda w: "abc", SELECT_VALID),
    "dimension-of-another-version": ("dimension", _dimension_of_a_newer_version, SELECT_VALID),
    "dimension-unknown": ("dimension", lambda w: "999999", SELECT_VALID),
    "dimension-not-a-number": ("dimension", lambda w: "abc", SELECT_VALID),
    "group-of-another-assessment": (
        "affected_groups",
        lambda w: [w.other_group.pk],
        "is not one of the available choices",
    ),
    "group-not-a-number": ("affected_groups", lambda w: ["abc"], "is not a valid value"),
    "title-too-long": (
        "title",
        lambda w: "x" * 201,
        "Ensure this value has at most 200 characters (it has 201).",
    ),
    "description-too-long": (
        "description",
        lambda w: "x" * 20_001,
        "Ensure this value has at most 20000 characters (it has 20001).",
    ),
    "title-empty": ("title", lambda w: "", "This field is required."),
    # Scores start at "Choose…": one left there is refused, never taken as a default.
    "likelihood-not-chosen": ("likelihood", lambda w: "", "Choose the likelihood"),
    "severity-not-chosen": ("severity", lambda w: "", "Choose the severity"),
    "urgency-not-chosen": ("urgency", lambda w: "", "Choose the urgency"),
    "further-dimension-is-the-primary": (
        "further_dimensions",
        lambda w: [w.version.dimensions.order_by("order").first().pk],
        "The primary dimension cannot also be a further one",
    ),
    "further-dimension-of-another-version": (
        "further_dimensions",
        lambda w: [_dimension_of_a_newer_version(w)],
        "is not one of the available choices",
    ),
}


@pytest.mark.parametrize("action", ["create", "update"])
@pytest.mark.parametrize(
    ("field", "value", "message"), BAD_THREAT_FIELDS.values(), ids=list(BAD_THREAT_FIELDS)
)
def test_a_bad_threat_field_is_a_form_error(owner_client, world, action, field, value, message):
    data = threat_data(world, **{field: value(world)}, version=world.threat.version)
    before = snapshot()

    response = owner_client.post(threat_urls(world)[action], data)

    assert_form_error(response, field, message)
    assert snapshot() == before


@pytest.mark.parametrize("action", ["create", "update"])
def test_a_component_tagged_without_a_rationale_is_a_form_error(owner_client, world, action):
    component = world.version.components.order_by("order").first()
    data = threat_data(
        world,
        version=world.threat.version,
        **{f"tag_{component.pk}": "on", f"rationale_{component.pk}": "   "},
    )
    before = snapshot()

    response = owner_client.post(threat_urls(world)[action], data)

    assert_form_error(
        response,
        f"rationale_{component.pk}",
        "Say briefly why this threat matters for this component.",
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("version", "message"),
    [("-1", STALE_FORM), ("abc", STALE_FORM)],
)
def test_a_tampered_threat_version_is_a_form_error(owner_client, world, version, message):
    before = snapshot()

    response = owner_client.post(threat_urls(world)["update"], threat_data(world, version=version))

    assert_rejected(response, "version", message)
    assert snapshot() == before


def _indicator_rows(*rows: dict, initial: int = 0) -> dict:
    data = {
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": str(initial),
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"indicators-{i}-{name}": value for name, value in row.items()})
    return data


@pytest.mark.parametrize("action", ["create", "update"])
def test_an_indicator_of_another_threat_is_never_changed(owner_client, world, action):
    # Naming another threat's indicator in the formset must not move or edit it. (That it
    # should also be a form error that saves nothing is in the report: today the row is
    # quietly saved as a new indicator of this threat.)
    foreign = {"id": world.other_indicator.pk, "name": "Taken over", "kind": "trigger"}
    data = {
        **threat_data(world, version=world.threat.version),
        **_indicator_rows(foreign, initial=1),
    }

    owner_client.post(threat_urls(world)[action], data)

    world.other_indicator.refresh_from_db()
    assert world.other_indicator.threat == world.other_threat
    assert world.other_indicator.name == "Raids reported per week"
    assert world.other_indicator.kind == "proximate"


def test_a_missing_indicator_management_form_is_a_form_error(owner_client, world):
    data = threat_data(world, version=world.threat.version)
    for key in NO_INDICATORS:
        del data[key]
    before = snapshot()

    response = owner_client.post(threat_urls(world)["update"], data)

    assert response.status_code == 200
    errors = response.context["indicators"].non_form_errors()
    assert any("ManagementForm data is missing" in e for e in errors), errors
    assert escape(errors[0]) in response.content.decode()
    assert snapshot() == before


def test_more_indicators_than_the_limit_is_a_form_error(owner_client, world):
    rows = [{"name": f"Indicator {i}", "kind": "proximate"} for i in range(11)]
    data = {**threat_data(world), **_indicator_rows(*rows)}
    before = snapshot()

    response = owner_client.post(threat_urls(world)["create"], data)

    assert response.status_code == 200
    errors = response.context["indicators"].non_form_errors()
    assert "A threat holds at most 10 indicators." in errors
    assert "A threat holds at most 10 indicators." in response.content.decode()
    assert snapshot() == before


# --- responses -------------------------------------------------------------------------


def response_data(w: World, **changes) -> dict:
    data = {
        "title": "Cash for repairs",
        "strategy": "empowerment",
        "status": "recommended",
        "actor_type": "community",
        "threats": [w.threat.pk],
        "groups": [w.group.pk],
    }
    data.update(changes)
    return data


def response_urls(w: World) -> dict[str, str]:
    base = f"/assessments/{w.assessment.pk}/responses/"
    return {"create": f"{base}new/", "update": f"{base}{w.response.pk}/edit/"}


BAD_RESPONSE_FIELDS = {
    "threat-of-another-assessment": (
        "threats",
        lambda w: [w.other_threat.pk],
        "is not one of the available choices",
    ),
    "group-of-another-assessment": (
        "groups",
        lambda w: [w.group.pk, w.other_group.pk],
        "is not one of the available choices",
    ),
    "strategy-unknown": ("strategy", lambda w: "prayer", SELECT_VALID),
    "title-too-long": ("title", lambda w: "x" * 201, "at most 200 characters"),
    "do-no-harm-too-long": ("do_no_harm_risk", lambda w: "x" * 20_001, "at most 20000"),
}


@pytest.mark.parametrize("action", ["create", "update"])
@pytest.mark.parametrize(
    ("field", "value", "message"), BAD_RESPONSE_FIELDS.values(), ids=list(BAD_RESPONSE_FIELDS)
)
def test_a_bad_response_field_is_a_form_error(owner_client, world, action, field, value, message):
    data = response_data(world, **{field: value(world)}, version=world.response.version)
    before = snapshot()

    response = owner_client.post(response_urls(world)[action], data)

    assert_form_error(response, field, message)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("version", "message"),
    [("-1", STALE_FORM), ("abc", STALE_FORM)],
)
def test_a_tampered_response_version_is_a_form_error(owner_client, world, version, message):
    before = snapshot()

    response = owner_client.post(
        response_urls(world)["update"], response_data(world, version=version)
    )

    assert_rejected(response, "version", message)
    assert snapshot() == before


# --- groups ----------------------------------------------------------------------------


def group_data(**changes) -> dict:
    data = {"name": "Older men", "sex": "male", "age_from": "60", "age_to": "", "disability": ""}
    data.update(changes)
    return data


@pytest.mark.parametrize("name", ["Displaced women", "  displaced WOMEN "])
def test_a_duplicate_group_name_is_a_form_error(owner_client, world, name):
    before = snapshot()

    response = owner_client.post(
        f"/assessments/{world.assessment.pk}/groups/new/", group_data(name=name)
    )

    assert_form_error(response, "name", "This assessment already has a group of that name.")
    assert snapshot() == before


def test_renaming_a_group_to_a_taken_name_is_a_form_error(owner_client, world):
    second = PopulationGroupFactory(assessment=world.assessment, name="Older men")
    before = snapshot()

    response = owner_client.post(
        f"/assessments/{world.assessment.pk}/groups/{second.pk}/edit/",
        group_data(name="Displaced women", version=second.version),
    )

    assert_form_error(response, "name", "This assessment already has a group of that name.")
    assert snapshot() == before


def test_a_group_name_of_another_assessment_is_allowed(owner_client, world):
    # The counterpart: names are unique per assessment, not across assessments.
    response = owner_client.post(
        f"/assessments/{world.assessment.pk}/groups/new/", group_data(name="Herders")
    )

    assert response.status_code == 302
    assert world.assessment.groups.filter(name="Herders").exists()


BAD_GROUP_FIELDS = {
    "size-negative": ("estimated_size", "-5", "greater than or equal to 0"),
    "size-not-a-number": ("estimated_size", "many", "Enter a whole number."),
    "sex-unknown": ("sex", "unknown", SELECT_VALID),
    "name-too-long": ("name", "x" * 201, "at most 200 characters"),
    "description-too-long": ("description", "x" * 20_001, "at most 20000 characters"),
    "ages-upside-down": ("age_to", "29", "The highest age (29) is below the lowest (30)"),
    "age-past-120": ("age_from", "121", "less than or equal to 120"),
    "age-negative": ("age_to", "-1", "greater than or equal to 0"),
    "only-the-highest-age": ("age_from", "", "Give the lowest age too"),
    "band-unknown": ("age_band", "teenagers", SELECT_VALID),
    "band-and-other-ages": ("age_band", "18-49", "keep one of them"),
}

# The ages each case above is sent with (the band none, unless the case sets it).
BAD_GROUP_AGES = {
    "ages-upside-down": {"age_from": "30"},
    "only-the-highest-age": {"age_to": "17"},
    "band-and-other-ages": {"age_from": "15", "age_to": "29"},
}


@pytest.mark.parametrize(
    ("case", "field", "value", "message"),
    [(case, *values) for case, values in BAD_GROUP_FIELDS.items()],
    ids=list(BAD_GROUP_FIELDS),
)
def test_a_bad_group_field_is_a_form_error(owner_client, world, case, field, value, message):
    before = snapshot()
    data = group_data(**BAD_GROUP_AGES.get(case, {}), **{field: value})

    response = owner_client.post(f"/assessments/{world.assessment.pk}/groups/new/", data)

    assert_form_error(response, field, message)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("version", "message"),
    [("-1", STALE_FORM), ("abc", STALE_FORM)],
)
def test_a_tampered_group_version_is_a_form_error(owner_client, world, version, message):
    before = snapshot()

    response = owner_client.post(
        f"/assessments/{world.assessment.pk}/groups/{world.group.pk}/edit/",
        group_data(version=version),
    )

    assert_rejected(response, "version", message)
    assert snapshot() == before


# --- sections and the assessment itself ------------------------------------------------


def test_an_overlong_answer_is_a_form_error(owner_client, world):
    before = snapshot()

    response = owner_client.post(
        f"/assessments/{world.assessment.pk}/sections/context/",
        {"text_context-situation": "x" * 20_001, "version_context-situation": "0"},
    )

    assert_form_error(
        response,
        "text_context-situation",
        "Ensure this value has at most 20000 characters (it has 20001).",
    )
    assert snapshot() == before


@pytest.mark.parametrize("version", ["-1", "abc"])
def test_a_tampered_answer_version_is_a_form_error(owner_client, world, version):
    before = snapshot()

    response = owner_client.post(
        f"/assessments/{world.assessment.pk}/sections/context/",
        {"text_context-situation": "The rains came early.", "version_context-situation": version},
    )

    assert_rejected(response, "version_context-situation", STALE_FORM)
    assert snapshot() == before


def create_data(w: World, **changes) -> dict:
    data = {
        "title": "Lake Chad basin",
        "team": w.team.pk,
        "framework": w.version.framework_id,
        "country": "Chad",
    }
    data.update(changes)
    return data


def test_creating_for_a_team_one_is_not_a_member_of_is_a_form_error(owner_client, world):
    south = TeamFactory(name="South", slug="south")
    before = snapshot()

    response = owner_client.post("/assessments/new/", create_data(world, team=south.pk))

    assert_form_error(
        response, "team", "Select a valid choice. That choice is not one of the available choices."
    )
    assert snapshot() == before


BAD_CREATE_FIELDS = {
    "team-unknown": ("team", "999999", SELECT_VALID),
    "team-not-a-number": ("team", "abc", SELECT_VALID),
    "framework-unknown": ("framework", "999999", SELECT_VALID),
    "title-too-long": ("title", "x" * 201, "at most 200 characters"),
    "country-missing": ("country", "", "This field is required."),
    "date-not-a-date": ("period_start", "yesterday", "Enter a valid date."),
}


@pytest.mark.parametrize(
    ("field", "value", "message"), BAD_CREATE_FIELDS.values(), ids=list(BAD_CREATE_FIELDS)
)
def test_a_bad_new_assessment_field_is_a_form_error(owner_client, world, field, value, message):
    before = snapshot()

    response = owner_client.post("/assessments/new/", create_data(world, **{field: value}))

    assert_form_error(response, field, message)
    assert snapshot() == before


def test_a_period_ending_before_it_starts_is_a_form_error_on_create(owner_client, world):
    before = snapshot()

    response = owner_client.post(
        "/assessments/new/",
        create_data(world, period_start="2025-06-01", period_end="2025-05-31"),
    )

    assert_form_error(response, "period_end", "The period cannot end before it starts.")
    assert snapshot() == before


def edit_data(w: World, **changes) -> dict:
    data = {"version": w.assessment.version, "title": "Northern assessment", "country": "Nigeria"}
    data.update(changes)
    return data


def test_a_period_ending_before_it_starts_is_a_form_error_on_edit(owner_client, world):
    before = snapshot()

    response = owner_client.post(
        f"/assessments/{world.assessment.pk}/edit/",
        edit_data(world, period_start="2025-06-01", period_end="2025-05-31"),
    )

    assert_form_error(response, "period_end", "The period cannot end before it starts.")
    assert snapshot() == before


def test_a_collaborator_from_outside_the_team_is_a_form_error(owner_client, world):
    MembershipFactory(team=world.team, user=UserFactory(username="tom"))
    stranger = MembershipFactory(
        team=TeamFactory(name="South", slug="south"), user=UserFactory(username="olga")
    ).user
    before = snapshot()

    response = owner_client.post(
        f"/assessments/{world.assessment.pk}/edit/",
        edit_data(world, collaborators=[stranger.pk]),
    )

    assert_form_error(response, "collaborators", "is not one of the available choices")
    assert snapshot() == before
    assert not world.assessment.collaborators.exists()


@pytest.mark.parametrize(
    ("version", "message"),
    [("-1", STALE_FORM), ("abc", STALE_FORM)],
)
def test_a_tampered_assessment_version_is_a_form_error(owner_client, world, version, message):
    before = snapshot()

    response = owner_client.post(
        f"/assessments/{world.assessment.pk}/edit/",
        edit_data(world, title="Renamed", version=version),
    )

    assert_rejected(response, "version", message)
    assert snapshot() == before


# --- unknown ids in URLs ---------------------------------------------------------------

UNKNOWN = {
    "assessment": lambda w: "/assessments/999999/",
    "assessment-edit": lambda w: "/assessments/999999/edit/",
    "section": lambda w: f"/assessments/{w.assessment.pk}/sections/no-such-section/",
    "group": lambda w: f"/assessments/{w.assessment.pk}/groups/999999/edit/",
    "group-delete": lambda w: f"/assessments/{w.assessment.pk}/groups/999999/delete/",
    "threat": lambda w: f"/assessments/{w.assessment.pk}/threats/999999/edit/",
    "threat-delete": lambda w: f"/assessments/{w.assessment.pk}/threats/999999/delete/",
    "response": lambda w: f"/assessments/{w.assessment.pk}/responses/999999/edit/",
    "response-delete": lambda w: f"/assessments/{w.assessment.pk}/responses/999999/delete/",
    # Things that exist, but in another assessment than the one in the URL.
    "group-of-another": (
        lambda w: f"/assessments/{w.assessment.pk}/groups/{w.other_group.pk}/edit/"
    ),
    "group-of-another-delete": (
        lambda w: f"/assessments/{w.assessment.pk}/groups/{w.other_group.pk}/delete/"
    ),
    "threat-of-another": (
        lambda w: f"/assessments/{w.assessment.pk}/threats/{w.other_threat.pk}/edit/"
    ),
    "threat-of-another-delete": (
        lambda w: f"/assessments/{w.assessment.pk}/threats/{w.other_threat.pk}/delete/"
    ),
}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", UNKNOWN.values(), ids=list(UNKNOWN))
def test_unknown_ids_in_urls_are_not_found(owner_client, world, url, method):
    before = snapshot()

    response = getattr(owner_client, method)(url(world))

    assert response.status_code == 404
    assert snapshot() == before


def test_a_section_of_another_framework_version_is_not_found(owner_client, world):
    draft = version_new_draft(version=world.version)
    draft.sections.filter(key="context").update(key="context-v2")

    response = owner_client.get(f"/assessments/{world.assessment.pk}/sections/context-v2/")

    assert response.status_code == 404


# --- list filters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "team=abc&status=zzz&page=-5",
        "team=999999&dimension=no-such-dimension&page=abc",
        "page=99999",
        "status=draft&page=0",
        "q=" + "x" * 201,
    ],
)
def test_junk_list_filters_still_list(owner_client, world, query):
    response = owner_client.get(f"/assessments/?{query}")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Northern assessment" in content
    assert "Another assessment" in content
    assert set(response.context["page"].object_list) == {world.assessment, world.other}


@pytest.mark.parametrize(
    "query",
    ["q=%27%22%26%7C%21%28%29%3A%2A%5C", "q=%3C%3E%20OR%201%3D1", "country=%27%3B--"],
)
def test_a_search_of_punctuation_finds_nothing_without_an_error(owner_client, world, query):
    response = owner_client.get(f"/assessments/?{query}")

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "No assessment matches." in response.content.decode()
