"""Writes to frameworks. A published (or retired) version never changes: every write
that touches a version's content passes through version_assert_editable first."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frameworks.documents import SCALES, problems_of
from frameworks.field_checks import LANGUAGES as LANGUAGE_CODES
from frameworks.models import (
    Component,
    Dimension,
    Framework,
    FrameworkVersion,
    Prompt,
    ScaleLevel,
    Section,
)
from frameworks.selectors import (
    normalise_document,
    split_languages,
    version_document,
    version_with_content,
)

LENS_COMPONENTS = ("person-centred", "context-specific", "multi-dimensional", "preventive")


class FrameworkLocked(ValidationError):
    """An edit aimed at a version that is no longer a draft."""


def version_assert_editable(version: FrameworkVersion) -> None:
    # Read the status from the database: the instance in hand may be stale.
    status = FrameworkVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if status is not None and status != FrameworkVersion.Status.DRAFT:
        raise FrameworkLocked(
            _(
                "%(version)s is %(status)s and cannot be changed. "
                "Create a new draft from it and edit that instead."
            )
            % {"version": f"{version.framework.name} v{version.number}", "status": status}
        )


def version_of(obj: models.Model) -> FrameworkVersion:
    if isinstance(obj, FrameworkVersion):
        return obj
    if isinstance(obj, Prompt):
        return obj.section.version
    return obj.version


@transaction.atomic
def content_save(*, obj: models.Model) -> models.Model:
    """Save a section, prompt, component, dimension or scale level of a draft version."""
    version = version_of(obj)
    version_assert_editable(version)
    if obj.pk and not isinstance(obj, FrameworkVersion):
        # The object may be moved from a locked version: check the stored one too.
        stored = type(obj).objects.filter(pk=obj.pk).first()
        if stored is not None:
            version_assert_editable(version_of(stored))
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def content_delete(*, obj: models.Model) -> None:
    version_assert_editable(version_of(obj))
    obj.delete()


def publish_problems(version: FrameworkVersion) -> list[str]:
    """What stops a version from being published (empty when it may be): the rules below,
    told in words; when they all hold, the rules of the file format (the same as an import,
    by field path), so a published version always exports as a valid file."""
    problems = []
    sections = list(version.sections.prefetch_related("prompts"))
    if not sections:
        problems.append(_("It has no section."))
    for section in sections:
        if not section.prompts.all():
            problems.append(_("Section “%(title)s” has no prompt.") % {"title": section.title})
    keys = set(version.components.values_list("key", flat=True))
    missing = [key for key in LENS_COMPONENTS if key not in keys]
    if missing:
        problems.append(
            _("The four lens components are required; missing: %(keys)s.")
            % {"keys": ", ".join(missing)}
        )
    if version.dimensions.count() < 2:
        problems.append(_("At least two dimensions are required."))
    for scale in SCALES:
        values = sorted(version.scale_levels.filter(scale=scale).values_list("value", flat=True))
        if len(values) < 2 or values != list(range(1, len(values) + 1)):
            problems.append(
                _(
                    "The %(scale)s scale must have at least two levels numbered 1, 2, 3 … "
                    "without gaps."
                )
                % {"scale": scale}
            )
    if problems:
        return problems
    loaded = version_with_content(FrameworkVersion.objects.filter(pk=version.pk)).get()
    return problems_of(version_document(loaded))


@transaction.atomic
def version_publish(
    *,
    version: FrameworkVersion,
    changelog: str | None = None,
    retire_older: bool = False,
) -> FrameworkVersion:
    """Freeze a draft: from now on new assessments are answered with it (the newest
    published version is the one they get). `changelog`, when given, replaces the draft's
    note; `retire_older` retires the published versions before it (assessments that use
    them keep them)."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FrameworkVersion.Status.DRAFT:
        raise ValidationError(
            _("Only a draft can be published; this version is %(s)s.") % {"s": version.status}
        )
    if changelog is not None:
        if not changelog.strip():
            raise ValidationError({"changelog": _("Say what changed in this version.")})
        version.changelog = changelog.strip()
    problems = publish_problems(version)
    if problems:
        raise ValidationError(problems)
    version.status = FrameworkVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.full_clean()
    version.save(update_fields=["status", "published_at", "changelog"])
    if retire_older:
        older = FrameworkVersion.objects.published().filter(
            framework_id=version.framework_id, number__lt=version.number
        )
        older.update(status=FrameworkVersion.Status.RETIRED)
    return version


