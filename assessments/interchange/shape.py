"""The shape of an assessment document (hsassess-assessment/1): which objects and lists
it holds and the type of each field. The importer checks it before it reads anything
else, so later steps may assume strings where they look up keys and lists where they
loop. What the values mean (known keys, scales, rules) is checked later, by the importer
and the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from assessments import limits
from assessments.interchange.document import (
    GROUP_FIELDS,
    INDICATOR_FIELDS,
    RESPONSE_FIELDS,
    THREAT_FIELDS,
)


class _ListOf:
    def __init__(self, kind):
        self.kind = kind


TEXT, OPTIONAL_TEXT, NUMBER = str, (str, type(None)), int


_SHAPES: dict[str, dict[str, Any]] = {
    "framework": {"slug": TEXT, "version": NUMBER},
    "assessment": {
        **dict.fromkeys(
            [
                "title",
                "language",
                "team",
                "owner",
                "country",
                "area",
                "population_focus",
                "key_points",
                "public_key_points",
                "status",
            ],
            TEXT,
        ),
        "collaborators": _ListOf(str),
        "period_start": OPTIONAL_TEXT,
        "period_end": OPTIONAL_TEXT,
    },
    "answers": {"section": TEXT, "prompt": TEXT, "text": TEXT},
    "groups": {
        **dict.fromkeys(GROUP_FIELDS, TEXT),
        **dict.fromkeys(["age_from", "age_to", "estimated_size"], (int, type(None))),
        # Documents written before ages were ranges carry a band (LEGACY_AGE_BANDS).
        "age_band": TEXT,
        "sensitive": bool,
    },
    "threats": {
        **dict.fromkeys(THREAT_FIELDS, TEXT),
        **dict.fromkeys(["likelihood", "severity", "urgency"], NUMBER),
        "ref": TEXT,
        "dimension": TEXT,
        "further_dimensions": _ListOf(str),
        "affected_groups": _ListOf(str),
        "tags": _ListOf(dict),
        "indicators": _ListOf(dict),
    },
    "tags": {"component": TEXT, "rationale": TEXT},
    "indicators": {
        **dict.fromkeys(INDICATOR_FIELDS, TEXT),
        "threshold_value": OPTIONAL_TEXT,
        "frequency_days": (int, type(None)),
        "readings": _ListOf(dict),
    },
    "readings": {
        **dict.fromkeys(["date", "note", "source"], TEXT),
        "value": OPTIONAL_TEXT,
        "level": (int, type(None)),
        "occurred": (bool, type(None)),
    },
    "responses": {
        **dict.fromkeys(RESPONSE_FIELDS, TEXT),
        "preventive": bool,
        "groups": _ListOf(str),
        # Documents written before a response served several groups name one, or null.
        "group": OPTIONAL_TEXT,
        "threats": _ListOf(str),
    },
}


def _fits(value, kind) -> bool:
    if isinstance(kind, _ListOf):
        return isinstance(value, list) and all(_fits(v, kind.kind) for v in value)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False  # JSON true/false are ints to Python
    return isinstance(value, kinds)


def _describe(kind) -> str:
    if isinstance(kind, _ListOf):
        return _("a list of objects") if kind.kind is dict else _("a list of text")
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: _("text"), int: _("an integer"), bool: _("true or false"), type(None): _("null")}
    return _(" or ").join(names[k] for k in kinds)


def _check_object(obj, shape: str, path: str, problems: list[str]) -> None:
    if not isinstance(obj, dict):
        problems.append(_("%(p)s: expected an object") % {"p": path})
        return
    for field, kind in _SHAPES[shape].items():
        if field in obj and not _fits(obj[field], kind):
            problems.append(
                _("%(p)s.%(f)s: expected %(kind)s")
                % {"p": path, "f": field, "kind": _describe(kind)}
            )


def _check_readings(indicator, path: str, problems: list[str]) -> None:
    readings = indicator.get("readings") if isinstance(indicator, dict) else None
    if isinstance(readings, list):
        for k, reading in enumerate(readings):
            _check_object(reading, "readings", f"{path}.readings[{k}]", problems)


def _unstorable_text(value: Any) -> bool:
    """JSON may escape half of a UTF-16 pair (\\ud800) or a NUL (\\u0000): no database
    stores the first, PostgreSQL refuses the second, and no form lets either in."""
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_unstorable_text(k) or _unstorable_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable_text(v) for v in value)
    return False


def shape_problems(document: Any) -> list[str]:
    """The document's structure and field types, each problem with where it is."""
    if not isinstance(document, dict):
        return [_("The document must be a JSON object.")]
    if _unstorable_text(document):
        return [
            _("The document contains characters that cannot be stored (NUL or invalid Unicode).")
        ]
    problems: list[str] = []
    for key in ("framework", "assessment"):
        _check_object(document.get(key), key, key, problems)
    for key in ("answers", "groups", "threats", "responses"):
        items = document.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            problems.append(_("%(k)s: expected a list of objects") % {"k": key})
            continue
        for i, item in enumerate(items):
            _check_object(item, key, f"{key}[{i}]", problems)
            if key == "threats" and isinstance(item, dict):
                for sub in ("tags", "indicators"):
                    for j, child in enumerate(item.get(sub) or []):
                        if isinstance(item.get(sub), list):
                            _check_object(child, sub, f"threats[{i}].{sub}[{j}]", problems)
                            _check_readings(child, f"threats[{i}].{sub}[{j}]", problems)
    return problems


def _over(items: Any, kind: str, path: str) -> list[str]:
    cap, message = limits.COUNTS[kind]
    if not isinstance(items, list) or len(items) <= cap:
        return []
    return [
        _("%(p)s: %(count)s items. %(limit)s")
        % {"p": path, "count": f"{len(items):,}", "limit": message % {"n": cap}}
    ]


def limit_problems(document: dict) -> list[str]:
    """Counts over the limits of an assessment (assessments/limits.py), found before
    anything is read or written: a document too large is refused as a whole, naming
    each limit, in the time it takes to count."""
    head = document.get("assessment")
    problems = [
        problem
        for key in ("groups", "threats", "responses", "sources", "quotes")
        for problem in _over(document.get(key), key, key)
    ]
    if isinstance(head, dict):
        problems += _over(head.get("collaborators"), "collaborators", "assessment.collaborators")
    threats = document.get("threats")
    if not problems and isinstance(threats, list):
        for i, threat in enumerate(threats):
            if isinstance(threat, dict):
                problems += _over(
                    threat.get("indicators"), "indicators", f"threats[{i}].indicators"
                )
    return problems
