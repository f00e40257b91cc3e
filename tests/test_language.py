"""The language follows the person (issue 11, item 6): Accept-Language is the first
guess, the switch works before sign-in (a cookie), and once signed in the language on
the person's profile wins; the switch saves it there and goes back to the page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import NotificationSettings

pytestmark = pytest.mark.django_db


def _html_lang(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index("<html ")
    return page[start : page.index(">", start) + 1]


def test_accept_language_is_the_first_guess_on_the_sign_in_page(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")

    assert _html_lang(response) == '<html lang="fr" dir="ltr">'


def test_the_sign_in_page_has_the_switch(client):
    page = client.get(reverse("login")).content.decode()

    assert f'action="{reverse("set_language")}"' in page
    for code in ("en", "fr", "es", "ar"):
        assert f'<option value="{code}" lang="{code}"' in page


def test_the_switch_before_sign_in_sets_the_cookie_and_keeps_the_page(client):
    back = reverse("login") + "?next=/assessments/"

    response = client.post(reverse("set_language"), {"language": "ar", "next": back})

    assert response.status_code == 302 and response["Location"] == back
    assert client.cookies["django_language"].value == "ar"
    # The cookie beats the browser's guess.
    page = client.get(back, HTTP_ACCEPT_LANGUAGE="fr")
    assert _html_lang(page) == '<html lang="ar" dir="rtl">'


def test_the_profile_language_beats_the_cookie_and_accept_language(client, login, practitioner):
    NotificationSettings.objects.create(user=practitioner, language="es")
    client.cookies["django_language"] = "ar"

    response = login(practitioner).get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="fr")

    assert _html_lang(response) == '<html lang="es" dir="ltr">'
    assert response["Content-Language"] == "es"


def test_without_a_profile_language_the_signed_in_person_gets_the_guess(login, practitioner):
    response = login(practitioner).get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="fr")

    assert _html_lang(response) == '<html lang="fr" dir="ltr">'


def test_switching_while_signed_in_saves_it_on_the_profile_and_keeps_the_page(
    client, login, practitioner
):
    client = login(practitioner)

    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "/assessments/?q=water"}
    )

    assert response.status_code == 302 and response["Location"] == "/assessments/?q=water"
    assert NotificationSettings.objects.get(user=practitioner).language == "fr"
    # It follows the person: a new session on another browser, which guesses Spanish.
    client.cookies.clear()
    again = login(practitioner, c=type(client)())
    page = again.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="es")
    assert _html_lang(page) == '<html lang="fr" dir="ltr">'


def test_switching_keeps_the_email_setting(login, practitioner):
    NotificationSettings.objects.create(user=practitioner, email=False, language="en")

    login(practitioner).post(reverse("set_language"), {"language": "ar", "next": "/"})

    chosen = NotificationSettings.objects.get(user=practitioner)
    assert (chosen.email, chosen.language) == (False, "ar")


@pytest.mark.parametrize("language", ["de", "", "../ar"])
def test_an_unknown_language_in_the_switch_is_not_saved(login, practitioner, language):
    response = login(practitioner).post(
        reverse("set_language"), {"language": language, "next": "/"}
    )

    assert response.status_code == 302
    assert not NotificationSettings.objects.filter(user=practitioner).exists()


def test_the_switch_does_not_send_anyone_off_the_site(client):
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_the_profile_page_names_it_the_language_of_the_interface(login, practitioner):
    client = login(practitioner)
    url = reverse("assessments:notification_settings")

    page = client.get(url).content.decode()
    assert "Used for the interface and your emails" in page

    response = client.post(url, {"email": "on", "language": "ar"})
    assert response.status_code == 302
    assert _html_lang(client.get(response["Location"])) == '<html lang="ar" dir="rtl">'


def test_the_preference_is_read_once_per_session(login, practitioner):
    NotificationSettings.objects.create(user=practitioner, language="fr")
    client = login(practitioner)
    client.get(reverse("dashboard"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))

    assert _html_lang(response) == '<html lang="fr" dir="ltr">'
    assert not [q for q in queries if "notificationsettings" in q["sql"]]
