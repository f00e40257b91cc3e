"""Export and import of the modelling of issue 13 (item 5): a threat's further dimensions
by key, the groups a response serves by name, a group's ages as numbers. Documents written
before still import: a response's single "group", a group's "age_band"."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from assessments.content.selectors import AssessmentData
from assessments.interchange.document import assessment_document
from assessments.interchange.importer import import_assessment
from assessments.interchange.spreadsheet import export_threats_csv
from tests.assessments.interchange.conftest import import_rows
from tests.factories import (
    AssessmentFactory,
    PopulationGroupFactory,
    ResponseFactory,
    ThreatFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def modelled(team, practitioner, version):
    a = AssessmentFactory(title="Harra", team=team, owner=practitioner, framework_version=version)
    dims = {d.key: d for d in version.dimensions.all()}
    women = PopulationGroupFactory(assessment=a, name="Women", age_from=18, age_to=49)
    elders = PopulationGroupFactory(assessment=a, name="Elders", age_from=80)
    threat = ThreatFactory(
        assessment=a,
        title="Hunger",
        dimension=dims["food"],
        further_dimensions=[dims["economic"], dims["health"]],
    )
    threat.affected_groups.add(women, elders)
    response = ResponseFactory(assessment=a, title="Food distribution", groups=[women, elders])
    response.threats.add(threat)
    return a


def _document(assessment) -> dict:
    return json.loads(json.dumps(assessment_document(AssessmentData(assessment))))


def test_the_export_carries_further_dimensions_groups_served_and_ages(modelled):
    document = _document(modelled)

    assert document["threats"][0]["dimension"] == "food"
    assert document["threats"][0]["further_dimensions"] == ["economic", "health"]
    assert document["responses"][0]["groups"] == ["Elders", "Women"]
    assert "group" not in document["responses"][0]
    ages = {g["name"]: (g["age_from"], g["age_to"]) for g in document["groups"]}
    assert ages == {"Elders": (80, None), "Women": (18, 49)}


def test_an_import_keeps_them(modelled, team, practitioner):
    copy_ = import_assessment(document=_document(modelled), owner=practitioner, team=team)

    threat = copy_.threats.get()
    assert threat.dimension.key == "food"
    assert sorted(d.key for d in threat.further_dimensions.all()) == ["economic", "health"]
    response = copy_.responses.get()
    assert sorted(g.name for g in response.groups.all()) == ["Elders", "Women"]
    assert {g.name: g.age_range for g in copy_.groups.all()} == {"Elders": "80+", "Women": "18–49"}
    assert _document(copy_)["threats"] == _document(modelled)["threats"]


def test_an_older_export_with_a_single_group_and_age_bands_imports(modelled, team, practitioner):
    document = _document(modelled)
    for group, band in zip(document["groups"], ["older", "18-49"], strict=True):
        del group["age_from"], group["age_to"]
        group["age_band"] = band
    for response in document["responses"]:
        del response["groups"]
        response["group"] = "Women"
    del document["threats"][0]["further_dimensions"]
    document["responses"].append(
        {"title": "For nobody", "strategy": "solidarity", "group": None, "threats": []}
    )

    copy_ = import_assessment(document=document, owner=practitioner, team=team)

    ages = {g.name: (g.age_from, g.age_to) for g in copy_.groups.all()}
    assert ages == {"Elders": (60, None), "Women": (18, 49)}
    served = {r.title: [g.name for g in r.groups.all()] for r in copy_.responses.all()}
    assert served == {"Food distribution": ["Women"], "For nobody": []}
    assert not copy_.threats.get().further_dimensions.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["groups"][0].update(age_band="teens"),
            "groups[0].age_band: unknown band 'teens'",
        ),
        (
            lambda d: d["threats"][0].update(further_dimensions=["cosmic"]),
            "threats[0].further_dimensions: unknown 'cosmic'",
        ),
        (
            lambda d: d["threats"][0].update(further_dimensions=["food"]),
            "threats[0].further_dimensions: The primary dimension cannot also be a further "
            "one: untick it here.",
        ),
        (
            lambda d: d["responses"][0].update(groups=["Nobody"]),
            "responses[0].groups: unknown group 'Nobody'",
        ),
        (
            lambda d: d["groups"][1].update(age_from=50, age_to=20),
            "groups[1].age_to: The highest age (20) is below the lowest (50): give the range "
            "from the youngest to the oldest.",
        ),
    ],
)
def test_a_bad_modelling_value_is_refused_with_where_it_is(
    modelled, team, practitioner, change, message
):
    document = _document(modelled)
    change(document)
    before = import_rows()

    with pytest.raises(ValidationError) as exc:
        import_assessment(document=document, owner=practitioner, team=team)

    assert message in exc.value.messages
    assert import_rows() == before


def test_the_threats_spreadsheet_has_a_further_dimensions_column(modelled):
    _name, _type, content = export_threats_csv(AssessmentData(modelled))
    header, row = content.decode("utf-8").splitlines()[:2]

    columns = header.split(",")
    assert columns[2:4] == ["dimension", "further_dimensions"]
    assert "Food security" in row and "Economic security; Health security" in row
