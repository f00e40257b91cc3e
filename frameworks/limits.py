"""The size limits of a framework version, checked by the validation the YAML import and
the studio share (documents.py), so neither can build a version the assessments could
not use. Each is far above what a framework needs (the Human Security Lens has 4
components, 5-level scales and about 30 prompts) and low enough that an assessment's
forms and brief stay small. docs/limits.md lists them with the assessment's own."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

LEVELS = 10  # per scale: each level is a choice on every threat form and a brief column
PROMPTS = 100  # per version: every prompt is an answer on the assessment's pages and brief
SECTIONS = 20  # per version: each section is a page of the assessment
COMPONENTS = 12  # per version: each is a tag with a rationale on every threat form
DIMENSIONS = 30  # per version: a choice on every threat form, a heading in the brief
EXAMPLES = 20  # example threats per dimension
TEXT = 20_000  # characters of a description, guidance, prompt or help: as an answer's

# A file: deeper than this is not a framework (which nests 5 levels).
YAML_DEPTH = 20
# A file at every cap holds fewer than 3,000 values (mappings, lists and scalars), and
# fewer than 8,000 with every text in all four languages (the default file: 1,659).
YAML_VALUES = 10_000
# The widest integer is a version number (32-bit): 9 digits always fit.
NUMBER_DIGITS = 9

SCALE_LEVELS = _("a scale has at most %(n)d levels")
VERSION_PROMPTS = _("a version holds at most %(n)d prompts")
# Each list of the format by its key: its cap, and the words naming it.
LISTS: dict[str, tuple[int, Any]] = {
    "sections": (SECTIONS, _("a version holds at most %(n)d sections")),
    "prompts": (PROMPTS, VERSION_PROMPTS),
    "components": (COMPONENTS, _("a version holds at most %(n)d components")),
    "dimensions": (DIMENSIONS, _("a version holds at most %(n)d dimensions")),
    "examples": (EXAMPLES, _("a dimension lists at most %(n)d examples")),
    **dict.fromkeys(("likelihood", "severity", "urgency"), (LEVELS, SCALE_LEVELS)),
}


def _where(container: Any, key: Any, path: str) -> str:
    line = container.line_of(key) if hasattr(container, "line_of") else 0
    return f"{path} (line {line})" if line else path


def _over(
    container: Any, key: str, path: str, count: int | None = None, at: str | None = None
) -> list[str]:
    cap, message = LISTS[key]
    items = container.get(key) if isinstance(container, dict) else None
    if count is None:
        count = len(items) if isinstance(items, list) else 0
    if count <= cap:
        return []
    return [
        _("%(where)s: %(limit)s (found %(count)s)")
        % {
            "where": _where(container, at or key, path),
            "limit": message % {"n": cap},
            "count": f"{count:,}",
        }
    ]


def _lists(container: Any, key: str) -> list:
    items = container.get(key) if isinstance(container, dict) else None
    return items if isinstance(items, list) else []


def count_problems(document: Any) -> list[str]:
    """Every list of the document over its limit, with where it is. Checked before the
    items one by one: a list far too long gets one message, not one per item."""
    if not isinstance(document, dict):
        return []
    problems = _over(document, "sections", "$.sections")
    prompts = sum(len(_lists(section, "prompts")) for section in _lists(document, "sections"))
    problems += _over(document, "prompts", "$.sections", count=prompts, at="sections")
    for name in ("components", "dimensions"):
        problems += _over(document, name, f"$.{name}")
        for i, item in enumerate(_lists(document, name)):
            problems += _over(item, "examples", f"$.{name}[{i}].examples")
    scales = document.get("scales")
    for name in ("likelihood", "severity", "urgency"):
        problems += _over(scales, name, f"$.scales.{name}")
    return problems
