"""Framework text in the reader's language: one item's field in the language asked for
(by default the active one, so pages and the brief, rendered under
translation.override(assessment.language), follow it), else in the version's default
language, saying which language it is in so the page can mark the fallback.

The text of the default language is in the items' own fields (title, text, help …),
which everything else reads; the other languages are in each item's `translations`,
{"fr": {"title": "…"}}, so a page that loaded the items has every language already.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

from frameworks.models import Component, Dimension, FrameworkVersion, Prompt, ScaleLevel, Section

# Declared once: the import and export, the studio and the completeness check read it.
TRANSLATABLE: dict[type[models.Model], tuple[str, ...]] = {
    Section: ("title", "guidance"),
    Prompt: ("text", "help"),
    Component: ("name", "description"),
    Dimension: ("name", "description", "examples"),
    ScaleLevel: ("label", "description"),
}
LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)

# The default language of each version by id, for items loaded without their version
# (one query per version, not per item). A version's language is set when it is created
# and never changed, so an entry never goes stale; it is emptied at each request anyway,
# so that a page's query count does not depend on the pages served before it.
_version_languages: dict[int, str] = {}
_section_languages: dict[int, str] = {}


def forget_versions(**kwargs) -> None:
    _version_languages.clear()
    _section_languages.clear()


def language_code(language: str | None = None) -> str:
    """One of settings.LANGUAGES: the given or active language ("fr-ca" is "fr")."""
    code = (language or get_language() or settings.LANGUAGE_CODE).lower().replace("_", "-")
    if code in LANGUAGE_CODES:
        return code
    base = code.split("-")[0]
    return base if base in LANGUAGE_CODES else settings.LANGUAGE_CODE


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def _cached(obj: models.Model, name: str):
    field = obj._meta.get_field(name)
    return getattr(obj, name) if field.is_cached(obj) else None


def default_language(obj: models.Model) -> str:
    """The language of the item's own fields: its version's, from the rows in hand."""
    if isinstance(obj, FrameworkVersion):
        return obj.language
    if isinstance(obj, Prompt):
        section = _cached(obj, "section")
        version = _cached(section, "version") if section is not None else None
        version_id = section.version_id if section is not None else None
    else:
        version = _cached(obj, "version")
        version_id = obj.version_id
    if version is not None:
        _version_languages[version.pk] = version.language
        return version.language
    if version_id is None:
        # A prompt loaded without its section: one query learns the language of every
        # section of that version, so a page of prompts from many sections costs one.
        if obj.section_id not in _section_languages:
            _section_languages.update(
                Section.objects.filter(version__sections=obj.section_id).values_list(
                    "pk", "version__language"
                )
            )
        return _section_languages.get(obj.section_id, settings.LANGUAGE_CODE)
    if version_id not in _version_languages:
        language = (
            FrameworkVersion.objects.filter(pk=version_id)
            .order_by()
            .values_list("language", flat=True)
            .first()
        )
        _version_languages[version_id] = language or settings.LANGUAGE_CODE
    return _version_languages[version_id]


def text(obj: models.Model, field: str, language: str | None = None) -> tuple[str, str]:
    """The field in `language` (default: the active one) and the language it is in:
    the translation when there is one, else the default language's text."""
    wanted = language_code(language)
    translated = (obj.translations or {}).get(wanted, {}).get(field)
    if isinstance(translated, str) and translated.strip():
        return translated, wanted
    return getattr(obj, field), default_language(obj)


def example_list(dimension: Dimension, language: str | None = None) -> tuple[list[str], str]:
    """A dimension's example threats (one a line) in the language, as text() finds it."""
    value, used = text(dimension, "examples", language)
    return [line.strip() for line in value.splitlines() if line.strip()], used


def translated_count(items, language: str) -> tuple[int, int]:
    """How many texts of these items (each non-empty field) have a translation into
    `language`, out of how many: the studio's "French: 112 of 120"."""
    done = total = 0
    for obj in items:
        have = (obj.translations or {}).get(language, {})
        for field in TRANSLATABLE[type(obj)]:
            if str(getattr(obj, field)).strip():
                total += 1
                done += bool(str(have.get(field, "")).strip())
    return done, total


def version_items(version: FrameworkVersion) -> list[models.Model]:
    """Every translatable item of a version, from its prefetched content."""
    items: list[models.Model] = []
    for section in version.sections.all():
        items.append(section)
        items.extend(section.prompts.all())
    items.extend(version.components.all())
    items.extend(version.dimensions.all())
    items.extend(version.scale_levels.all())
    return items


def translation_progress(version: FrameworkVersion) -> list[dict]:
    """For each language but the version's own: how many of its texts are translated."""
    items = version_items(version)
    rows = []
    for code in LANGUAGE_CODES:
        if code != version.language:
            done, total = translated_count(items, code)
            rows.append({"code": code, "name": language_name(code), "done": done, "total": total})
    return rows
