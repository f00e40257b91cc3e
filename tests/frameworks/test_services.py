"""Framework services: published versions never change; drafts are copied, checked, frozen."""

import pytest
from django.core.exceptions import ValidationError

from frameworks.models import (
    Component,
    Dimension,
    FrameworkVersion,
    Prompt,
    ScaleLevel,
    Section,
)
from frameworks.selectors import version_document, version_with_content
from frameworks.services import (
    FrameworkLocked,
    content_delete,
    content_save,
    version_new_draft,
    version_publish,
    version_retire,
)
from tests.factories import FrameworkVersionFactory

pytestmark = pytest.mark.django_db

# For each kind of content: how to find one row of a version, and a text field to edit.
CONTENT = {
    "section": (lambda v: Section.objects.filter(version=v), "title"),
    "prompt": (lambda v: Prompt.objects.filter(section__version=v), "text"),
    "component": (lambda v: Component.objects.filter(version=v), "name"),
    "dimension": (lambda v: Dimension.objects.filter(version=v), "name"),
    "scale level": (lambda v: ScaleLevel.objects.filter(version=v), "label"),
}


def content_of(version: FrameworkVersion) -> dict:
    """Everything an assessor reads in a version, without its number and changelog."""
    document = version_document(
        version_with_content(FrameworkVersion.objects.filter(pk=version.pk)).get()
    )
    del document["version"]
    return document


@pytest.mark.parametrize("kind", CONTENT)
def test_saving_content_of_a_published_version_is_refused(version, kind):
    rows, field = CONTENT[kind]
    obj = rows(version).order_by("pk").first()
    original = getattr(obj, field)
    setattr(obj, field, "Changed behind everyone's back")

    with pytest.raises(FrameworkLocked) as excinfo:
        content_save(obj=obj)

    assert "Create a new draft" in excinfo.value.messages[0]
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == original


@pytest.mark.parametrize("kind", CONTENT)
def test_deleting_content_of_a_published_version_is_refused(version, kind):
    rows, _ = CONTENT[kind]
    obj = rows(version).order_by("pk").first()
    before = rows(version).count()

    with pytest.raises(FrameworkLocked):
        content_delete(obj=obj)

    assert rows(version).count() == before
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_adding_a_section_to_a_published_version_is_refused(version):
    before = version.sections.count()

    with pytest.raises(FrameworkLocked):
        content_save(obj=Section(version=version, key="extra", title="Extra", order=99))

    assert version.sections.count() == before


def test_content_cannot_be_moved_out_of_a_published_version(version):
    draft = version_new_draft(version=version)
    section = version.sections.order_by("order").first()
    section.version = draft
    section.key = "moved"

    with pytest.raises(FrameworkLocked):
        content_save(obj=section)

    assert Section.objects.get(pk=section.pk).version == version


def test_a_retired_version_is_locked_too(version):
    version_retire(version=version)
    section = version.sections.order_by("order").first()
    section.title = "Rewritten"

    with pytest.raises(FrameworkLocked) as excinfo:
        content_save(obj=section)

    assert "retired" in excinfo.value.messages[0]
    assert Section.objects.get(pk=section.pk).title != "Rewritten"


def test_new_draft_is_a_deep_copy_with_the_next_number(version):
    draft = version_new_draft(version=version)

    assert draft.pk != version.pk
    assert draft.framework == version.framework
    assert draft.number == 2
    assert draft.status == FrameworkVersion.Status.DRAFT
    assert draft.published_at is None
    assert draft.changelog == "Draft based on version 1."
    assert content_of(draft) == content_of(version)
    # A copy, not shared rows.
    assert not set(draft.sections.values_list("pk", flat=True)) & set(
        version.sections.values_list("pk", flat=True)
    )


def test_new_draft_numbers_follow_the_highest_version(version):
    second = version_publish(version=version_new_draft(version=version))

    third = version_new_draft(version=version)

    assert (second.number, third.number) == (2, 3)


def test_editing_the_draft_leaves_the_published_version_unchanged(version):
    published_before = content_of(version)
    draft = version_new_draft(version=version)

    section = draft.sections.order_by("order").first()
    section.title = "The setting, revised"
    content_save(obj=section)
    prompt = Prompt.objects.filter(section__version=draft).order_by("pk").first()
    content_delete(obj=prompt)
    level = draft.scale_levels.get(scale="urgency", value=1)
    level.label = "Long-term"
    content_save(obj=level)
    content_save(obj=Component(version=draft, key="extra", name="Extra", order=5))

    assert content_of(version) == published_before
    draft_content = content_of(draft)
    assert draft_content["sections"][0]["title"]["en"] == "The setting, revised"
    assert draft_content["scales"]["urgency"][0]["label"]["en"] == "Long-term"
    assert len(draft_content["components"]) == 5


