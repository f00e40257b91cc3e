"""The framework studio: editing a draft through editing.py, one draft at a time, compare,
preview and publish with a changelog; permissions of its pages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from frameworks import editing
from frameworks.compare import compare_documents, word_diff
from frameworks.models import FrameworkVersion, Prompt, ScaleLevel, Section
from frameworks.selectors import version_document, version_with_content
from frameworks.services import version_new_draft, version_publish
from tests.factories import AssessmentFactory


@pytest.fixture
def draft(version, fwadmin):
    return version_new_draft(version=version, by=fwadmin)


def doc(version):
    return version_document(
        version_with_content(FrameworkVersion.objects.filter(pk=version.pk)).get()
    )


def edit_url(v):
    return reverse("frameworks:edit", args=[v.framework.slug, v.number])


# --- services -------------------------------------------------------------------------


def test_a_new_draft_records_who_started_it(draft, fwadmin):
    assert draft.created_by == fwadmin
    assert draft.created_at is not None


def test_only_one_draft_per_framework(draft, version):
    with pytest.raises(ValidationError, match="already has a draft"):
        version_new_draft(version=version)
    with transaction.atomic(), pytest.raises(IntegrityError):
        FrameworkVersion.objects.create(framework=version.framework, number=99)


def test_adding_makes_a_key_from_the_title_and_keeps_it(draft):
    section = draft.sections.first()
    prompt = editing.studio_add(
        version=draft, kind="prompt", section=section, data={"text": "Who decides here?"}
    )
    assert prompt.key == "who-decides-here"
    assert prompt.order == section.prompts.count()
    editing.studio_save(version=draft, kind="prompt", pk=prompt.pk, data={"text": "Who rules?"})
    prompt.refresh_from_db()
    assert (prompt.key, prompt.text) == ("who-decides-here", "Who rules?")
    again = editing.studio_add(
        version=draft, kind="prompt", section=section, data={"text": "Who decides here?"}
    )
    assert again.key == "who-decides-here-2"


def test_a_save_is_checked_with_the_import_rules_and_errors_name_the_field(draft):
    section = draft.sections.first()
    with pytest.raises(ValidationError) as excinfo:
        editing.studio_save(version=draft, kind="section", pk=section.pk, data={"title": "x" * 300})
    assert "title" in excinfo.value.message_dict
    section.refresh_from_db()
    assert section.title != "x" * 300


def test_an_empty_prompt_text_is_refused_on_its_field(draft):
    prompt = Prompt.objects.filter(section__version=draft).first()
    with pytest.raises(ValidationError) as excinfo:
        editing.studio_save(version=draft, kind="prompt", pk=prompt.pk, data={"text": "  "})
    assert "text" in excinfo.value.message_dict


def test_move_up_and_down_reorders_prompts(draft):
    section = draft.sections.first()
    first, second = list(section.prompts.order_by("order"))[:2]
    editing.studio_move(version=draft, kind="prompt", pk=second.pk, step=-1)
    assert list(section.prompts.order_by("order"))[:2] == [second, first]
    editing.studio_move(version=draft, kind="prompt", pk=second.pk, step=1)
    assert list(section.prompts.order_by("order"))[:2] == [first, second]


def test_scale_levels_swap_values_and_close_gaps(draft):
    levels = list(draft.scale_levels.filter(scale="likelihood").order_by("value"))
    editing.studio_move(version=draft, kind="level", pk=levels[1].pk, step=-1)
    labels = list(
        draft.scale_levels.filter(scale="likelihood")
        .order_by("value")
        .values_list("label", flat=True)
    )
    assert labels[:2] == [levels[1].label, levels[0].label]
    editing.studio_remove(version=draft, kind="level", pk=levels[0].pk)
    values = list(
        draft.scale_levels.filter(scale="likelihood")
        .order_by("value")
        .values_list("value", flat=True)
    )
    assert values == list(range(1, len(levels)))


def test_studio_writes_refuse_a_published_version(version):
    section = version.sections.first()
    before = doc(version)
    with pytest.raises(ValidationError):
        editing.studio_save(version=version, kind="section", pk=section.pk, data={"title": "New"})
    with pytest.raises(ValidationError):
        editing.studio_remove(version=version, kind="section", pk=section.pk)
    assert doc(version) == before


def test_publish_takes_a_changelog_and_may_retire_the_older(draft, version):
    published = version_publish(version=draft, changelog="Reworded two prompts.", retire_older=True)
    assert published.changelog == "Reworded two prompts."
    version.refresh_from_db()
    assert version.status == FrameworkVersion.Status.RETIRED


def test_publish_refuses_an_empty_changelog(draft):
    with pytest.raises(ValidationError):
        version_publish(version=draft, changelog="   ")
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_compare_lists_added_removed_reworded_and_moved(draft, version):
    section = draft.sections.order_by("order").first()
    p1, p2 = list(section.prompts.order_by("order"))[:2]
    editing.studio_save(version=draft, kind="prompt", pk=p1.pk, data={"text": p1.text + " Today?"})
    editing.studio_move(version=draft, kind="prompt", pk=p2.pk, step=-1)
    removed = list(section.prompts.order_by("order"))[-1]
    editing.studio_remove(version=draft, kind="prompt", pk=removed.pk)
    editing.studio_add(version=draft, kind="prompt", section=section, data={"text": "Brand new?"})
    changes = compare_documents(doc(version), doc(draft)).prompt_changes()
    assert changes[p1.key] >= {"reworded", "moved"}
    assert "moved" in changes[p2.key]
    assert changes[removed.key] == {"removed"}
    assert changes["brand-new"] == {"added"}


def test_word_diff_marks_words():
    assert word_diff("a b c", "a x c") == [("same", "a"), ("del", "b"), ("ins", "x"), ("same", "c")]


# --- pages ----------------------------------------------------------------------------


def test_framework_page_lists_versions_with_their_assessment_counts(client, fwadmin, version, team):
    AssessmentFactory(team=team, framework_version=version)
    client.force_login(fwadmin)
    response = client.get(reverse("frameworks:framework", args=[version.framework.slug]))
    assert response.status_code == 200
    rows = {v.number: v.assessment_count for v in response.context["versions"]}
    assert rows[version.number] == 1
    assert b"New draft from v1" in response.content


def test_new_draft_button_then_edit_page(client, fwadmin, version):
    client.force_login(fwadmin)
    response = client.post(reverse("frameworks:new-draft", args=[version.framework.slug, 1]))
    draft = FrameworkVersion.objects.get(framework=version.framework, status="draft")
    assert response.status_code == 302 and response.url.startswith(edit_url(draft))
    page = client.get(edit_url(draft))
    assert page.status_code == 200
    assert b"Move up" in page.content


def test_edit_page_shows_the_error_on_the_field(client, fwadmin, draft):
    client.force_login(fwadmin)
    section = draft.sections.first()
    response = client.post(
        edit_url(draft), {"kind": "section", "pk": section.pk, "op": "save", "title": "x" * 300}
    )
    assert response.status_code == 400
    assert b'id="section-%d-title-error"' % section.pk in response.content


def test_keyboard_move_via_post_redirects_with_focus(client, fwadmin, draft):
    client.force_login(fwadmin)
    section = draft.sections.order_by("order")[1]
    response = client.post(edit_url(draft), {"kind": "section", "pk": section.pk, "op": "up"})
    assert response.status_code == 302
    assert f"focus=up-section-{section.pk}" in response.url
    assert draft.sections.order_by("order").first() == section


def test_a_forged_post_to_a_published_version_changes_nothing(client, fwadmin, version):
    client.force_login(fwadmin)
    before = doc(version)
    section = version.sections.first()
    response = client.post(
        edit_url(version), {"kind": "section", "pk": section.pk, "op": "save", "title": "Forged"}
    )
    assert response.status_code == 302
    assert doc(version) == before


def test_a_forged_post_naming_an_item_of_another_version_is_404(client, fwadmin, version, draft):
    client.force_login(fwadmin)
    published_section = version.sections.first()
    response = client.post(
        edit_url(draft),
        {"kind": "section", "pk": published_section.pk, "op": "save", "title": "Forged"},
    )
    assert response.status_code == 404
    assert Section.objects.get(pk=published_section.pk).title != "Forged"


def test_preview_compare_and_publish_pages(client, fwadmin, draft, version):
    client.force_login(fwadmin)
    slug = version.framework.slug
    section = draft.sections.first()
    assert client.get(reverse("frameworks:preview", args=[slug, 2])).status_code == 200
    preview = client.get(reverse("frameworks:preview-section", args=[slug, 2, section.key]))
    assert section.prompts.first().text.encode() in preview.content
    assert client.get(reverse("frameworks:compare", args=[slug, 1, 2])).status_code == 200
    page = client.get(reverse("frameworks:publish", args=[slug, 2]))
    assert b"New assessments get it" in page.content
    refused = client.post(
        reverse("frameworks:publish", args=[slug, 2]), {"changelog": "", "older": "keep"}
    )
    assert refused.status_code == 400
    done = client.post(
        reverse("frameworks:publish", args=[slug, 2]),
        {"changelog": "First revision.", "older": "keep"},
    )
    assert done.status_code == 302
    draft.refresh_from_db()
    version.refresh_from_db()
    assert (draft.status, draft.changelog, version.status) == (
        "published",
        "First revision.",
        "published",
    )


def test_export_and_import_from_the_studio(client, fwadmin, version):
    client.force_login(fwadmin)
    slug = version.framework.slug
    response = client.get(reverse("frameworks:export", args=[slug, 1]))
    assert response.status_code == 200
    assert b"hsassess-framework/1" in response.content
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.yaml", b"format: nope\n", content_type="application/yaml")
    refused = client.post(reverse("frameworks:import"), {"file": bad})
    assert refused.status_code == 400
    assert b"$.format" in refused.content
    assert FrameworkVersion.objects.count() == 1


@pytest.mark.parametrize("who", ["practitioner", "supervisor"])
def test_others_read_but_never_edit(client, request, who, draft, version):
    client.force_login(request.getfixturevalue(who))
    slug = version.framework.slug
    assert client.get(reverse("frameworks:framework", args=[slug])).status_code == 200
    assert client.get(reverse("frameworks:version", args=[slug, 1])).status_code == 200
    assert client.get(reverse("frameworks:version", args=[slug, 2])).status_code == 404
    for name, args in [
        ("edit", [slug, 2]),
        ("preview", [slug, 2]),
        ("publish", [slug, 2]),
        ("import", []),
    ]:
        assert client.get(reverse(f"frameworks:{name}", args=args)).status_code == 403, name
    assert client.post(reverse("frameworks:new-draft", args=[slug, 1])).status_code == 403
    assert client.post(reverse("frameworks:discard", args=[slug, 2])).status_code == 403
    section = draft.sections.first()
    forged = client.post(edit_url(draft), {"kind": "section", "pk": section.pk, "op": "remove"})
    assert forged.status_code == 403
    assert Section.objects.filter(pk=section.pk).exists()


def test_anonymous_is_sent_to_sign_in(client, version):
    response = client.get(reverse("frameworks:framework", args=[version.framework.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_level_add_gets_the_next_value(draft):
    level = editing.studio_add(version=draft, kind="level", scale="urgency", data={"label": "Now"})
    assert level.value == ScaleLevel.objects.filter(version=draft, scale="urgency").count()
