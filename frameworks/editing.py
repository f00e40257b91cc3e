"""Writes of the studio: add, change, reorder and remove one item of a draft.

Each write goes through services.content_save / content_delete (which refuse anything but
a draft), then the whole version is built as a document and checked with the rules of the
YAML import (documents.problems_of). A problem with a field of the item just written
undoes the write and is reported on that field; problems elsewhere (a section left without
prompts, a scale with one level) are the draft's to-do list, shown on the page and checked
again when it is published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from frameworks import services
from frameworks.documents import problems_of
from frameworks.i18n import LANGUAGE_CODES, TRANSLATABLE
from frameworks.limits import count_problems
from frameworks.models import (
    Component,
    Dimension,
    FrameworkVersion,
    Prompt,
    ScaleLevel,
    Section,
)
from frameworks.selectors import version_document, version_with_content


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    fields: tuple[str, ...]  # what the studio edits; the key is never one of them
    label_field: str  # the field a new key is made from


# Declared once: the forms, the services and the page read this table.
KINDS: dict[str, Kind] = {
    "section": Kind(Section, ("title", "guidance"), "title"),
    "prompt": Kind(Prompt, ("text", "help", "required"), "text"),
    "component": Kind(Component, ("name", "description"), "name"),
    "dimension": Kind(Dimension, ("name", "description", "examples"), "name"),
    "level": Kind(ScaleLevel, ("label", "description"), "label"),
}
TEMP_VALUE = 32000  # a free scale value while two levels swap (values are unique)


def item_of(version: FrameworkVersion, kind: str, pk: int) -> models.Model:
    """The item of this version, or DoesNotExist: a pk from another version is not found."""
    model = KINDS[kind].model
    if kind == "prompt":
        return model.objects.select_related("section").get(pk=pk, section__version=version)
    return model.objects.get(pk=pk, version=version)


def make_key(text: str, taken: set[str], fallback: str) -> str:
    """A key from a title: its first words, lowercase, unique among `taken`."""
    words = slugify(text).split("-")[:6]
    base = re.sub(r"[-_]+", "-", "-".join(words)).strip("-")[:48] or fallback
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _siblings(obj: models.Model) -> models.QuerySet:
    if isinstance(obj, Prompt):
        return Prompt.objects.filter(section=obj.section).order_by("order", "id")
    if isinstance(obj, ScaleLevel):
        return ScaleLevel.objects.filter(version=obj.version, scale=obj.scale).order_by("value")
    return type(obj).objects.filter(version=obj.version).order_by("order", "id")


def _path(version: FrameworkVersion, obj: models.Model) -> str:
    """The item's place in the version's document, as the validation names it."""
    if isinstance(obj, Prompt):
        sections = list(version.sections.order_by("order", "id").values_list("pk", flat=True))
        prompts = list(_siblings(obj).values_list("pk", flat=True))
        return f"$.sections[{sections.index(obj.section_id)}].prompts[{prompts.index(obj.pk)}]"
    if isinstance(obj, ScaleLevel):
        return f"$.scales.{obj.scale}[{obj.value - 1}]"
    name = {Section: "sections", Component: "components", Dimension: "dimensions"}[type(obj)]
    index = list(_siblings(obj).values_list("pk", flat=True)).index(obj.pk)
    return f"$.{name}[{index}]"


def _document(version: FrameworkVersion) -> dict:
    loaded = version_with_content(FrameworkVersion.objects.filter(pk=version.pk)).get()
    return version_document(loaded)


def draft_problems(version: FrameworkVersion) -> list[str]:
    """The import's rules applied to the draft as it stands."""
    return problems_of(_document(version))


def _validate(version: FrameworkVersion, obj: models.Model, fields: tuple[str, ...]) -> None:
    path = _path(version, obj)
    errors: dict[str, list[str]] = {}
    for problem in draft_problems(version):
        for field in fields:
            prefix = f"{path}.{field}"
            # A translation's problem is named by its language: "$.sections[0].title.fr".
            if problem.startswith((prefix + ":", prefix + "[", prefix + " ", prefix + ".")):
                errors.setdefault(field, []).append(problem.split(": ", 1)[-1])
    if errors:
        raise ValidationError(errors)