def test_content_save_validates_the_row(version):
    draft = version_new_draft(version=version)
    section = draft.sections.order_by("order").first()
    section.key = "Not a slug!"

    with pytest.raises(ValidationError) as excinfo:
        content_save(obj=section)

    assert "key" in excinfo.value.message_dict
    assert Section.objects.get(pk=section.pk).key != "Not a slug!"


def test_publish_refuses_a_draft_missing_a_lens_component(version):
    draft = version_new_draft(version=version)
    content_delete(obj=draft.components.get(key="preventive"))

    with pytest.raises(ValidationError) as excinfo:
        version_publish(version=draft)

    assert excinfo.value.messages == ["The four lens components are required; missing: preventive."]
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.DRAFT
    assert draft.published_at is None


def test_publish_refuses_a_section_without_prompts(version):
    draft = version_new_draft(version=version)
    section = draft.sections.order_by("order").first()
    for prompt in section.prompts.all():
        content_delete(obj=prompt)

    with pytest.raises(ValidationError) as excinfo:
        version_publish(version=draft)

    assert excinfo.value.messages == [f"Section “{section.title}” has no prompt."]
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.DRAFT


def test_publish_refuses_a_scale_with_a_gap(version):
    draft = version_new_draft(version=version)
    content_delete(obj=draft.scale_levels.get(scale="severity", value=2))

    with pytest.raises(ValidationError) as excinfo:
        version_publish(version=draft)

    assert len(excinfo.value.messages) == 1
    assert "The severity scale" in excinfo.value.messages[0]
    assert "without gaps" in excinfo.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.DRAFT


def test_publish_lists_every_problem_of_an_empty_draft():
    draft = FrameworkVersionFactory()

    with pytest.raises(ValidationError) as excinfo:
        version_publish(version=draft)

    messages = excinfo.value.messages
    assert "It has no section." in messages
    assert any("missing: person-centred, context-specific" in m for m in messages)
    assert "At least two dimensions are required." in messages
    for scale in ("likelihood", "severity", "urgency"):
        assert any(f"The {scale} scale" in m for m in messages)
    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.DRAFT


def test_publish_freezes_a_complete_draft(version):
    draft = version_new_draft(version=version)

    published = version_publish(version=draft)

    draft.refresh_from_db()
    assert draft.status == published.status == FrameworkVersion.Status.PUBLISHED
    assert draft.published_at is not None
    section = draft.sections.order_by("order").first()
    section.title = "Too late"
    with pytest.raises(FrameworkLocked):
        content_save(obj=section)


def test_publishing_twice_is_refused(version):
    published_at = version.published_at

    with pytest.raises(ValidationError) as excinfo:
        version_publish(version=version)

    assert excinfo.value.messages == ["Only a draft can be published; this version is published."]
    version.refresh_from_db()
    assert version.published_at == published_at


def test_retire_stops_a_published_version_and_keeps_its_date(version):
    published_at = version.published_at

    retired = version_retire(version=version)

    version.refresh_from_db()
    assert retired.status == version.status == FrameworkVersion.Status.RETIRED
    assert version.published_at == published_at
    assert FrameworkVersion.objects.published().count() == 0


def test_retire_refuses_a_draft_and_a_retired_version(version):
    draft = version_new_draft(version=version)
    version_retire(version=version)

    for target in (draft, version):
        with pytest.raises(ValidationError) as excinfo:
            version_retire(version=target)
        assert excinfo.value.messages == ["Only a published version can be retired."]

    draft.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.DRAFT


def test_a_retired_version_cannot_be_published_again(version):
    version_retire(version=version)

    with pytest.raises(ValidationError):
        version_publish(version=version)

    version.refresh_from_db()
    assert version.status == FrameworkVersion.Status.RETIRED


def test_a_new_draft_can_be_made_from_a_retired_version(version):
    version_retire(version=version)

    draft = version_new_draft(version=version)

    assert draft.status == FrameworkVersion.Status.DRAFT
    assert content_of(draft) == content_of(version)
