"""Issue 13, item 5: what a person notices of the modelling. A threat's further
dimensions count in the component map and the lens check; a response serves several
groups and shows under each; threats are linked from the group's form; ages are ranges
with the standard bands as quick choices; a threat's scores are chosen, never assumed."""

from __future__ import annotations

import html
import re

import pytest

from assessments.briefs.context import brief_context
from assessments.content.selectors import AssessmentData, component_dimension_map
from assessments.lens import lens_check
from assessments.models import PopulationGroup, Response, Threat
from tests.factories import (
    AssessmentFactory,
    ComponentTagFactory,
    PopulationGroupFactory,
    ResponseFactory,
    ThreatFactory,
)

pytestmark = pytest.mark.django_db


def _dims(assessment) -> dict:
    return {d.key: d for d in assessment.framework_version.dimensions.all()}


def _page(response) -> str:
    assert response.status_code == 200
    # Analysts' names sit in <bdi> (their own direction); the words are what count here.
    return html.unescape(re.sub(r"</?bdi>", "", response.content.decode()))


# --- further dimensions -------------------------------------------------------------------


def _several_dimensions_gap(assessment) -> list[str]:
    check = next(c for c in lens_check(AssessmentData(assessment)) if c.key == "multi-dimensional")
    return [g.text for g in check.gaps if "dimension(s)" in g.text]


def test_a_threat_with_further_dimensions_counts_in_the_map_and_the_lens_check(assessment):
    dims = _dims(assessment)
    threat = ThreatFactory(assessment=assessment, dimension=dims["political"])
    ComponentTagFactory(threat=threat)
    assert _several_dimensions_gap(assessment) == [
        "Threats cover 1 dimension(s); look across at least 3."
    ]

    threat.further_dimensions.set([dims["economic"], dims["personal"]])

    assert _several_dimensions_gap(assessment) == []
    rows = {
        r["dimension"].key: r for r in component_dimension_map(AssessmentData(assessment))["rows"]
    }
    for key in ("political", "economic", "personal"):
        assert rows[key]["total"] == 1, key
        assert sum(cell["n"] for cell in rows[key]["cells"]) == 1, key
    assert rows["food"]["total"] == 0


def test_the_register_shows_and_filters_by_further_dimensions(client, login, assessment):
    dims = _dims(assessment)
    threat = ThreatFactory(assessment=assessment, title="Land grabs", dimension=dims["political"])
    threat.further_dimensions.set([dims["economic"], dims["personal"]])
    ThreatFactory(assessment=assessment, title="Cholera", dimension=dims["health"])
    login(assessment.owner)
    url = f"/assessments/{assessment.pk}/threats/"

    page = _page(client.get(url))
    assert (
        f"{dims['political'].name} (also {dims['economic'].name}, {dims['personal'].name})" in page
    )

    economic = _page(client.get(url, {"dimension": dims["economic"].pk}))
    assert "Land grabs" in economic and "Cholera" not in economic


def test_the_threat_form_saves_further_dimensions(client, login, assessment):
    dims = _dims(assessment)
    login(assessment.owner)

    response = client.post(
        f"/assessments/{assessment.pk}/threats/new/",
        {
            **_threat_post(dims["food"]),
            "further_dimensions": [dims["economic"].pk, dims["health"].pk],
        },
    )

    assert response.status_code == 302
    threat = Threat.objects.get(assessment=assessment)
    assert threat.dimension == dims["food"]
    assert set(threat.further_dimensions.all()) == {dims["economic"], dims["health"]}


# --- scores start empty -------------------------------------------------------------------

NO_INDICATORS = {
    "indicators-TOTAL_FORMS": "0",
    "indicators-INITIAL_FORMS": "0",
    "indicators-MIN_NUM_FORMS": "0",
    "indicators-MAX_NUM_FORMS": "1000",
}


