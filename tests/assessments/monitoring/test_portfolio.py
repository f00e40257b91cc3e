"""The portfolio: whose contexts appear (never another team's, nor their counts), one row
per context, band words and counts per dimension, filters, the rises since baseline, the
CSV, and a query count that does not grow with the assessments."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment
from assessments.monitoring.portfolio import portfolio_for
from tests.assessments.monitoring.conftest import approved_assessment
from tests.factories import AssessmentFactory, ThreatFactory

pytestmark = pytest.mark.django_db


def _titles(user, **filters) -> list[str]:
    return [row.assessment.title for row in portfolio_for(user, **filters).rows]


def test_supervisors_see_their_teams_and_practitioners_their_own(monitored):
    AssessmentFactory(team=monitored.north, owner=monitored.users["teammate"], title="Tom's")

    assert _titles(monitored.users["supervisor"]) == ["Northern", "Tom's"]
    assert _titles(monitored.users["owner"]) == ["Northern"]
    assert _titles(monitored.users["teammate"]) == ["Tom's"]
    assert _titles(monitored.users["other_supervisor"]) == ["Southern"]


def test_another_teams_contexts_never_appear_on_the_page_nor_in_the_csv(client, monitored):
    ThreatFactory(assessment=monitored.southern.threat.assessment, title="Secret", severity=5)
    client.force_login(monitored.users["supervisor"])

    page = client.get(reverse("portfolio")).content.decode()
    table = client.get(reverse("portfolio_csv")).content.decode()

    assert "Northern" in page and "Northern" in table
    for text in (page, table):
        assert "Southern" not in text and "Mali" not in text
    assert "1 context" in page and "2 contexts" not in page


def test_a_context_is_one_row_its_latest_assessment(monitored):
    later = approved_assessment(
        monitored.north, monitored.users["owner"], title="Northern again", country="Chad"
    )
    Assessment.objects.filter(pk=later.pk).update(baseline=monitored.assessment)

    (row,) = portfolio_for(monitored.users["supervisor"]).rows

    assert row.assessment.title == "Northern again" and row.series == 2


def test_cells_give_the_highest_band_in_words_and_the_count(monitored):
    dimension = monitored.indicator.threat.dimension
    ThreatFactory(assessment=monitored.assessment, dimension=dimension, likelihood=5, severity=5)

    data = portfolio_for(monitored.users["owner"])

    column = [key for key, _name in data.dimensions].index(dimension.key)
    cell = data.rows[0].cells[column]
    assert (cell.word, cell.count) == ("Critical", 2)
    assert data.rows[0].lens_total == 4


def test_filters_by_country_status_and_team(monitored):
    AssessmentFactory(
        team=monitored.north, owner=monitored.users["owner"], title="Draft", country="Niger"
    )
    user = monitored.users["supervisor"]

    assert _titles(user, country="niger") == ["Draft"]
    assert _titles(user, status="approved") == ["Northern"]
    assert _titles(user, team=monitored.south) == []


def test_the_threats_that_rose_most_since_their_baseline(monitored):
    later = approved_assessment(monitored.north, monitored.users["owner"], title="Later")
    Assessment.objects.filter(pk=later.pk).update(baseline=monitored.assessment)
    ThreatFactory(assessment=later, number=1, title="Cholera outbreak", likelihood=5, severity=4)

    (rise,) = portfolio_for(monitored.users["owner"]).rises

    assert (rise.ref, rise.title, rise.before, rise.now) == ("T1", "Cholera outbreak", 9, 20)


def _seed(monitored, count: int) -> None:
    for i in range(count):
        a = AssessmentFactory(
            team=monitored.north, owner=monitored.users["teammate"], title=f"Context {i:03}"
        )
        ThreatFactory(assessment=a, likelihood=1 + i % 5)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portfolio"))
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_assessments(client, monitored):
    client.force_login(monitored.users["supervisor"])
    _seed(monitored, 10)
    _queries(client)  # the first request of a session costs a few more (its session row)
    at_ten = _queries(client)
    _seed(monitored, 40)

    at_fifty = _queries(client)

    assert at_fifty == at_ten
    assert _titles(monitored.users["supervisor"]).count("Northern") == 1


def test_the_csv_has_a_row_per_context_with_band_words(client, monitored):
    client.force_login(monitored.users["owner"])

    response = client.get(reverse("portfolio_csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][0] == "Context" and rows[0][-1] == "Lens check"
    assert rows[1][0] == "Northern" and "High (1)" in rows[1]


def test_the_bulk_lens_check_agrees_with_the_overviews(monitored):
    from assessments.content.selectors import AssessmentData
    from assessments.lens import lens_check

    (row,) = portfolio_for(monitored.users["owner"]).rows

    checks = lens_check(AssessmentData(monitored.assessment))
    assert row.lens_gaps == [c.name for c in checks if not c.ok]
    assert row.lens_ok == sum(1 for c in checks if c.ok)


def test_the_page_shows_fifty_contexts_at_a_time_and_the_csv_all(client, monitored):
    _seed(monitored, 55)
    client.force_login(monitored.users["supervisor"])

    first = client.get(reverse("portfolio")).content.decode()
    second = client.get(reverse("portfolio"), {"page": "2", "status": "draft"}).content.decode()
    table = client.get(reverse("portfolio_csv")).content.decode()

    assert "56 contexts (page 1 of 2)" in first and first.count('<th scope="row">') == 50
    assert "55 contexts (page 2 of 2)" in second and second.count('<th scope="row">') == 5
    assert "status=draft&amp;page=1" in second
    assert len(table.strip().splitlines()) == 57


def test_the_xlsx_holds_the_same_table(client, monitored):
    from openpyxl import load_workbook

    client.force_login(monitored.users["owner"])

    response = client.get(reverse("portfolio_xlsx"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Context" and rows[1][0] == "Northern" and "High (1)" in rows[1]
