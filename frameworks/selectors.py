"""Reads of frameworks and their versions."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from frameworks.documents import FORMAT_ID, SCALES
from frameworks.field_checks import DEFAULT_LANGUAGE, LANGUAGES
from frameworks.models import Framework, FrameworkVersion, Prompt, ScaleLevel, Section


def _content_prefetches() -> list:
    return [
        Prefetch("sections", queryset=Section.objects.order_by("order", "id")),
        Prefetch("sections__prompts", queryset=Prompt.objects.order_by("order", "id")),
        "components",
        "dimensions",
        Prefetch("scale_levels", queryset=ScaleLevel.objects.order_by("scale", "value")),
    ]


def version_with_content(queryset: QuerySet | None = None) -> QuerySet:
    """Versions with everything the browser, the export and assessments need, in fixed queries."""
    queryset = queryset if queryset is not None else FrameworkVersion.objects.all()
    return queryset.select_related("framework").prefetch_related(*_content_prefetches())


def load_content(version: FrameworkVersion) -> FrameworkVersion:
    """Prefetch the content of a version already in hand (saves fetching it again)."""
    prefetch_related_objects([version], *_content_prefetches())
    return version


def frameworks_for_browser() -> QuerySet:
    """Frameworks that have something to show to people who are not admins."""
    return (
        Framework.objects.filter(
            versions__status__in=[
                FrameworkVersion.Status.PUBLISHED,
                FrameworkVersion.Status.RETIRED,
            ]
        )
        .distinct()
        .prefetch_related("versions")
    )


def browsable_versions() -> QuerySet:
    """Versions anyone signed in may read: drafts stay with the admins until published."""
    return FrameworkVersion.objects.exclude(status=FrameworkVersion.Status.DRAFT)


def latest_published_version(framework: Framework) -> FrameworkVersion | None:
    return framework.versions.published().order_by("-number").first()


def scales_of(version: FrameworkVersion) -> dict[str, list[ScaleLevel]]:
    """Scale levels grouped by scale, using the prefetched rows when present."""
    grouped: dict[str, list[ScaleLevel]] = {name: [] for name in SCALES}
    for level in version.scale_levels.all():
        grouped.setdefault(level.scale, []).append(level)
    for levels in grouped.values():
        levels.sort(key=lambda level: level.value)
    return grouped


def _in_languages(obj, field: str, default: str, with_translations: bool):
    """A field as the document holds it: the default language's text, or, when the item
    has translations of it, {default: text, fr: text …} in the order of LANGUAGES."""
    value = obj.example_list if field == "examples" else getattr(obj, field)
    if not with_translations:
        return value
    others = {}
    for code in LANGUAGES:
        text = (obj.translations or {}).get(code, {}).get(field, "")
        if code != default and isinstance(text, str) and text.strip():
            others[code] = _lines(text) if field == "examples" else text
    return {default: value, **others} if others else value


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def version_document(version: FrameworkVersion, *, translations: bool = True) -> dict[str, Any]:
    """The version as a plain document in the YAML format (canonical field order);
    without `translations`, the default language's text only (what compare shows)."""
    framework = version.framework
    lang = version.language

    def tr(obj, field: str):
        return _in_languages(obj, field, lang, translations)

    return {
        "format": FORMAT_ID,
        "framework": {
            "slug": framework.slug,
            "name": framework.name,
            "description": framework.description,
            "citation": framework.citation,
        },
        "version": {
            "number": version.number,
            "language": version.language,
            "changelog": version.changelog,
        },
        "sections": [
            {
                "key": section.key,
                "title": tr(section, "title"),
                "guidance": tr(section, "guidance"),
                "prompts": [
                    {
                        "key": prompt.key,
                        "text": tr(prompt, "text"),
                        "help": tr(prompt, "help"),
                        "required": prompt.required,
                    }
                    for prompt in section.prompts.all()
                ],
            }
            for section in version.sections.all()
        ],
        "components": [
            {"key": c.key, "name": tr(c, "name"), "description": tr(c, "description")}
            for c in version.components.all()
        ],
        "dimensions": [
            {
                "key": d.key,
                "name": tr(d, "name"),
                "description": tr(d, "description"),
                "examples": tr(d, "examples"),
            }
            for d in version.dimensions.all()
        ],
        "scales": {
            name: [
                {
                    "value": level.value,
                    "label": tr(level, "label"),
                    "description": tr(level, "description"),
                }
                for level in levels
            ]
            for name, levels in scales_of(version).items()
        },
    }


