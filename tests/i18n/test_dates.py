"""Dates as each language writes them, on the pages too: English shows 2 Dec 2026, never
12/02/2026 (which reads as 12 February on one side of the Atlantic)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from assessments.models import Assessment
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("en", "2 Dec 2026"), ("fr", "2 déc. 2026"), ("es", "2 dic 2026"), ("ar", "2 ديسمبر 2026")],
)
def test_the_list_writes_dates_in_the_readers_language(
    client, practitioner, team, version, lang, shown
):
    a = AssessmentFactory(team=team, owner=practitioner, framework_version=version)
    when = datetime.datetime(2026, 12, 2, 9, 30, tzinfo=datetime.UTC)
    Assessment.objects.filter(pk=a.pk).update(updated_at=when)
    client.force_login(practitioner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    page = client.get("/assessments/").content.decode()

    assert shown in page
    assert "12/02/2026" not in page
