"""The list at scale: pages that do not count, search through the stored vector on
PostgreSQL (icontains elsewhere), and query counts that do not grow with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, Membership
from tests.factories import AssessmentFactory, ThreatFactory


@pytest.fixture
def reader(client, practitioner):
    client.force_login(practitioner)
    return client


def titles(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


def make(n, *, team, owner, version, title="", **fields):
    return [
        AssessmentFactory(
            title=title or f"Assessment {i:02d}",
            team=team,
            owner=owner,
            framework_version=version,
            **fields,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("q=drought", True),  # a word of the title
        ("q=Drou", True),  # the start of a word, in any case
        ("q=Ouaddaï", True),  # the area
        ("q=lake+chad", True),  # every word, in any field
        ("q=chad+river", False),  # one word missing
        ("q=ouaddai", False),  # a different word
    ],
)
def test_search_finds_by_title_and_place(reader, team, practitioner, version, query, found):
    AssessmentFactory(
        title="Drought in the border districts",
        team=team,
        owner=practitioner,
        framework_version=version,
        country="Chad",
        area="Ouaddaï, near the lake",
    )
    AssessmentFactory(team=team, owner=practitioner, framework_version=version, country="Mali")

    result = titles(reader.get(f"/assessments/?{query}"))

    assert result == (["Drought in the border districts"] if found else [])


def test_search_follows_an_edit(reader, team, practitioner, version):
    # On PostgreSQL the searched vector is a generated column: no save path can forget it.
    (assessment,) = make(1, team=team, owner=practitioner, version=version, title="Zebra crossing")
    assessment.title = "Flooded valley"
    assessment.save()

    assert titles(reader.get("/assessments/?q=flooded")) == ["Flooded valley"]
    assert titles(reader.get("/assessments/?q=zebra")) == []


def test_pages_go_older_and_newer_and_keep_the_filters(reader, team, practitioner, version):
    make(45, team=team, owner=practitioner, version=version, country="Mali")
    make(3, team=team, owner=practitioner, version=version, country="Niger")

    first = reader.get("/assessments/?country=mali")
    second = reader.get("/assessments/?country=mali&page=2")
    third = reader.get("/assessments/?country=mali&page=3")

    html = first.content.decode()
    assert "Assessments 1 to 20, most recently updated first" in html
    assert 'rel="next" href="?country=mali&amp;page=2">Older<' in html
    assert 'rel="prev"' not in html
    html = second.content.decode()
    assert 'rel="prev" href="?country=mali&amp;page=1">Newer<' in html
    assert 'rel="next" href="?country=mali&amp;page=3">Older<' in html
    assert "Assessments 41 to 45" in third.content.decode()
    assert 'rel="next"' not in third.content.decode()
    shown = titles(first) + titles(second) + titles(third)
    assert len(shown) == len({a.pk for p in (first, second, third) for a in p.context["page"]})
    assert len(shown) == 45


def test_a_page_past_the_end_shows_the_first(reader, team, practitioner, version):
    make(3, team=team, owner=practitioner, version=version)

    response = reader.get("/assessments/?page=7")

    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert len(titles(response)) == 3


def test_filters_keep_to_the_teams_one_belongs_to(reader, team, other_team, practitioner, version):
    (mine,) = make(1, team=team, owner=practitioner, version=version, title="Ours")
    (theirs,) = make(1, team=other_team, owner=practitioner, version=version, title="Theirs")
    health = version.dimensions.get(key="health")
    ThreatFactory(assessment=mine, dimension=health)
    ThreatFactory(assessment=mine, dimension=health)  # two matches, one row
    ThreatFactory(assessment=theirs, dimension=health)

    assert titles(reader.get("/assessments/?dimension=health")) == ["Ours"]
    assert titles(reader.get("/assessments/?q=theirs")) == []
    # Owning an assessment of a team one does not belong to shows nothing of it.
    assert not Membership.objects.filter(user=practitioner, team=other_team).exists()


def count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/assessments/",
        "/assessments/?q=assessment",
        "/assessments/?status=draft&dimension=health&country=mali",
        "/",
    ],
)
def test_list_and_dashboard_queries_do_not_grow_with_assessments(
    reader, team, practitioner, version, url
):
    make(2, team=team, owner=practitioner, version=version, country="Mali")
    few = count(reader, url)
    make(40, team=team, owner=practitioner, version=version, country="Mali")
    for a in Assessment.objects.all()[:30]:
        ThreatFactory(assessment=a, dimension=version.dimensions.get(key="health"))

    assert count(reader, url) == few


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
def test_the_search_column_has_its_gin_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'assessment_search'")
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector) WITH (fastupdate=off)" in definition


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
@pytest.mark.parametrize(
    ("language", "title", "query"),
    [
        ("fr", "Sécheresse dans les districts", "sécheresses"),
        ("es", "Inundaciones en el valle", "inundación"),
        ("en", "Droughts in the border districts", "drought"),
        ("ar", "الجفاف في المناطق الحدودية", "الحدود"),
    ],
)
def test_search_stems_in_the_assessments_language(
    reader, team, practitioner, version, language, title, query
):
    AssessmentFactory(
        title=title, language=language, team=team, owner=practitioner, framework_version=version
    )
    AssessmentFactory(team=team, owner=practitioner, framework_version=version, title="Other")

    assert titles(reader.get("/assessments/", {"q": query})) == [title]