def split_languages(value, default: str) -> tuple[Any, dict[str, Any]]:
    """A normalised field as (the default language's value, {other language: value})."""
    if isinstance(value, dict):
        return value[default], {k: v for k, v in value.items() if k != default}
    return value, {}


def _norm(value, default: str, empty: Any = "") -> Any:
    """A field in its canonical form: plain when only the default language has text,
    else {default: …, other languages with text, in the order of LANGUAGES}."""
    is_list = isinstance(empty, list)

    def clean(text):
        return [e.strip() for e in text if e.strip()] if is_list else text

    if not isinstance(value, dict):
        return clean(value if value is not None else empty)
    base = clean(value.get(default, empty))
    others = {}
    for code in LANGUAGES:
        text = value.get(code)
        if code != default and text is not None:
            text = clean(text)
            if text if is_list else text.strip():
                others[code] = text
    return {default: base, **others} if others else base


def normalise_document(document: dict[str, Any]) -> dict[str, Any]:
    """Fill optional fields with their defaults so two documents compare by content."""
    fw = document["framework"]
    ver = document["version"]
    lang = ver.get("language", DEFAULT_LANGUAGE)

    def n(item: dict, field: str, empty: Any = "") -> Any:
        return _norm(item.get(field, empty), lang, empty)

    return {
        "format": FORMAT_ID,
        "framework": {
            "slug": fw["slug"],
            "name": fw["name"],
            "description": fw.get("description", ""),
            "citation": fw.get("citation", ""),
        },
        "version": {
            "number": ver["number"],
            "language": lang,
            "changelog": ver.get("changelog", ""),
        },
        "sections": [
            {
                "key": s["key"],
                "title": n(s, "title"),
                "guidance": n(s, "guidance"),
                "prompts": [
                    {
                        "key": p["key"],
                        "text": n(p, "text"),
                        "help": n(p, "help"),
                        "required": p.get("required", False),
                    }
                    for p in s["prompts"]
                ],
            }
            for s in document["sections"]
        ],
        "components": [
            {"key": c["key"], "name": n(c, "name"), "description": n(c, "description")}
            for c in document["components"]
        ],
        "dimensions": [
            {
                "key": d["key"],
                "name": n(d, "name"),
                "description": n(d, "description"),
                "examples": n(d, "examples", []),
            }
            for d in document["dimensions"]
        ],
        "scales": {
            name: [
                {
                    "value": level["value"],
                    "label": n(level, "label"),
                    "description": n(level, "description"),
                }
                for level in sorted(document["scales"][name], key=lambda lv: lv["value"])
            ]
            for name in SCALES
        },
    }


def framework_versions(framework: Framework, *, drafts: bool) -> QuerySet:
    """A framework's versions, newest first, with how many assessments use each."""
    from django.db.models import Count

    versions = framework.versions.select_related("created_by").annotate(
        assessment_count=Count("assessments")
    )
    if not drafts:
        versions = versions.exclude(status=FrameworkVersion.Status.DRAFT)
    return versions.order_by("-number")


def versions_for(user) -> QuerySet:
    """What this person may read: framework admins see drafts too."""
    from frameworks.permissions import can_edit_frameworks

    if can_edit_frameworks(user):
        return FrameworkVersion.objects.all()
    return browsable_versions()


def frameworks_for(user) -> QuerySet:
    from frameworks.permissions import can_edit_frameworks

    if can_edit_frameworks(user):
        return Framework.objects.prefetch_related("versions")
    return frameworks_for_browser()
