"""Browser tests: Playwright driving Debian's chromium against Django's live server.

Without /usr/bin/chromium these tests are skipped, unless HSASSESS_REQUIRE_BROWSER=1 (the
CI sets it after installing chromium), where a skip would hide a broken setup: then
they fail. The browser may talk to the live server on 127.0.0.1 only; any other request
is aborted and fails the test.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from assessments.models import Membership
from tests.factories import PASSWORD, MembershipFactory, TeamFactory, UserFactory, default_version

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests may run as root, where chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's sync API keeps an asyncio loop running in this thread, so Django would
# refuse ORM calls (factories, assertions) from the test body without this switch.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
TIMEOUT_MS = 10_000


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = (
        f"{CHROMIUM} is missing, so the browser tests cannot run "
        "(install Debian's chromium: apt-get install chromium)"
    )
    if os.environ.get("HSASSESS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"HSASSESS_REQUIRE_BROWSER=1 but {message}.", pytrace=False)
    pytest.skip(f"{message}; set HSASSESS_REQUIRE_BROWSER=1 to make this a failure.")


@pytest.fixture(scope="session")
def live_server():
    """Django's live server on 127.0.0.1 (pytest-django's default is "localhost", which
    may resolve to ::1 or anywhere a hosts file says)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1")
    yield server
    server.stop()


@pytest.fixture(scope="package")
def browser():
    """One chromium for all the browser tests. Package scope rather than session scope:
    the browser (and Playwright's event loop in this thread) ends with the last e2e test,
    so the rest of the suite runs without them."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every test signs people in through the form; the production hasher would spend
    # most of the run hashing. The live server thread sees the same settings object.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def new_context(browser, live_server):
    """Open a fresh browser context (one person's browser: own cookies) on the live
    server. Requests to anywhere but the live server are aborted and fail the test, and
    so does anything the Content-Security-Policy blocks."""
    contexts = []
    blocked: list[str] = []
    csp_errors: list[str] = []
    own_origin = live_server.url.rstrip("/") + "/"
    elsewhere = re.compile("^(?!" + re.escape(own_origin) + ")(?!data:)(?!blob:)")

    def _block(route):
        blocked.append(route.request.url)
        route.abort()

    def _console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            csp_errors.append(message.text)

    def _open(**kwargs):
        options = {
            "base_url": live_server.url,
            "locale": "en-GB",
            "viewport": {"width": 1280, "height": 900},
            "accept_downloads": True,
        }
        options.update(kwargs)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.route(elsewhere, _block)
        context.on("console", _console)
        contexts.append(context)
        return context

    yield _open
    for context in contexts:
        context.close()
    assert not blocked, f"The browser tried to reach beyond the live server: {blocked}"
    assert not csp_errors, f"The Content-Security-Policy blocked something: {csp_errors}"


@pytest.fixture
def new_page(new_context):
    """A page in a fresh context: `new_page()` for another person's browser."""

    def _open(**kwargs):
        return new_context(**kwargs).new_page()

    return _open


@pytest.fixture
def page(new_page):
    return new_page()


def sign_in(page, user, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard", level=1).wait_for()


@dataclass
class People:
    team: object
    owner: object
    colleague: object
    supervisor: object
    version: object


@pytest.fixture
def people(django_db_serialized_rollback, transactional_db) -> People:
    """A team with two practitioners and a supervisor, and the published default
    framework. The live server runs in another thread, so the data must be committed:
    hence transactional_db."""
    team = TeamFactory(name="North Field Team", slug="north")
    return People(
        team=team,
        owner=MembershipFactory(team=team, user=UserFactory(username="pat")).user,
        colleague=MembershipFactory(team=team, user=UserFactory(username="cole")).user,
        supervisor=MembershipFactory(
            team=team, user=UserFactory(username="sue"), role=Membership.Role.SUPERVISOR
        ).user,
        version=default_version(),
    )


@pytest.fixture
def framework_admin(django_db_serialized_rollback, transactional_db):
    """Staff in the "Framework admins" group. The group comes from a data migration, which
    the flush after each transactional test removes, so it is made again if missing."""
    group, _ = Group.objects.get_or_create(name="Framework admins")
    group.permissions.set(Permission.objects.filter(content_type__app_label="frameworks"))
    user = UserFactory(username="fwadmin", is_staff=True)
    user.groups.add(group)
    return user
