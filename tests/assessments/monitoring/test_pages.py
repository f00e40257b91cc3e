"""The monitoring pages: who records readings (authors and supervisors, on an approved
assessment too), the board of one's own teams only, the dashboard's crossing line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Reading
from assessments.monitoring.services import reading_record

pytestmark = pytest.mark.django_db


def _readings_url(m, indicator=None):
    indicator = indicator or m.indicator
    return reverse("assessments:readings", args=[indicator.threat.assessment_id, indicator.pk])


@pytest.mark.parametrize(
    ("role", "get", "post", "saved"),
    [
        ("owner", 200, 302, True),
        ("supervisor", 200, 302, True),
        ("teammate", 200, 403, False),
        ("outsider", 404, 404, False),
    ],
)
def test_who_records_a_reading_on_an_approved_assessment(client, monitored, role, get, post, saved):
    client.force_login(monitored.users[role])
    today = timezone.localdate().isoformat()

    assert client.get(_readings_url(monitored)).status_code == get
    response = client.post(_readings_url(monitored), {"date": today, "value": "42"})

    assert response.status_code == post
    assert Reading.objects.exists() is saved


def test_a_non_number_is_refused_on_the_page_with_the_message(client, monitored):
    client.force_login(monitored.users["owner"])
    today = timezone.localdate().isoformat()

    response = client.post(_readings_url(monitored), {"date": today, "value": "lots"})

    assert response.status_code == 200
    assert "“lots” is not a number." in response.content.decode()
    assert not Reading.objects.exists()


def test_a_crossing_reading_says_so_and_reaches_the_board_and_dashboard(client, monitored):
    client.force_login(monitored.users["owner"])
    today = timezone.localdate()

    response = client.post(
        _readings_url(monitored), {"date": today.isoformat(), "value": "180"}, follow=True
    )

    page = response.content.decode()
    assert "crossed the indicator&#x27;s threshold" in page
    board = client.get(reverse("early_warning")).content.decode()
    assert "Suspected cases a week" in board and "Cholera outbreak" in board
    assert "Trend, oldest first:" in board and "180" in board
    client.force_login(monitored.users["supervisor"])
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "crossed its threshold in Northern" in dashboard


def test_the_board_never_shows_another_teams_indicators(client, monitored):
    reading_record(
        indicator=monitored.southern,
        user=monitored.users["outsider"],
        date=timezone.localdate(),
        occurred=True,
    )
    reading_record(
        indicator=monitored.indicator,
        user=monitored.users["owner"],
        date=timezone.localdate(),
        value="500",
    )
    for role in ("owner", "teammate", "supervisor"):
        client.force_login(monitored.users[role])
        page = client.get(reverse("early_warning")).content.decode()
        assert "Suspected cases a week" in page
        assert "Southern" not in page
    client.force_login(monitored.users["other_supervisor"])
    page = client.get(reverse("early_warning")).content.decode()
    assert "Southern wells dry" in page and "Suspected cases" not in page


def test_an_indicator_without_a_recent_reading_is_overdue_on_the_board(client, monitored):
    reading_record(
        indicator=monitored.indicator,
        user=monitored.users["owner"],
        date=timezone.localdate() - timedelta(days=45),
        value="5",
    )
    client.force_login(monitored.users["teammate"])

    page = client.get(reverse("early_warning")).content.decode()

    assert "Suspected cases a week" in page and "Overdue since" in page


def test_the_board_costs_the_same_queries_for_more_indicators(
    client, monitored, django_assert_max_num_queries
):
    from tests.factories import IndicatorFactory

    for i in range(15):
        indicator = IndicatorFactory(
            threat=monitored.indicator.threat, threshold_kind="occurrence", frequency_days=7
        )
        reading_record(
            indicator=indicator,
            user=monitored.users["owner"],
            date=timezone.localdate() - timedelta(days=i),
            occurred=True,
        )
    client.force_login(monitored.users["supervisor"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("early_warning"))
    assert response.content.decode().count("Trend, oldest first:") == 15


def test_the_monitoring_page_lists_the_indicators_with_status_in_words(client, monitored):
    reading_record(
        indicator=monitored.indicator,
        user=monitored.users["owner"],
        date=timezone.localdate(),
        value="95",
    )
    client.force_login(monitored.users["teammate"])

    page = client.get(reverse("assessments:monitoring", args=[monitored.assessment.pk]))

    assert page.status_code == 200
    assert "Watch" in page.content.decode()


@pytest.mark.parametrize("name", ["early_warning", "portfolio", "portfolio_csv", "portfolio_xlsx"])
def test_signing_in_comes_first(client, name):
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
