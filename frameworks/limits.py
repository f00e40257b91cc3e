"""The size limits of a framework version, checked by the validation the YAML import and
the studio share (documents.py), so neither can build a version the assessments could
not use. Each is far above what a framework needs (the Human Security Lens has 4
components, 5-level scales and about 30 prompts) and low enough that an assessment's
forms and brief stay small. docs/limits.md lists them with the assessment's own."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

LEVELS = 10  # per scale: each level is a choice on every threat form and a brief column
PROMPTS = 100  # per version: every prompt is an answer on the assessment's pages and brief
SECTIONS = 20  # per version: each section is a page of the assessment
COMPONENTS = 12  # per version: each is a tag with a rationale on every threat form
DIMENSIONS = 30  # per version: a choice on every threat form, a heading in the brief
EXAMPLES = 20  # example threats per dimension

# A document: deeper than this is not a framework (which nests 5 levels).
YAML_DEPTH = 20
# The widest integer is a version number (32-bit): 9 digits always fit.
NUMBER_DIGITS = 9


def _where(container: Any, key: Any, path: str) -> str:
    line = container.line_of(key) if hasattr(container, "line_of") else 0
    return f"{path} (line {line})" if line else path


def _over(container: Any, key: Any, path: str, cap: int, message: str) -> list[str]:
    items = container.get(key) if isinstance(container, dict) else None
    if not isinstance(items, list) or len(items) <= cap:
        return []
    return [
        _("%(where)s: %(limit)s (found %(count)s)")
        % {
            "where": _where(container, key, path),
            "limit": message % {"n": cap},
            "count": f"{len(items):,}",
        }
    ]


def count_problems(document: Any) -> list[str]:
    """Every list of the document over its limit, with where it is. Found before the
    items are checked one by one: a file with 33,000 levels gets one message, not 33,000."""
    if not isinstance(document, dict):
        return []
    problems = _over(document, "sections", "$.sections", SECTIONS, _("at most %(n)d sections"))
    for name, cap, message in (
        ("components", COMPONENTS, _("at most %(n)d components")),
        ("dimensions", DIMENSIONS, _("at most %(n)d dimensions")),
    ):
        problems += _over(document, name, f"$.{name}", cap, message)
        for i, item in enumerate(
            document.get(name) if isinstance(document.get(name), list) else []
        ):
            problems += _over(
                item, "examples", f"$.{name}[{i}].examples", EXAMPLES, _("at most %(n)d examples")
            )
    sections = document.get("sections")
    if isinstance(sections, list):
        prompts = sum(
            len(s["prompts"])
            for s in sections
            if isinstance(s, dict) and isinstance(s.get("prompts"), list)
        )
        if prompts > PROMPTS:
            problems.append(
                _("%(where)s: a version holds at most %(n)d prompts (found %(count)s)")
                % {
                    "where": _where(document, "sections", "$.sections"),
                    "n": PROMPTS,
                    "count": f"{prompts:,}",
                }
            )
    scales = document.get("scales")
    for name in scales if isinstance(scales, dict) else ():
        problems += _over(
            scales, name, f"$.scales.{name}", LEVELS, _("a scale has at most %(n)d levels")
        )
    return problems
