import pytest

from assessments.models import Membership
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    default_version,
)


@pytest.fixture
def version(db):
    """The published default framework version."""
    return default_version()


@pytest.fixture
def team(db):
    return TeamFactory(name="North", slug="north")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="South", slug="south")


@pytest.fixture
def practitioner(team):
    return MembershipFactory(team=team, user=UserFactory(username="pat")).user


@pytest.fixture
def supervisor(team):
    return MembershipFactory(
        team=team, user=UserFactory(username="sue"), role=Membership.Role.SUPERVISOR
    ).user


@pytest.fixture
def assessment(version, team, practitioner):
    return AssessmentFactory(team=team, owner=practitioner, framework_version=version)


@pytest.fixture
def login(client):
    """Sign a client in as the given user and return it."""

    def _login(user, c=None):
        c = c or client
        c.force_login(user)
        return c

    return _login


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The production hasher is slow by design; tests sign many people in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_terminal_summary(terminalreporter):
    from tests.figures import FIGURES

    if FIGURES:
        terminalreporter.section("hsassess figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _empty_cache():
    # The overview caches rendered parts per process; start each test without them.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
