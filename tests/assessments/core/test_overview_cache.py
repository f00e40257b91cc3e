"""The overview's rendered parts are cached under the assessment's last change: a change
shows at once, and a cache that fails costs a rendering, never the page."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from assessments.core import views

pytestmark = pytest.mark.django_db


def test_a_change_to_the_content_shows_on_the_next_view(client, assessment, practitioner):
    client.force_login(practitioner)
    url = reverse("assessments:detail", args=[assessment.pk])
    assert "Camps flood every August" not in client.get(url).content.decode()

    response = client.post(
        reverse("assessments:edit", args=[assessment.pk]),
        {
            "version": assessment.version,
            "title": assessment.title,
            "country": assessment.country,
            "key_points": "Camps flood every August",
        },
    )
    assert response.status_code == 302

    assert "Camps flood every August" in client.get(url).content.decode()


def test_an_unreachable_shared_cache_costs_a_rendering_not_the_page(
    client, assessment, practitioner, settings, caplog
):
    # Nothing listens on port 1: every cache call fails at once, as a Redis that is down.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    client.force_login(practitioner)

    with caplog.at_level(logging.WARNING, logger=views.__name__):
        response = client.get(reverse("assessments:detail", args=[assessment.pk]))

    assert response.status_code == 200
    assert "Risk matrix" in response.content.decode()
    warnings = [r.getMessage() for r in caplog.records if r.name == views.__name__]
    assert warnings == ["The cache failed; the overview was rendered without it."] * 2
