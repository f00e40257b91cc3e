"""The language of the analysis (issue 11): chosen at creation (the person's interface
language unless they pick another), changed with the context, shown on the overview."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext

from assessments.models import Assessment

pytestmark = pytest.mark.django_db


def _create(client, version, team, **changes):
    data = {
        "title": "Lake Chad basin",
        "team": team.pk,
        "framework": version.framework_id,
        "country": "Chad",
        **changes,
    }
    return client.post(reverse("assessments:create"), data)


def test_the_create_form_offers_the_language_with_the_interface_language_chosen(
    login, practitioner, team, version
):
    client = login(practitioner)
    client.cookies["django_language"] = "fr"

    page = client.get(reverse("assessments:create")).content.decode()

    assert 'name="language"' in page
    with translation.override("fr"):
        label = escape(capfirst(gettext("language of the analysis")))
    assert label != "Language of the analysis"  # the French catalogue has it
    assert label in page
    assert '<option value="fr" selected>' in page


@pytest.mark.parametrize(("interface", "chosen", "stored"), [("es", "", "es"), ("es", "ar", "ar")])
def test_a_new_assessment_is_in_the_chosen_language_or_the_interface_language(
    client, login, practitioner, team, version, interface, chosen, stored
):
    client = login(practitioner)
    client.cookies["django_language"] = interface

    response = _create(client, version, team, language=chosen)

    assert response.status_code == 302
    assert Assessment.objects.get(title="Lake Chad basin").language == stored


def test_an_unknown_language_is_a_form_error(login, practitioner, team, version):
    response = _create(login(practitioner), version, team, language="de")

    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    assert not Assessment.objects.exists()


def test_the_context_form_changes_the_language_and_keeps_it_when_left_out(
    login, practitioner, assessment
):
    client = login(practitioner)
    url = reverse("assessments:edit", args=[assessment.pk])
    base = {
        "title": assessment.title,
        "country": assessment.country,
        "version": assessment.version,
    }

    client.post(url, {**base, "language": "fr"})
    assessment.refresh_from_db()
    assert assessment.language == "fr"
    client.post(url, {**base, "version": assessment.version})
    assessment.refresh_from_db()
    assert assessment.language == "fr"


def test_the_overview_says_what_the_analysis_is_written_in(login, practitioner, assessment):
    assessment.language = "ar"
    assessment.save()

    page = login(practitioner).get(reverse("assessments:detail", args=[assessment.pk]))

    content = page.content.decode()
    assert "Written in Arabic" in content
    assert 'name="lang"' in content and '<option value="ar" lang="ar" selected>' in content
