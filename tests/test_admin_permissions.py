"""Who may open which admin page: anonymous people and staff-less accounts are sent to the
admin sign-in, framework admins (staff in the "Framework admins" group, which a migration
creates) get the frameworks pages and nothing else, superusers get everything.

The expected outcomes are written out by hand from DESIGN.md ("framework admin: staff with
the frameworks permissions; edit framework drafts in the in-app studio") and
docs/permissions.md. The admin shows frameworks read-only: the studio is the one way to
edit them.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group

from assessments.models import Membership
from frameworks.models import FrameworkVersion
from frameworks.services import version_new_draft
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    default_version,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "practitioner", "supervisor", "framework_admin", "superuser")


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic in tests: WhiteNoise serves from the finders and stays quiet.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def objects(db) -> dict:
    """A team with a practitioner and a (non-staff) supervisor, an assessment, the
    published default framework and a draft cloned from it, and the admin accounts."""
    version = default_version()
    draft = version_new_draft(version=version)
    north = TeamFactory(name="North", slug="north")
    practitioner = MembershipFactory(team=north, user=UserFactory(username="pat")).user
    supervisor = MembershipFactory(
        team=north, user=UserFactory(username="sue"), role=Membership.Role.SUPERVISOR
    ).user
    framework_admin = UserFactory(username="farid", is_staff=True)
    framework_admin.groups.add(Group.objects.get(name="Framework admins"))
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    assessment = AssessmentFactory(team=north, owner=practitioner, framework_version=version)
    return {
        "users": {
            "anonymous": None,
            "practitioner": practitioner,
            "supervisor": supervisor,
            "framework_admin": framework_admin,
            "superuser": superuser,
        },
        "version": version,
        "draft": draft,
        "assessment": assessment,
    }


PAGES: dict[str, Callable[[dict], str]] = {
    "index": lambda o: "/admin/",
    "frameworkversion_list": lambda o: "/admin/frameworks/frameworkversion/",
    "published_version_change": (
        lambda o: f"/admin/frameworks/frameworkversion/{o['version'].pk}/change/"
    ),
    "draft_version_change": (
        lambda o: f"/admin/frameworks/frameworkversion/{o['draft'].pk}/change/"
    ),
    "section_list": lambda o: "/admin/frameworks/section/",
    "team_list": lambda o: "/admin/assessments/team/",
    "membership_list": lambda o: "/admin/assessments/membership/",
    "assessment_list": lambda o: "/admin/assessments/assessment/",
    "assessment_change": (lambda o: f"/admin/assessments/assessment/{o['assessment'].pk}/change/"),
    "accessattempt_list": lambda o: "/admin/axes/accessattempt/",
}

# "admin_login": 302 to /admin/login/?next=<url>; "login": 302 to the site's sign-in,
# /accounts/login/?next=<url>; a number: that status code.
# Anonymous people meet LoginRequiredMiddleware before the admin: Django 5.2 gives the
# site-wide admin views (index, app index) a login_url pointing at the admin sign-in but
# not the ModelAdmin views, which therefore go to settings.LOGIN_URL. Either way they sign
# in first; signed-in people without staff status always land on the admin sign-in.
EXPECTED = {
    # page                       anonymous      practitioner   supervisor     fw admin superuser
    "index":                    ("admin_login", "admin_login", "admin_login", 200,     200),
    "frameworkversion_list":    ("login",       "admin_login", "admin_login", 200,     200),
    "published_version_change": ("login",       "admin_login", "admin_login", 200,     200),
    "draft_version_change":     ("login",       "admin_login", "admin_login", 200,     200),
    "section_list":             ("login",       "admin_login", "admin_login", 200,     200),
    "team_list":                ("login",       "admin_login", "admin_login", 403,     200),
    "membership_list":          ("login",       "admin_login", "admin_login", 403,     200),
    "assessment_list":          ("login",       "admin_login", "admin_login", 403,     200),
    "assessment_change":        ("login",       "admin_login", "admin_login", 403,     200),
    "accessattempt_list":       ("login",       "admin_login", "admin_login", 403,     200),
}  # fmt: skip


SIGN_IN = {"admin_login": "/admin/login/", "login": "/accounts/login/"}


def _cases():
    return [
        pytest.param(page, role, row[i], id=f"{page}-{role}")
        for page, row in EXPECTED.items()
        for i, role in enumerate(ROLES)
    ]


def test_the_table_is_complete():
    assert set(EXPECTED) == set(PAGES)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


@pytest.mark.parametrize(("page", "role", "expected"), _cases())
def test_admin_page(client, objects, page, role, expected):
    url = PAGES[page](objects)
    user = objects["users"][role]
    if user is not None:
        client.force_login(user)

    response = client.get(url)

    if expected in SIGN_IN:
        assert response.status_code == 302
        assert response["Location"] == f"{SIGN_IN[expected]}?next={quote(url, safe='/')}"
    else:
        assert response.status_code == expected


def _save_buttons(content: str) -> list[str]:
    return [name for name in ("_save", "_continue", "_addanother") if f'name="{name}"' in content]


def test_the_assessment_admin_is_view_only_even_for_a_superuser(client, objects):
    client.force_login(objects["users"]["superuser"])

    change = client.get(PAGES["assessment_change"](objects))
    changelist = client.get(PAGES["assessment_list"](objects)).content.decode()

    assert change.status_code == 200
    assert _save_buttons(change.content.decode()) == []
    assert change.context["has_change_permission"] is False
    assert objects["assessment"].title in changelist
    # Assessments are created in the app, never in the admin.
    assert "/admin/assessments/assessment/add/" not in changelist
    assert client.get("/admin/assessments/assessment/add/").status_code == 403


@pytest.mark.parametrize("role", ["framework_admin", "superuser"])
def test_no_framework_version_has_save_buttons(client, objects, role):
    # Frameworks are edited in the studio (/frameworks/), never in the admin.
    client.force_login(objects["users"][role])

    draft = client.get(PAGES["draft_version_change"](objects)).content.decode()
    published = client.get(PAGES["published_version_change"](objects)).content.decode()

    assert _save_buttons(draft) == []
    assert _save_buttons(published) == []


def test_a_framework_admin_sees_only_the_frameworks_app_on_the_index(client, objects):
    client.force_login(objects["users"]["framework_admin"])

    response = client.get("/admin/")

    apps = {app["app_label"] for app in response.context["app_list"]}
    assert apps == {"frameworks"}
    content = response.content.decode()
    for hidden in ("/admin/assessments/", "/admin/axes/", "/admin/auth/"):
        assert hidden not in content


def test_the_superuser_sees_every_app_on_the_index(client, objects):
    client.force_login(objects["users"]["superuser"])

    response = client.get("/admin/")

    apps = {app["app_label"] for app in response.context["app_list"]}
    assert {"frameworks", "assessments", "axes", "auth"} <= apps


def test_a_staffless_supervisor_cannot_publish_through_the_admin(client, objects):
    # A supervisor is a trusted person in the app but not staff: the admin's publish
    # action is out of reach and the draft stays a draft.
    client.force_login(objects["users"]["supervisor"])
    draft = objects["draft"]

    response = client.post(
        "/admin/frameworks/frameworkversion/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert FrameworkVersion.objects.get(pk=draft.pk).status == FrameworkVersion.Status.DRAFT