def _assign(obj: models.Model, kind: str, data: dict[str, Any]) -> None:
    for field in KINDS[kind].fields:
        if field not in data:
            continue
        value = data[field]
        if field == "examples" and isinstance(value, list):
            value = "\n".join(value)
        setattr(obj, field, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def studio_save(*, version: FrameworkVersion, kind: str, pk: int, data: dict) -> models.Model:
    """Change the fields of one item of a draft (its key stays)."""
    services.version_assert_editable(version)
    obj = item_of(version, kind, pk)
    _assign(obj, kind, data)
    services.content_save(obj=obj)
    _validate(version, obj, KINDS[kind].fields)
    return obj


@transaction.atomic
def studio_add(
    *,
    version: FrameworkVersion,
    kind: str,
    data: dict,
    section: Section | None = None,
    scale: str = "",
) -> models.Model:
    """Add an item at the end of its list, with a key made from its title."""
    services.version_assert_editable(version)
    spec = KINDS[kind]
    label = str(data.get(spec.label_field, "")).strip()
    if kind == "prompt":
        if section is None or section.version_id != version.pk:
            raise ValidationError(_("Choose a section of this draft."))
        taken = set(Prompt.objects.filter(section__version=version).values_list("key", flat=True))
        obj = Prompt(section=section, order=_siblings(Prompt(section=section)).count() + 1)
    elif kind == "level":
        if scale not in ScaleLevel.Scale.values:
            raise ValidationError(_("Choose a scale."))
        value = version.scale_levels.filter(scale=scale).count() + 1
        obj = ScaleLevel(version=version, scale=scale, value=value)
        taken = set()
    else:
        taken = set(spec.model.objects.filter(version=version).values_list("key", flat=True))
        order = spec.model.objects.filter(version=version).count() + 1
        obj = spec.model(version=version, order=order)
    if kind != "level":
        if not label:
            raise ValidationError({spec.label_field: _("This field cannot be blank.")})
        obj.key = make_key(label, taken, kind)
    _assign(obj, kind, data)
    services.content_save(obj=obj)
    # A list grown past its limit is refused outright (the write is rolled back), not
    # left on the draft's to-do list: the same rule as the import, with the same words.
    over = count_problems(_document(version))
    if over:
        raise ValidationError(over)
    _validate(version, obj, spec.fields)
    return obj


@transaction.atomic
def studio_move(*, version: FrameworkVersion, kind: str, pk: int, step: int) -> None:
    """Move one item up (step -1) or down (+1) among its siblings."""
    services.version_assert_editable(version)
    obj = item_of(version, kind, pk)
    items = list(_siblings(obj))
    index = [item.pk for item in items].index(obj.pk)
    other = index + step
    if step not in (-1, 1) or not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    if kind == "level":
        a, b = items[index], items[other]
        a_value, b_value = b.value, a.value  # they swapped places in the list
        b.value = TEMP_VALUE
        services.content_save(obj=b)
        a.value = a_value
        services.content_save(obj=a)
        b.value = b_value
        services.content_save(obj=b)
        return
    for order, item in enumerate(items, start=1):
        if item.order != order:
            item.order = order
            services.content_save(obj=item)


@transaction.atomic
def studio_remove(*, version: FrameworkVersion, kind: str, pk: int) -> None:
    """Remove one item of a draft (with a section, its prompts)."""
    services.version_assert_editable(version)
    obj = item_of(version, kind, pk)
    siblings = _siblings(obj).exclude(pk=obj.pk)
    services.content_delete(obj=obj)
    if kind == "level":
        # Values run 1, 2, 3 … without gaps: close the one just opened.
        for value, level in enumerate(siblings, start=1):
            if level.value != value:
                level.value = value
                services.content_save(obj=level)


def translatable_fields(kind: str) -> tuple[str, ...]:
    """The fields of a kind that are written per language (all but `required`)."""
    return tuple(f for f in KINDS[kind].fields if f in TRANSLATABLE[KINDS[kind].model])


@transaction.atomic
def studio_translate(
    *, version: FrameworkVersion, kind: str, pk: int, language: str, data: dict
) -> models.Model:
    """Set one item's text in one of the version's other languages (an empty field
    removes that translation, and the pages fall back to the default language)."""
    services.version_assert_editable(version)
    if language not in LANGUAGE_CODES or language == version.language:
        raise ValidationError(
            _("Choose a language other than the version's own: %(codes)s.")
            % {"codes": ", ".join(c for c in LANGUAGE_CODES if c != version.language)}
        )
    obj = item_of(version, kind, pk)
    fields = translatable_fields(kind)
    translations = {code: dict(texts) for code, texts in (obj.translations or {}).items()}
    texts = translations.setdefault(language, {})
    for field in fields:
        if field not in data:
            continue
        value = str(data[field]).strip()
        if field == "examples":
            value = "\n".join(line.strip() for line in value.splitlines() if line.strip())
        if value:
            texts[field] = value
        else:
            texts.pop(field, None)
    if not texts:
        del translations[language]
    obj.translations = translations
    services.content_save(obj=obj)
    _validate(version, obj, fields)
    return obj
