"""What every page relies on: sign-in, demo accounts, production settings, static assets."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.templatetags.static import static

from assessments.demo import seed as demo
from assessments.models import Assessment, Membership, Team
from frameworks.models import Framework, FrameworkVersion

BOOTSTRAP_CSS = "bootstrap/css/bootstrap.min.css"
PROTECTED_URLS = ["/", "/assessments/", "/frameworks/", "/frameworks/human-security-lens/v1/"]


@pytest.fixture
def seeded(settings, db):
    """The demo data, as `make run` loads it (seed_demo runs only with DEBUG on)."""
    # Six accounts hashed with the production hasher cost seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


def counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "teams": Team.objects.count(),
        "memberships": Membership.objects.count(),
        "frameworks": Framework.objects.count(),
        "versions": FrameworkVersion.objects.count(),
        "group members": Group.objects.get(name="Framework admins").user_set.count(),
        "assessments": Assessment.objects.count(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", PROTECTED_URLS)
def test_every_page_requires_sign_in(client, version, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.django_db
def test_the_login_page_is_an_accessible_form(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en"' in content
    assert '<form method="post" action="/accounts/login/"' in content
    assert '<label class="form-label" for="id_username">Username</label>' in content
    assert 'name="username" id="id_username"' in content
    assert '<label class="form-label" for="id_password">Password</label>' in content
    assert 'type="password" name="password" id="id_password"' in content


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_message(client, practitioner):
    response = client.post("/accounts/login/", {"username": "pat", "password": "wrong"})

    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("username", [account[0] for account in demo.ACCOUNTS])
def test_demo_accounts_can_sign_in_and_browse_frameworks(client, seeded, username):
    response = client.post(
        "/accounts/login/", {"username": username, "password": demo.DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    frameworks = client.get("/frameworks/")
    assert frameworks.status_code == 200
    content = frameworks.content.decode()
    assert "Human Security Lens" in content
    assert f"Signed in as {username}" in content


@pytest.mark.django_db
def test_seed_demo_gives_each_role_its_access(seeded):
    User = get_user_model()

    assert User.objects.get(username="admin").is_superuser
    fwadmin = User.objects.get(username="fwadmin")
    assert fwadmin.is_staff
    assert fwadmin.has_perm("frameworks.change_section")
    assert not User.objects.get(username="practitioner").is_staff
    assert Membership.objects.get(user__username="supervisor").role == Membership.Role.SUPERVISOR
    assert FrameworkVersion.objects.get().status == FrameworkVersion.Status.PUBLISHED


@pytest.mark.django_db
def test_seed_demo_run_twice_duplicates_nothing(seeded, settings):
    before = counts()
    settings.DEBUG = True

    call_command("seed_demo", stdout=StringIO())

    assert counts() == before
    assert before["users"] == len(demo.ACCOUNTS)
    assert before["teams"] == len(demo.TEAMS)
    assert before["versions"] == 1


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off():
    assert not django_settings.DEBUG

    with pytest.raises(CommandError) as excinfo:
        call_command("seed_demo")

    assert "--force" in str(excinfo.value)
    assert not get_user_model().objects.filter(username="admin").exists()


def start_in_production(*, then: str = "", **env_overrides) -> subprocess.CompletedProcess:
    """Set Django up with DEBUG off and these variables, then run the code `then`."""
    env = dict(os.environ)
    for name in (
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "BRIEF_SIGNING_KEYS",
        "DATABASE_URL",
        "DJANGO_SETTINGS_MODULE",
    ):
        env.pop(name, None)
    env["DEBUG"] = "0"
    env.update(env_overrides)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'hsassess.settings'; "
        "django.setup()\n" + then
    )
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_start_without_secret_key_is_refused():
    result = start_in_production()

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr.splitlines()[-1]


def test_production_start_without_allowed_hosts_is_refused():
    result = start_in_production(SECRET_KEY="k" * 60)

    assert result.returncode != 0
    last_line = result.stderr.splitlines()[-1]
    assert "ALLOWED_HOSTS" in last_line
    assert "SECRET_KEY" not in last_line


def test_production_start_with_a_short_secret_key_is_refused():
    result = start_in_production(SECRET_KEY="too-short", ALLOWED_HOSTS="hsassess.example.org")

    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_start_without_a_brief_signing_key_is_refused():
    result = start_in_production(SECRET_KEY="k" * 60, ALLOWED_HOSTS="hsassess.example.org")

    assert result.returncode != 0
    last_line = result.stderr.splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert "BRIEF_SIGNING_KEYS must be set" in last_line


def test_production_start_with_a_short_brief_signing_key_is_refused():
    result = start_in_production(
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="hsassess.example.org",
        BRIEF_SIGNING_KEYS="b" * 40 + ",too-short",
    )

    assert result.returncode != 0
    assert "BRIEF_SIGNING_KEYS must be at least 32 characters" in result.stderr


def test_production_start_with_secret_hosts_and_signing_key_succeeds():
    result = start_in_production(
        SECRET_KEY="k" * 60, ALLOWED_HOSTS="hsassess.example.org", BRIEF_SIGNING_KEYS="b" * 40
    )

    assert result.returncode == 0, result.stderr


def test_bootstrap_ships_with_the_app():
    assert finders.find(BOOTSTRAP_CSS) is not None
    assert static(BOOTSTRAP_CSS) == f"/static/{BOOTSTRAP_CSS}"


@pytest.mark.django_db
def test_bootstrap_css_is_served_without_sign_in(client):
    response = client.get(static(BOOTSTRAP_CSS))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Bootstrap" in body[:200]


@pytest.mark.django_db
def test_the_login_page_links_the_local_bootstrap_css(client):
    content = client.get("/accounts/login/").content.decode()

    assert f'href="/static/{BOOTSTRAP_CSS}"' in content
    assert "cdn" not in content.lower()


def test_arabic_pages_are_laid_out_right_to_left(client, db):
    client.cookies["django_language"] = "ar"

    html = client.get("/accounts/login/").content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap/css/bootstrap.rtl.min.css" in html


def test_a_person_can_switch_the_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert '<html lang="fr" dir="ltr">' in client.get("/accounts/login/").content.decode()


def test_the_navigation_marks_the_current_part_of_the_app(client, practitioner):
    client.force_login(practitioner)

    html = client.get("/frameworks/").content.decode()

    assert 'active" aria-current="page" href="/frameworks/"' in html
    assert 'aria-current="page" href="/assessments/"' not in html
    assert "img/favicon.svg" in html
