"""Which cache the settings choose: a shared Redis named by CACHE_URL (or REDIS_URL), so
several app servers share one, and memory of the process's own without either."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parents[2] / "hsassess" / "settings.py"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 60,
    "ALLOWED_HOSTS": "hsassess.example.org",
    "BRIEF_SIGNING_KEYS": "b" * 40,
}


def settings_with(monkeypatch, **env) -> dict:
    """The settings module run afresh with these variables (Django's own settings stay)."""
    for name in ("CACHE_URL", "REDIS_URL", "CACHE_KEY_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**PRODUCTION, **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS), run_name="hsassess_settings_probe")


def test_cache_url_selects_a_shared_redis_cache(monkeypatch):
    caches = settings_with(monkeypatch, CACHE_URL="rediss://:pw@cache.internal:6380/1")["CACHES"]

    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "rediss://:pw@cache.internal:6380/1"
    assert caches["default"]["KEY_PREFIX"] == "hsassess"
    # A Redis that hangs holds a page for a second at most (it then renders uncached).
    assert caches["default"]["OPTIONS"] == {"socket_connect_timeout": 1, "socket_timeout": 1}


def test_redis_url_serves_when_there_is_no_cache_url(monkeypatch):
    caches = settings_with(
        monkeypatch, REDIS_URL="redis://cache.internal:6379/0", CACHE_KEY_PREFIX="site2"
    )["CACHES"]

    assert caches["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert caches["default"]["KEY_PREFIX"] == "site2"


def test_without_a_url_each_process_keeps_its_own_cache(monkeypatch):
    caches = settings_with(monkeypatch)["CACHES"]

    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_cache_url_that_is_not_redis_stops_the_start(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be a redis://"):
        settings_with(monkeypatch, CACHE_URL="memcached://cache.internal:11211")
