"""The threat register: 50 threats a page, filtered by band, dimension and component,
sorted by risk or number, in the same number of queries whatever the threat count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.content.selectors import band_of, top_score_of
from assessments.models import ComponentTag, Threat

pytestmark = pytest.mark.django_db


def seed(assessment, n: int) -> list[Threat]:
    """n threats spread over every dimension, score and component (tags: one or two)."""
    version = assessment.framework_version
    dimensions = list(version.dimensions.order_by("order"))
    components = list(version.components.order_by("order"))
    start = assessment.threats.count()
    threats = Threat.objects.bulk_create(
        Threat(
            assessment=assessment,
            number=start + i + 1,
            title=f"Threat {start + i + 1:04d}",
            dimension=dimensions[i % len(dimensions)],
            likelihood=1 + i % 5,
            severity=1 + (i // 5) % 5,
            urgency=1 + i % 3,
        )
        for i in range(n)
    )
    threats = list(assessment.threats.filter(number__gt=start).order_by("number"))
    ComponentTag.objects.bulk_create(
        ComponentTag(threat=t, component=components[(i + k) % len(components)], rationale="Why.")
        for i, t in enumerate(threats)
        for k in range(1 + i % 2)
    )
    return threats


def shown(response) -> list[int]:
    return [t.number for t in response.context["rows"]]


def all_pages(client, url: str) -> list[int]:
    numbers, page = [], 1
    while True:
        response = client.get(f"{url}&page={page}" if "?" in url else f"{url}?page={page}")
        assert response.status_code == 200
        numbers += shown(response)
        if not response.context["page"].has_next:
            return numbers
        page += 1


@pytest.fixture
def register(assessment, practitioner, login):
    seed(assessment, 120)
    return login(practitioner), f"/assessments/{assessment.pk}/threats/"


def test_the_register_shows_50_a_page_highest_risk_first(register, assessment):
    client, url = register

    first = client.get(url)
    numbers = all_pages(client, url)

    assert len(shown(first)) == 50
    assert "Threats 1 to 50" in first.content.decode()
    assert 'rel="next" href="?page=2"' in first.content.decode()
    expected = sorted(assessment.threats.all(), key=lambda t: (-t.risk_score, -t.urgency, t.number))
    assert numbers == [t.number for t in expected]


def test_sorted_by_number_and_the_order_kept_across_pages(register):
    client, url = register

    second = client.get(f"{url}?sort=number&page=2")

    assert shown(second) == list(range(51, 101))
    html = second.content.decode()
    assert 'href="?sort=number&amp;page=1"' in html
    assert 'href="?sort=number&amp;page=3"' in html


@pytest.mark.parametrize("band", ["critical", "high", "medium", "low"])
def test_the_band_filter_shows_exactly_the_threats_of_the_band(register, assessment, band):
    client, url = register
    top = top_score_of(assessment.framework_version)
    expected = {
        t.number for t in assessment.threats.all() if band_of(t.likelihood, t.severity, top) == band
    }

    numbers = all_pages(client, f"{url}?band={band}")

    assert expected and sorted(numbers) == sorted(expected)
    response = client.get(f"{url}?band={band}")
    assert {t.band for t in response.context["rows"]} == {band}


def test_the_dimension_and_component_filters_show_exactly_their_threats(register, assessment):
    client, url = register
    version = assessment.framework_version
    dimension = version.dimensions.order_by("order")[1]
    component = version.components.order_by("order")[2]
    threats = assessment.threats
    in_dimension = set(threats.filter(dimension=dimension).values_list("number", flat=True))
    tagged = set(
        assessment.threats.filter(tags__component=component).values_list("number", flat=True)
    )

    by_dimension = all_pages(client, f"{url}?dimension={dimension.pk}")
    by_component = all_pages(client, f"{url}?component={component.pk}&sort=number")
    both = all_pages(client, f"{url}?dimension={dimension.pk}&component={component.pk}")

    assert sorted(by_dimension) == sorted(in_dimension)
    assert by_component == sorted(tagged)  # each once, though some carry two tags
    assert sorted(both) == sorted(in_dimension & tagged)


def test_a_foreign_dimension_is_refused_and_the_band_still_applies(register):
    client, url = register

    response = client.get(f"{url}?band=critical&dimension=999999")

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert shown(response)
    assert {t.band for t in response.context["rows"]} == {"critical"}


def test_no_match_says_so_and_keeps_the_filters(register, assessment):
    client, url = register
    component = assessment.framework_version.components.first()
    ComponentTag.objects.filter(component=component).delete()

    response = client.get(f"{url}?component={component.pk}&sort=number")

    html = response.content.decode()
    assert shown(response) == []
    assert "No threat matches these filters." in html
    assert f'<option value="{component.pk}" selected>' in html
    assert "No threat yet" not in html


def test_the_filters_are_labelled_controls_of_a_get_form(register):
    client, url = register

    html = client.get(url).content.decode()

    assert '<form method="get"' in html
    for name, label in [
        ("band", "Risk band"),
        ("dimension", "Dimension"),
        ("component", "Component"),
        ("sort", "Order"),
    ]:
        assert f'<label class="form-label small" for="id_{name}">{label}</label>' in html


def count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["", "?band=high&sort=number", "?component={c}&page=2"])
def test_the_register_queries_do_not_grow_with_threats(register, assessment, query):
    client, url = register
    url += query.format(c=assessment.framework_version.components.first().pk)
    few = count(client, url)

    seed(assessment, 600)

    assert count(client, url) == few
