"""Framework admin: framework admins edit drafts; published versions stay read-only."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages

from frameworks.models import FrameworkVersion, Prompt, Section
from frameworks.services import version_new_draft
from tests.factories import UserFactory

GROUP = "Framework admins"
CHANGELIST = "/admin/frameworks/frameworkversion/"


def version_change_url(version) -> str:
    return f"/admin/frameworks/frameworkversion/{version.pk}/change/"


def section_change_url(section) -> str:
    return f"/admin/frameworks/section/{section.pk}/change/"


@pytest.fixture
def framework_admin(db):
    user = UserFactory(username="farid", is_staff=True)
    user.groups.add(Group.objects.get(name=GROUP))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="ada", is_staff=True, is_superuser=True)


@pytest.fixture(params=["framework_admin", "superuser"])
def admin_client(request, client):
    """A client signed in as each kind of user allowed to edit frameworks."""
    client.force_login(request.getfixturevalue(request.param))
    return client


def form_data(response) -> dict:
    """The POST a browser would send for an admin change page as it was rendered."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_framework_admins_group_holds_the_frameworks_permissions(db):
    group = Group.objects.get(name=GROUP)

    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    wanted = {
        ("frameworks", f"{action}_{model}")
        for action in ("add", "change", "delete", "view")
        for model in (
            "framework",
            "frameworkversion",
            "section",
            "prompt",
            "component",
            "dimension",
            "scalelevel",
        )
    }
    assert wanted <= granted
    assert {app for app, _ in granted} == {"frameworks"}
    assert Permission.objects.filter(group=group).count() == len(granted)


# Frameworks are edited in one place, the studio (tests/frameworks/test_studio.py); the
# admin shows them read-only, drafts included, and offers no action that changes one.


@pytest.mark.parametrize("which", ["published", "draft"])
def test_every_version_shows_read_only(admin_client, version, which):
    shown = version if which == "published" else version_new_draft(version=version)

    response = admin_client.get(version_change_url(shown))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="_save"' not in content
    assert 'name="_continue"' not in content
    assert 'class="deletelink"' not in content
    assert shown.sections.order_by("order").first().title in content
    assert 'name="sections-0-title"' not in content


def test_posting_a_change_through_the_admin_changes_nothing(admin_client, version):
    draft = version_new_draft(version=version)
    section = draft.sections.order_by("order").first()

    response = admin_client.post(section_change_url(section), {"title": "Forged", "key": "x"})

    assert response.status_code == 403
    assert Section.objects.get(pk=section.pk).title != "Forged"


def test_the_admin_offers_no_add_and_no_actions_on_versions(admin_client, version):
    response = admin_client.get(CHANGELIST)

    content = response.content.decode()
    assert response.status_code == 200
    assert "/admin/frameworks/frameworkversion/add/" not in content
    assert response.context["action_form"] is None  # no action: no publish, no delete
    assert admin_client.get("/admin/frameworks/section/add/").status_code == 403


def test_deleting_a_draft_through_the_admin_is_forbidden(admin_client, version):
    draft = version_new_draft(version=version)

    response = admin_client.post(
        f"/admin/frameworks/frameworkversion/{draft.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert FrameworkVersion.objects.filter(pk=draft.pk).exists()


def test_a_non_staff_user_is_sent_to_the_admin_login(client, practitioner, version):
    client.force_login(practitioner)

    for url in ("/admin/", CHANGELIST, version_change_url(version)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")


def test_a_non_staff_user_cannot_run_admin_actions(client, practitioner, version):
    client.force_login(practitioner)

    response = client.post(CHANGELIST, {"action": "new_draft", "_selected_action": [version.pk]})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert FrameworkVersion.objects.count() == 1
    assert Prompt.objects.filter(section__version__number=2).count() == 0