def _threat_post(dimension, **changes) -> dict:
    data = {
        "title": "Flooding of the lower camps",
        "dimension": dimension.pk,
        "onset": "sudden",
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


def test_a_new_threat_form_asks_for_each_score(client, login, assessment):
    login(assessment.owner)

    form = client.get(f"/assessments/{assessment.pk}/threats/new/").context["form"]

    for name in ("likelihood", "severity", "urgency"):
        assert form[name].value() is None
        assert form.fields[name].choices[0] == ("", "Choose…")
        assert 'value="" selected' in str(form[name]), name


def test_a_threat_without_scores_is_refused_and_nothing_is_saved(client, login, assessment):
    login(assessment.owner)
    data = _threat_post(_dims(assessment)["food"], likelihood="", severity="", urgency="")

    response = client.post(f"/assessments/{assessment.pk}/threats/new/", data)

    page = _page(response)
    for name in ("likelihood", "severity", "urgency"):
        message = f"Choose the {name}: no score is assumed."
        assert response.context["form"].errors[name] == [message]
        assert message in page
    assert not Threat.objects.filter(assessment=assessment).exists()


def test_an_existing_threat_keeps_its_scores_in_the_form(client, login, assessment):
    threat = ThreatFactory(assessment=assessment, likelihood=4, severity=5, urgency=1)
    login(assessment.owner)

    form = client.get(f"/assessments/{assessment.pk}/threats/{threat.pk}/edit/").context["form"]

    assert [form[n].value() for n in ("likelihood", "severity", "urgency")] == [4, 5, 1]


# --- responses serve several groups -------------------------------------------------------


def test_a_response_serving_two_groups_appears_under_both(client, login, assessment):
    women = PopulationGroupFactory(assessment=assessment, name="Women heading households")
    children = PopulationGroupFactory(assessment=assessment, name="Children out of school")
    PopulationGroupFactory(assessment=assessment, name="Host villages")
    login(assessment.owner)

    response = client.post(
        f"/assessments/{assessment.pk}/responses/new/",
        {
            "title": "Safe routes to water",
            "strategy": "protection",
            "status": "recommended",
            "groups": [women.pk, children.pk],
        },
    )

    assert response.status_code == 302
    saved = Response.objects.get(assessment=assessment)
    assert set(saved.groups.all()) == {women, children}
    groups_page = _page(client.get(f"/assessments/{assessment.pk}/groups/"))
    rows = {
        name: groups_page.split(name, 1)[1].split("</tr>", 1)[0]
        for name in ("Women heading households", "Children out of school", "Host villages")
    }
    assert "Served by: Safe routes to water" in rows["Women heading households"]
    assert "Served by: Safe routes to water" in rows["Children out of school"]
    assert "Safe routes to water" not in rows["Host villages"]
    responses_page = _page(client.get(f"/assessments/{assessment.pk}/responses/"))
    assert "for Children out of school, Women heading households" in responses_page


def test_a_response_cannot_serve_a_group_of_another_assessment(client, login, assessment):
    ours = PopulationGroupFactory(assessment=assessment)
    theirs = PopulationGroupFactory(assessment=AssessmentFactory())
    login(assessment.owner)

    response = client.post(
        f"/assessments/{assessment.pk}/responses/new/",
        {
            "title": "Cash",
            "strategy": "empowerment",
            "status": "gap",
            "groups": [ours.pk, theirs.pk],
        },
    )

    assert "groups" in response.context["form"].errors
    assert not Response.objects.exists()


def test_the_brief_names_every_group_a_response_serves_and_the_public_edition_only_named_ones(
    assessment,
):
    women = PopulationGroupFactory(assessment=assessment, name="Women heading households")
    hidden = PopulationGroupFactory(assessment=assessment, name="Converts", sensitive=True)
    both = ResponseFactory(assessment=assessment, title="Safe routes", groups=[women, hidden])
    ResponseFactory(assessment=assessment, title="Safe houses", groups=[hidden])

    restricted = brief_context(assessment)
    public = brief_context(assessment, public=True)

    shown = {r.title: [g.name for g in r.public_groups] for r in restricted["data"].responses}
    assert shown == {
        "Safe routes": ["Converts", "Women heading households"],
        "Safe houses": ["Converts"],
    }
    # A response serving ANY group that is not sensitive stays, without the sensitive one;
    # one that serves only sensitive groups (and no threat in the edition) is withheld.
    kept = {r.title: [g.name for g in r.public_groups] for r in public["data"].responses}
    assert kept == {"Safe routes": ["Women heading households"]}
    assert [r.title for r in public["withheld"].responses] == ["Safe houses"]
    assert both.pk in {r.pk for r in public["data"].responses}


# --- groups link to threats from their side -----------------------------------------------


def test_threats_are_linked_and_unlinked_from_the_group_form(client, login, assessment):
    group = PopulationGroupFactory(assessment=assessment, name="Herders")
    raids = ThreatFactory(assessment=assessment, title="Cattle raids")
    drought = ThreatFactory(assessment=assessment, title="Drought")
    fever = ThreatFactory(assessment=assessment, title="Rift Valley fever")
    fever.affected_groups.add(group)
    login(assessment.owner)
    url = f"/assessments/{assessment.pk}/groups/{group.pk}/edit/"

    page = client.get(url)
    assert 'name="threats_shown"' in page.content.decode()
    form = page.context["form"]
    assert form["threats"].value() == [fever.pk]
    assert f"T{raids.number} Cattle raids" in str(form["threats"])

    response = client.post(
        url,
        {
            "name": "Herders",
            "sex": "all",
            "threats": [raids.pk, drought.pk],
            "threats_shown": "True",
            "version": group.version,
        },
    )

    assert response.status_code == 302
    assert list(raids.affected_groups.all()) == [group]
    assert list(drought.affected_groups.all()) == [group]
    assert not fever.affected_groups.exists()
    page = _page(client.get(f"/assessments/{assessment.pk}/groups/"))
    assert f"Affected by: T{raids.number}, T{drought.number}" in page

    # A post from a page without the checkboxes (a script) leaves the links alone.
    group.refresh_from_db()
    response = client.post(url, {"name": "Herders", "sex": "male", "version": group.version})
    assert response.status_code == 302
    assert list(raids.affected_groups.all()) == [group]


# --- age ranges ---------------------------------------------------------------------------


def test_ages_are_shown_as_ranges(client, login, assessment):
    PopulationGroupFactory(assessment=assessment, name="Young men", age_from=15, age_to=29)
    PopulationGroupFactory(assessment=assessment, name="Oldest", age_from=80)
    PopulationGroupFactory(assessment=assessment, name="Everyone")
    login(assessment.owner)

    page = _page(client.get(f"/assessments/{assessment.pk}/groups/"))

    assert "15–29" in page.split("Young men", 1)[1].split("</tr>", 1)[0]
    assert "80+" in page.split("Oldest", 1)[1].split("</tr>", 1)[0]
    assert "All ages" in page.split("Everyone", 1)[1].split("</tr>", 1)[0]
    groups = {g.name: g.age_range for g in brief_context(assessment)["data"].groups}
    assert groups == {"Everyone": "All ages", "Oldest": "80+", "Young men": "15–29"}


@pytest.mark.parametrize(
    ("band", "ages"),
    [("13-17", (13, 17)), ("80+", (80, None)), ("children", (0, 17)), ("all", (None, None))],
)
def test_a_standard_band_fills_the_range_without_javascript(client, login, assessment, band, ages):
    login(assessment.owner)

    response = client.post(
        f"/assessments/{assessment.pk}/groups/new/",
        {"name": "Pupils", "sex": "all", "age_band": band, "age_from": "", "age_to": ""},
    )

    assert response.status_code == 302
    group = PopulationGroup.objects.get(assessment=assessment)
    assert (group.age_from, group.age_to) == ages


def test_the_group_form_offers_the_standard_bands(client, login, assessment):
    login(assessment.owner)

    form = client.get(f"/assessments/{assessment.pk}/groups/new/").context["form"]

    labels = [str(label) for _value, label in form.fields["age_band"].choices]
    for label in ("0–5", "6–12", "13–17", "18–49", "50–59", "60–69", "70–79", "80+"):
        assert label in labels


def test_ages_upside_down_are_refused_and_the_group_is_unchanged(client, login, assessment):
    group = PopulationGroupFactory(assessment=assessment, name="Women", age_from=18, age_to=49)
    login(assessment.owner)

    response = client.post(
        f"/assessments/{assessment.pk}/groups/{group.pk}/edit/",
        {"name": "Women", "sex": "female", "age_from": "30", "age_to": "29", "version": 1},
    )

    message = (
        "The highest age (29) is below the lowest (30): give the range from the youngest "
        "to the oldest."
    )
    assert response.context["form"].errors["age_to"] == [message]
    assert message in _page(response)
    group.refresh_from_db()
    assert (group.age_from, group.age_to, group.version) == (18, 49, 1)