@transaction.atomic
def version_retire(*, version: FrameworkVersion) -> FrameworkVersion:
    """Stop offering a published version for new assessments; old ones keep using it."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FrameworkVersion.Status.PUBLISHED:
        raise ValidationError(_("Only a published version can be retired."))
    version.status = FrameworkVersion.Status.RETIRED
    version.save(update_fields=["status"])
    return version


def _next_number(framework: Framework) -> int:
    last = framework.versions.aggregate(n=models.Max("number"))["n"] or 0
    return last + 1


def _assert_no_other_draft(framework: Framework, number: int | None = None) -> None:
    draft = framework.versions.filter(status=FrameworkVersion.Status.DRAFT)
    if number is not None:
        draft = draft.exclude(number=number)
    draft = draft.first()
    if draft is not None:
        raise ValidationError(
            _("%(fw)s already has a draft, v%(n)d: publish or discard it before starting another.")
            % {"fw": framework.name, "n": draft.number}
        )


@transaction.atomic
def version_new_draft(*, version: FrameworkVersion, by=None) -> FrameworkVersion:
    """A deep copy of a version as the framework's next draft (one open draft at a time)."""
    source = version_with_content(FrameworkVersion.objects.filter(pk=version.pk)).get()
    framework = Framework.objects.select_for_update().get(pk=source.framework_id)
    _assert_no_other_draft(framework)
    document = version_document(source)
    document["version"]["number"] = _next_number(framework)
    document["version"]["changelog"] = _("Draft based on version %(n)d.") % {"n": source.number}
    return _create_version(framework, normalise_document(document), by=by)


@transaction.atomic
def version_discard(*, version: FrameworkVersion) -> None:
    """Throw a draft away (nothing can use a draft, so nothing is lost but the draft)."""
    version_assert_editable(version)
    version.delete()


def _create_version(framework: Framework, doc: dict[str, Any], by=None) -> FrameworkVersion:
    version = FrameworkVersion(
        framework=framework,
        number=doc["version"]["number"],
        language=doc["version"]["language"],
        changelog=doc["version"]["changelog"],
        status=FrameworkVersion.Status.DRAFT,
        created_by=by,
    )
    version.full_clean()
    version.save()
    _fill_version(version, doc)
    return version


def _fields(item: dict[str, Any], names: tuple[str, ...], default: str) -> dict[str, Any]:
    """The item's fields in the default language, and `translations` with the others:
    {"fr": {"title": "…"}}; a list (examples) is stored as lines, as the field is."""
    values: dict[str, Any] = {}
    translations: dict[str, dict[str, str]] = {}
    for name in names:
        base, others = split_languages(item[name], default)
        values[name] = "\n".join(base) if isinstance(base, list) else base
        for code, text in others.items():
            translations.setdefault(code, {})[name] = (
                "\n".join(text) if isinstance(text, list) else text
            )
    return {**values, "translations": translations}


def _fill_version(version: FrameworkVersion, doc: dict[str, Any]) -> None:
    lang = version.language
    for s_order, s in enumerate(doc["sections"], start=1):
        section = Section.objects.create(
            version=version, key=s["key"], order=s_order, **_fields(s, ("title", "guidance"), lang)
        )
        Prompt.objects.bulk_create(
            Prompt(
                section=section,
                key=p["key"],
                required=p["required"],
                order=p_order,
                **_fields(p, ("text", "help"), lang),
            )
            for p_order, p in enumerate(s["prompts"], start=1)
        )
    Component.objects.bulk_create(
        Component(
            version=version, key=c["key"], order=order, **_fields(c, ("name", "description"), lang)
        )
        for order, c in enumerate(doc["components"], start=1)
    )
    Dimension.objects.bulk_create(
        Dimension(
            version=version,
            key=d["key"],
            order=order,
            **_fields(d, ("name", "description", "examples"), lang),
        )
        for order, d in enumerate(doc["dimensions"], start=1)
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(
            version=version,
            scale=scale,
            value=lv["value"],
            **_fields(lv, ("label", "description"), lang),
        )
        for scale in SCALES
        for lv in doc["scales"][scale]
    )


def _only_adds_translations(new: Any, old: Any, language: str) -> bool:
    """Whether the normalised document `new` is `old` plus translations: the same
    structure and default-language text, every translation of `old` unchanged."""
    if isinstance(new, dict) and not isinstance(old, dict):
        # A text given in one language before, several now.
        return language in new and new[language] == old
    if isinstance(new, dict):
        if any(k not in new for k in old):
            return False
        extra = [k for k in new if k not in old]
        if extra and not all(k in LANGUAGE_CODES for k in extra):
            return False
        return all(_only_adds_translations(new[k], old[k], language) for k in old)
    if isinstance(new, list) and isinstance(old, list):
        return len(new) == len(old) and all(
            _only_adds_translations(a, b, language) for a, b in zip(new, old, strict=True)
        )
    return new == old


