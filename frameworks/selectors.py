"""Reads of frameworks and their versions."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from frameworks.documents import FORMAT_ID, SCALES
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


def version_document(version: FrameworkVersion) -> dict[str, Any]:
    """The version as a plain document in the YAML format (canonical field order)."""
    framework = version.framework
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
                "title": section.title,
                "guidance": section.guidance,
                "prompts": [
                    {
                        "key": prompt.key,
                        "text": prompt.text,
                        "help": prompt.help,
                        "required": prompt.required,
                    }
                    for prompt in section.prompts.all()
                ],
            }
            for section in version.sections.all()
        ],
        "components": [
            {"key": c.key, "name": c.name, "description": c.description}
            for c in version.components.all()
        ],
        "dimensions": [
            {
                "key": d.key,
                "name": d.name,
                "description": d.description,
                "examples": d.example_list,
            }
            for d in version.dimensions.all()
        ],
        "scales": {
            name: [
                {"value": level.value, "label": level.label, "description": level.description}
                for level in levels
            ]
            for name, levels in scales_of(version).items()
        },
    }


def normalise_document(document: dict[str, Any]) -> dict[str, Any]:
    """Fill optional fields with their defaults so two documents compare by content."""
    fw = document["framework"]
    ver = document["version"]
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
            "language": ver.get("language", "en"),
            "changelog": ver.get("changelog", ""),
        },
        "sections": [
            {
                "key": s["key"],
                "title": s["title"],
                "guidance": s.get("guidance", ""),
                "prompts": [
                    {
                        "key": p["key"],
                        "text": p["text"],
                        "help": p.get("help", ""),
                        "required": p.get("required", False),
                    }
                    for p in s["prompts"]
                ],
            }
            for s in document["sections"]
        ],
        "components": [
            {"key": c["key"], "name": c["name"], "description": c.get("description", "")}
            for c in document["components"]
        ],
        "dimensions": [
            {
                "key": d["key"],
                "name": d["name"],
                "description": d.get("description", ""),
                "examples": [e.strip() for e in d.get("examples", []) if e.strip()],
            }
            for d in document["dimensions"]
        ],
        "scales": {
            name: [
                {
                    "value": level["value"],
                    "label": level["label"],
                    "description": level.get("description", ""),
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
