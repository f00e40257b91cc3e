"""Hardening a person or an attacker would notice: throttled sign-in, headers, sessions,
CSRF, upload limits and a clean `check --deploy`."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessments.demo.seed import DEFAULT_FRAMEWORK
from assessments.models import Assessment, Membership
from frameworks.models import FrameworkVersion, Section
from hsassess.middleware import TOUCH_KEY
from tests.factories import PASSWORD, MembershipFactory, ThreatFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


# --- login throttling ------------------------------------------------------------------


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(db, settings):
    user = UserFactory(username="lena")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "lena", "wrong").status_code == 200

    locked = sign_in(client, "lena", "wrong")

    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "Try again in 15 minutes" in locked.content.decode()
    # Even the right password is refused while locked.
    assert sign_in(client, "lena", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.pk


def test_an_administrator_can_unlock_a_locked_account(db, settings):
    UserFactory(username="omar")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "omar", "wrong")
    assert sign_in(client, "omar", PASSWORD).status_code == 429

    out = io.StringIO()
    call_command("axes_reset_username", "omar", stdout=out)
    assert "1 attempts removed" in out.getvalue()

    response = sign_in(client, "omar", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_lock_on_one_account_does_not_lock_another(db, settings):
    UserFactory(username="target")
    UserFactory(username="bystander")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "target", "wrong")

    assert sign_in(client, "bystander", PASSWORD).status_code == 302


# --- headers, sessions, passwords -------------------------------------------------------


def test_pages_send_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/accounts/login/")

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert b"<script>" not in response.content  # no inline script to allow


def test_logout_ends_the_session(db):
    user = UserFactory(username="ines")
    client = Client()
    sign_in(client, "ines", PASSWORD)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()

    client.post("/accounts/logout/")

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302
    assert user.pk


def test_sessions_expire_after_the_idle_timeout_and_activity_extends_them(db, settings):
    settings.SESSION_COOKIE_AGE = 600
    settings.SESSION_TOUCH_INTERVAL = 60
    UserFactory(username="kofi")
    client = Client()
    sign_in(client, "kofi", PASSWORD)
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    remaining = first.timestamp() - time.time()
    assert 500 < remaining <= 600

    # Pretend the last activity was two minutes ago: the next page pushes expiry back.
    session = client.session
    session[TOUCH_KEY] = int(time.time()) - 120
    session.save()
    before = Session.objects.get(session_key=key).expire_date
    assert client.get("/frameworks/").status_code == 200
    after = Session.objects.get(session_key=key).expire_date
    assert after >= before


def test_an_expired_session_signs_the_person_out(db):
    UserFactory(username="ada2")
    client = Client()
    sign_in(client, "ada2", PASSWORD)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date="2000-01-01T00:00:00Z"
    )

    response = client.get("/assessments/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("password", ["password", "12345678", "short", "lena-lena"])
def test_weak_passwords_are_refused(db, password):
    user = UserFactory.build(username="lena-lena")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "p" * 30 + "-production-only-secret-9Xq!" + "z" * 10,
            "ALLOWED_HOSTS": "hsassess.example.org",
            "BRIEF_SIGNING_KEYS": "b" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- CSRF on every POST ------------------------------------------------------------------


@pytest.fixture
def csrf_world(assessment, practitioner):
    threat = ThreatFactory(assessment=assessment)
    return assessment, threat


def post_urls(assessment, threat):
    a = assessment.pk
    return [
        "/accounts/login/",
        "/accounts/logout/",
        "/assessments/new/",
        "/assessments/import/",
        f"/assessments/{a}/edit/",
        f"/assessments/{a}/sections/context/",
        f"/assessments/{a}/groups/new/",
        f"/assessments/{a}/threats/new/",
        f"/assessments/{a}/threats/{threat.pk}/edit/",
        f"/assessments/{a}/threats/{threat.pk}/delete/",
        f"/assessments/{a}/responses/new/",
        f"/assessments/{a}/submit/",
        f"/assessments/{a}/review/",
        "/assessments/exports/",
        "/i18n/setlang/",
        "/frameworks/import/",
    ]


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(csrf_world, practitioner):
    assessment, threat = csrf_world
    client = Client(enforce_csrf_checks=True)
    client.force_login(practitioner)
    before = (Assessment.objects.count(), assessment.threats.count(), assessment.status)

    for url in post_urls(assessment, threat):
        response = client.post(url, {"title": "forged", "text_context-situation": "forged"})
        assert response.status_code == 403, url

    assessment.refresh_from_db()
    assert (Assessment.objects.count(), assessment.threats.count(), assessment.status) == before


# --- uploads -----------------------------------------------------------------------------


@pytest.fixture
def framework_admin(db):
    from django.contrib.auth.models import Group

    user = UserFactory(username="fw-admin", is_staff=True)
    user.groups.add(Group.objects.get(name="Framework admins"))
    client = Client()
    client.force_login(user)
    return client


IMPORT_URL = "/frameworks/import/"  # the studio's import (the admin only shows frameworks)


def counts():
    return FrameworkVersion.objects.count(), Section.objects.count()


@pytest.mark.usefixtures("no_frameworks")
def test_admin_imports_a_framework_file(framework_admin):
    upload = SimpleUploadedFile("lens.yaml", DEFAULT_FRAMEWORK.read_bytes())

    response = framework_admin.post(IMPORT_URL, {"file": upload, "publish": "on"}, follow=True)

    assert response.status_code == 200
    version = FrameworkVersion.objects.get(framework__slug="human-security-lens", number=1)
    assert version.status == "published"
    assert "Created" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lens.exe", b"format: x", "Upload a .yaml / .yml file"),
        ("lens.yaml", b"a: 1\n" + b"#" * (1024 * 1024 + 1), "the limit is 1.0"),
        ("lens.yaml", b"\x00\x01binary", "not a text file"),
        ("lens.yaml", b"format: [unclosed", "invalid YAML"),
        ("lens.yaml", b"format: " + b"9" * 5000, "a number has more than 9 digits"),
        ("lens.yaml", b"a: [" * 3000, "nested more than 20 levels deep"),
        ("lens.yaml", b"format: hsassess-framework/1\n", "$.framework: missing required field"),
    ],
)
def test_a_bad_framework_upload_is_refused_with_a_message_and_changes_nothing(
    framework_admin, name, content, message
):
    before = counts()

    response = framework_admin.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert counts() == before


def test_practitioners_cannot_reach_the_framework_import(practitioner):
    client = Client()
    client.force_login(practitioner)

    response = client.get(IMPORT_URL)

    assert response.status_code == 403


def test_an_assessment_export_can_be_uploaded_into_another_team(assessment, practitioner):
    other = MembershipFactory(user=practitioner).team
    client = Client()
    client.force_login(practitioner)
    exported = client.get(reverse("assessments:export_json", args=[assessment.pk])).content

    response = client.post(
        "/assessments/import/",
        {"file": SimpleUploadedFile("a.json", exported), "team": other.pk},
    )

    copy = Assessment.objects.exclude(pk=assessment.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{copy.pk}/"
    assert (copy.title, copy.team, copy.owner, copy.status) == (
        assessment.title,
        other,
        practitioner,
        "draft",
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.txt", b"{}", "Upload a .json file"),
        ("a.json", b" " * (5 * 1024 * 1024 + 1), "the limit is 5.0"),
        ("a.json", b"{not json", "not a JSON document"),
        ("a.json", b'{"format": "other"}', "Not an hsassess assessment export"),
    ],
)
def test_a_bad_assessment_upload_is_refused_and_creates_nothing(
    assessment, practitioner, name, content, message
):
    client = Client()
    client.force_login(practitioner)

    response = client.post(
        "/assessments/import/",
        {"file": SimpleUploadedFile(name, content), "team": assessment.team_id},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Assessment.objects.count() == 1


def test_an_upload_into_a_team_one_is_not_in_is_refused(assessment, practitioner, other_team):
    client = Client()
    client.force_login(practitioner)
    exported = client.get(reverse("assessments:export_json", args=[assessment.pk])).content

    response = client.post(
        "/assessments/import/",
        {"file": SimpleUploadedFile("a.json", exported), "team": other_team.pk},
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Assessment.objects.count() == 1
    assert not Membership.objects.filter(team=other_team, user=practitioner).exists()
