"""Two app servers behind one load balancer act as one: a person signed in through one
is signed in on the other (sessions in the database), the overview parts one renders are
in the shared cache (Redis), and a change made through one shows at once on the other.

Runs when PostgreSQL and Redis are there (see conftest.py); about ten seconds, most of
it starting gunicorn twice."""

from __future__ import annotations

import html

import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.factories import PASSWORD, AssessmentFactory
from tests.scaleout.conftest import REDIS_URL, Browser


def test_a_change_made_through_one_server_is_seen_at_once_through_the_other(
    app_servers, team, practitioner, version
):
    server_a, server_b, prefix = app_servers
    # The servers use the production hashers; few iterations keep the sign-in quick (the
    # server upgrades the hash when the password is checked).
    practitioner.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsalt", iterations=1000)
    practitioner.save(update_fields=["password"])
    assessment = AssessmentFactory(
        title="Floods in the camps", team=team, owner=practitioner, framework_version=version
    )
    overview = f"/assessments/{assessment.pk}/"
    person = Browser()

    # Signed in through A, and so on B: the session is in the shared database.
    person.sign_in(server_a, "pat", PASSWORD)
    status, _, page = person.get(server_b, overview)
    assert status == 200, server_b.log_tail()
    assert "Signed in as pat" in page
    assert "Floods in the camps" in page
    assert "Camps flood every August" not in page
    # B rendered the overview parts into the shared cache, where A finds them too.
    cached = [key.decode() for key in redis.Redis.from_url(REDIS_URL).keys(f"{prefix}:*")]
    assert any(f":overview:1:{assessment.pk}:" in key for key in cached), cached

    # A change through A ...
    status, headers, _ = person.post(
        server_a,
        f"/assessments/{assessment.pk}/edit/",
        {
            "version": assessment.version,
            "title": "Floods in the lower camps",
            "country": assessment.country,
            "key_points": "Camps flood every August",
        },
    )
    assert status == 302, server_a.log_tail()
    assert headers["Location"] == overview

    # ... is on B's very next page: the title and the cached analysis part alike.
    status, _, page = person.get(server_b, overview)
    page = html.unescape(page)
    assert status == 200, server_b.log_tail()
    assert "Floods in the lower camps" in page
    assert "Camps flood every August" in page
