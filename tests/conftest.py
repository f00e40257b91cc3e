import pytest
from pytest_django.plugin import blocking_manager_key

from assessments.briefs import render as brief_render
from assessments.models import Membership
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    default_version,
)
from tests.standins import FakeRenderer


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file rather than memory: the worker tests
    (tests/assessments/jobs/) start real workers in other processes, which must see it."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The default framework is loaded once, into the test database itself: tests that
    run inside a transaction see it and roll back around it."""
    with django_db_blocker.unblock():
        default_version()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # A transactional test ends with a flush, which empties every table: load the default
    # framework again for the tests after it (they would otherwise import it each time).
    result = yield
    if nextitem is not None and _flushes(item):
        with item.config.stash[blocking_manager_key].unblock():
            default_version()
    return result


def _flushes(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    fixtures = set(getattr(item, "fixturenames", ()))
    return transactional or bool(fixtures & {"transactional_db", "live_server"})


@pytest.fixture
def no_frameworks(db):
    """For tests of importing into an empty instance: the session's default framework is
    removed inside the test's transaction (and comes back with the rollback)."""
    from frameworks.models import Framework, FrameworkVersion

    FrameworkVersion.objects.all().delete()
    Framework.objects.all().delete()


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


@pytest.fixture
def fake_render(monkeypatch) -> FakeRenderer:
    """Approval and the brief download render through a stand-in: see tests/standins.py."""
    renderer = FakeRenderer()
    monkeypatch.setattr(brief_render, "render_brief_pdf", renderer)
    return renderer


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background work runs at once, in the test's own transaction, unless a test sets
    another backend: most tests are about what the work does, not the engine that runs
    it (tests/assessments/jobs/ runs real workers)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


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
def _default_language():
    """Each test starts and ends in the default language. A request activates the
    language it asked for in this thread and nothing turns it off afterwards, so without
    this a French page in one test would word the messages of the next one in French."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # The overview caches rendered parts per process; start each test without them.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