def _add_translations(version: FrameworkVersion, doc: dict[str, Any]) -> None:
    """Give a published version the translations a document adds.

    Why a published version may take them: its items, keys and default-language text stay
    exactly as the assessments answered them, and no text a reader was shown in a language
    changes; only texts that were shown in the default language, marked as not yet
    translated, now have their translation. (This is how an installation whose default
    framework predates the translations gets them from `seed_demo`/`import_framework`.)
    Changing or removing a translation still needs a new draft."""
    lang = version.language
    by_key: dict[tuple, dict[str, Any]] = {}
    for s in doc["sections"]:
        by_key[("section", s["key"])] = _fields(s, ("title", "guidance"), lang)
        for p in s["prompts"]:
            by_key[("prompt", p["key"])] = _fields(p, ("text", "help"), lang)
    for c in doc["components"]:
        by_key[("component", c["key"])] = _fields(c, ("name", "description"), lang)
    for d in doc["dimensions"]:
        by_key[("dimension", d["key"])] = _fields(d, ("name", "description", "examples"), lang)
    for scale in SCALES:
        for lv in doc["scales"][scale]:
            by_key[(scale, lv["value"])] = _fields(lv, ("label", "description"), lang)
    changed: dict[type, list] = {}
    for section in version.sections.all():
        items = [(("section", section.key), section)]
        items += [(("prompt", p.key), p) for p in section.prompts.all()]
        for key, obj in items:
            changed.setdefault(type(obj), []).append((obj, by_key[key]["translations"]))
    for c in version.components.all():
        changed.setdefault(Component, []).append((c, by_key[("component", c.key)]["translations"]))
    for d in version.dimensions.all():
        changed.setdefault(Dimension, []).append((d, by_key[("dimension", d.key)]["translations"]))
    for lv in version.scale_levels.all():
        changed.setdefault(ScaleLevel, []).append(
            (lv, by_key[(lv.scale, lv.value)]["translations"])
        )
    for model, pairs in changed.items():
        update = []
        for obj, translations in pairs:
            if translations != obj.translations:
                obj.translations = translations
                update.append(obj)
        model.objects.bulk_update(update, ["translations"])


@transaction.atomic
def framework_import(
    *, document: dict[str, Any], publish: bool = False, by=None
) -> tuple[FrameworkVersion, str]:
    """Load a validated document. Returns the version and what happened:
    "created", "replaced" (an existing draft), "unchanged" (identical published version)
    or "translated" (a published version given translations it did not have).

    A published or retired version with the same number is never altered: an identical
    document is accepted as a no-op, a different one is refused. The one exception: a
    document that differs only by translations the version lacks fills them in (see
    _add_translations).
    """
    doc = normalise_document(document)
    fw_data = doc["framework"]
    framework, created = Framework.objects.select_for_update().get_or_create(
        slug=fw_data["slug"],
        defaults={k: fw_data[k] for k in ("name", "description", "citation")},
    )
    if created:
        framework.full_clean()
    existing = framework.versions.filter(number=doc["version"]["number"]).first()
    if existing is not None and existing.status != FrameworkVersion.Status.DRAFT:
        loaded = version_with_content(FrameworkVersion.objects.filter(pk=existing.pk)).get()
        current = normalise_document(version_document(loaded))
        if current != doc and _only_adds_translations(doc, current, doc["version"]["language"]):
            _add_translations(loaded, doc)
            return existing, "translated"
        if current != doc:
            raise FrameworkLocked(
                _(
                    "Version %(n)d of “%(fw)s” is already %(status)s with different content; "
                    "published versions never change. Give the file a new version number."
                )
                % {"n": existing.number, "fw": framework.name, "status": existing.status}
            )
        return existing, "unchanged"
    if not created:
        # Framework metadata is not versioned; a draft import may refresh it.
        for field in ("name", "description", "citation"):
            setattr(framework, field, fw_data[field])
        framework.full_clean()
        framework.save()
    _assert_no_other_draft(framework, number=doc["version"]["number"])
    outcome = "created"
    if existing is not None:
        existing.delete()
        outcome = "replaced"
    version = _create_version(framework, doc, by=by)
    if publish:
        version = version_publish(version=version)
    return version, outcome
