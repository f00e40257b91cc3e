"""The assessment list: filters, search and pages, as a person uses them."""

import pytest

from assessments.models import Assessment, Membership
from tests.factories import AssessmentFactory, MembershipFactory, ThreatFactory


@pytest.fixture
def reader(client, team, other_team, practitioner):
    MembershipFactory(team=other_team, user=practitioner)
    client.force_login(practitioner)
    return client


def titles(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


@pytest.fixture
def three(team, other_team, version, practitioner):
    drought = AssessmentFactory(
        title="Drought in the border districts",
        team=team,
        owner=practitioner,
        country="Chad",
        framework_version=version,
    )
    floods = AssessmentFactory(
        title="Floods along the river",
        team=other_team,
        owner=practitioner,
        country="Niger",
        framework_version=version,
        status=Assessment.Status.SUBMITTED,
    )
    unseen = AssessmentFactory(title="Drought elsewhere", framework_version=version)
    return drought, floods, unseen


def test_the_list_shows_what_my_teams_hold_and_nothing_else(reader, three):
    assert sorted(titles(reader.get("/assessments/"))) == [
        "Drought in the border districts",
        "Floods along the river",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=drought", ["Drought in the border districts"]),
        ("q=river", ["Floods along the river"]),
        ("status=submitted", ["Floods along the river"]),
        ("country=cha", ["Drought in the border districts"]),
        ("q=drought&status=submitted", []),
    ],
)
def test_search_and_filters_narrow_the_list(reader, three, query, expected):
    response = reader.get(f"/assessments/?{query}")

    assert response.status_code == 200
    assert titles(response) == expected


def test_filter_by_team_and_by_dimension(reader, three, team):
    drought, floods, _ = three
    health = drought.framework_version.dimensions.get(key="health")
    ThreatFactory(assessment=floods, dimension=health)

    assert titles(reader.get(f"/assessments/?team={team.pk}")) == [drought.title]
    assert titles(reader.get("/assessments/?dimension=health")) == [floods.title]


def test_the_dimension_filter_counts_further_dimensions(reader, three):
    drought, floods, _ = three
    dimensions = drought.framework_version.dimensions
    health, food = dimensions.get(key="health"), dimensions.get(key="food")
    ThreatFactory(assessment=floods, dimension=health)
    # A drought is a food threat first, and a health one too.
    ThreatFactory(assessment=drought, dimension=food).further_dimensions.add(health)

    assert titles(reader.get("/assessments/?dimension=health")) == [floods.title, drought.title]
    assert titles(reader.get("/assessments/?dimension=food")) == [drought.title]


def test_a_long_list_is_paged_and_keeps_the_filters(reader, team, version, practitioner):
    for n in range(23):
        AssessmentFactory(
            title=f"Assessment {n:02d}",
            team=team,
            owner=practitioner,
            country="Mali",
            framework_version=version,
        )

    first = reader.get("/assessments/?country=mali")
    second = reader.get("/assessments/?country=mali&page=2")

    assert len(titles(first)) == 20
    assert len(titles(second)) == 3
    assert "country=mali&amp;page=2" in first.content.decode()
    assert set(titles(first)).isdisjoint(titles(second))
    assert Membership.objects.filter(user=practitioner).count() == 2
