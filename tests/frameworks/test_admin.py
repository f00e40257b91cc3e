"""Framework admin: framework admins edit drafts; published versions stay read-only."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages

from frameworks.models import FrameworkVersion, Prompt, Section
from frameworks.services import content_delete, version_new_draft
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


def test_a_published_version_shows_read_only(admin_client, version):
    response = admin_client.get(version_change_url(version))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="_save"' not in content
    assert 'name="_continue"' not in content
    assert 'class="deletelink"' not in content
    # The inline sections are shown as text, not as inputs.
    assert version.sections.order_by("order").first().title in content
    assert 'name="sections-0-title"' not in content


def test_posting_a_change_to_a_published_version_is_forbidden(admin_client, version):
    response = admin_client.post(
        version_change_url(version),
        {"framework": version.framework_id, "number": 7, "language": "fr", "changelog": "x"},
    )

    assert response.status_code == 403
    version.refresh_from_db()
    assert (version.number, version.language) == (1, "en")
    assert version.status == FrameworkVersion.Status.PUBLISHED


def test_posting_a_change_to_a_section_of_a_published_version_is_forbidden(admin_client, version):
    section = version.sections.order_by("order").first()
    title = section.title

    response = admin_client.post(
        section_change_url(section),
        {
            "version": version.pk,
            "key": section.key,
            "title": "Rewritten after publication",
            "guidance": "",
            "order": section.order,
            "prompts-TOTAL_FORMS": "0",
            "prompts-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 403
    section.refresh_from_db()
    assert section.title == title


def test_deleting_a_section_of_a_published_version_is_forbidden(admin_client, version):
    section = version.sections.order_by("order").first()

    response = admin_client.post(f"/admin/frameworks/section/{section.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Section.objects.filter(pk=section.pk).exists()


def test_deleting_a_published_version_from_the_changelist_is_forbidden(admin_client, version):
    response = admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [version.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert FrameworkVersion.objects.filter(pk=version.pk).exists()
    assert version.sections.count() > 0


def test_adding_a_section_to_a_published_version_is_refused(admin_client, version):
    before = Section.objects.count()

    response = admin_client.post(
        "/admin/frameworks/section/add/",
        {
            "version": version.pk,
            "key": "extra",
            "title": "Slipped in after publication",
            "order": 99,
            "prompts-TOTAL_FORMS": "0",
            "prompts-INITIAL_FORMS": "0",
        },
    )

    # Only drafts are offered as the section's version; a published one is refused.
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Section.objects.count() == before
    assert not Section.objects.filter(key="extra").exists()


def test_new_draft_action_creates_a_draft(admin_client, version):
    response = admin_client.post(
        CHANGELIST, {"action": "new_draft", "_selected_action": [version.pk]}, follow=True
    )

    assert response.status_code == 200
    draft = FrameworkVersion.objects.get(framework=version.framework, number=2)
    assert draft.status == FrameworkVersion.Status.DRAFT
    assert draft.sections.count() == version.sections.count()
    assert "Created draft v2 of Human Security Lens." in messages_of(response)


def test_publish_action_publishes_a_complete_draft(admin_client, version):
    draft = version_new_draft(version=version)

    response = admin_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )

    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.PUBLISHED
    assert draft.published_at is not None
    assert "Published 1 version." in messages_of(response)


def test_publish_action_on_an_incomplete_draft_explains_and_leaves_it_draft(admin_client, version):
    draft = version_new_draft(version=version)
    content_delete(obj=draft.components.get(key="preventive"))

    response = admin_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )

    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.DRAFT
    assert draft.published_at is None
    messages = messages_of(response)
    assert len(messages) == 1
    assert "was not published" in messages[0]
    assert "missing: preventive" in messages[0]
    assert "missing: preventive" in response.content.decode()


def test_retire_action_retires_a_published_version(admin_client, version):
    admin_client.post(CHANGELIST, {"action": "retire", "_selected_action": [version.pk]})

    version.refresh_from_db()
    assert version.status == FrameworkVersion.Status.RETIRED


def test_export_action_downloads_the_yaml(admin_client, version):
    response = admin_client.post(
        CHANGELIST, {"action": "export_yaml", "_selected_action": [version.pk]}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml"
    assert 'filename="human-security-lens-v1.yaml"' in response["Content-Disposition"]
    assert response.content.decode().startswith("format: hsassess-framework/1\n")


def test_a_section_of_a_draft_can_be_edited(admin_client, version):
    draft = version_new_draft(version=version)
    section = draft.sections.order_by("order").first()
    page = admin_client.get(section_change_url(section))
    assert 'name="_save"' in page.content.decode()
    data = form_data(page)
    data["title"] = "The setting"
    data["prompts-0-text"] = "Where and when, and what is happening?"

    response = admin_client.post(section_change_url(section), data)

    assert response.status_code == 302
    section.refresh_from_db()
    assert section.title == "The setting"
    assert section.prompts.order_by("order").first().text == (
        "Where and when, and what is happening?"
    )
    published = version.sections.order_by("order").first()
    assert published.title == "The context"
    assert published.prompts.order_by("order").first().text != section.prompts.first().text


def test_a_draft_version_can_be_edited_with_its_inlines(admin_client, version):
    draft = version_new_draft(version=version)
    page = admin_client.get(version_change_url(draft))
    data = form_data(page)
    data["changelog"] = "Clearer context prompts."
    data["sections-0-title"] = "The setting"

    response = admin_client.post(version_change_url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.changelog == "Clearer context prompts."
    assert draft.sections.order_by("order").first().title == "The setting"
    assert version.sections.order_by("order").first().title == "The context"


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
