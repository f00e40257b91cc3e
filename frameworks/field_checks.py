"""How one mapping of a framework document (documents.py) is checked: its fields present,
of their types and lengths, a translated field's languages, an item's key, a list's
length. Each problem goes to the caller's list, naming the field path and, for a file,
its line; what a document holds and in which mappings is documents.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from frameworks.limits import EXAMPLES, TEXT
from frameworks.yaml_loader import Located

KEY_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Field:
    kind: type | tuple[type, ...]
    required: bool = True
    max_length: int | None = None
    # Text that may be given in several languages: {en: "…", fr: "…"} (or a plain value,
    # the version's default language only).
    translated: bool = False


def path_at(container, key, path: str) -> str:
    line = container.line_of(key) if isinstance(container, Located) else 0
    return f"{path} (line {line})" if line else path


def check_mapping(
    data,
    path: str,
    fields: dict[str, Field],
    problems: list[str],
    parent=None,
    key=None,
    language: str = DEFAULT_LANGUAGE,
) -> bool:
    if not isinstance(data, dict):
        where = path_at(parent, key, path) if parent is not None else path
        problems.append(_("%(where)s: expected a mapping") % {"where": where})
        return False
    for name in data:
        if name not in fields:
            problems.append(
                _("%(where)s: unknown field") % {"where": path_at(data, name, f"{path}.{name}")}
            )
    for name, spec in fields.items():
        where = path_at(data, name, f"{path}.{name}")
        if name not in data:
            if spec.required:
                problems.append(
                    _("%(path)s: missing required field (in the mapping at line %(line)d)")
                    % {"path": f"{path}.{name}", "line": getattr(data, "line", 0)}
                )
            continue
        value = data[name]
        if spec.translated and isinstance(value, dict):
            _check_translations(value, f"{path}.{name}", where, spec, problems, language)
            continue
        kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
        # YAML true/false are ints to Python; only accept them where a bool is expected.
        ok = not (isinstance(value, bool) and bool not in kinds) and isinstance(value, kinds)
        if not ok:
            expected = " or ".join(_type_name(k) for k in kinds)
            problems.append(
                _("%(where)s: expected %(expected)s, found %(found)s")
                % {"where": where, "expected": expected, "found": _type_name(type(value))}
            )
            continue
        if spec.max_length and isinstance(value, str) and len(value) > spec.max_length:
            problems.append(
                _("%(where)s: longer than %(max)d characters")
                % {"where": where, "max": spec.max_length}
            )
    return True


def _check_translations(
    value: dict, path: str, where: str, spec: Field, problems: list[str], language: str
) -> None:
    """A field given per language: known language codes, the default one present, each
    text of the field's type and length."""
    if language not in value:
        problems.append(
            _("%(where)s: the text in the version's language (%(language)s) is missing")
            % {"where": where, "language": language}
        )
    for code, text in value.items():
        at = path_at(value, code, f"{path}.{code}")
        if code not in LANGUAGES:
            problems.append(
                _("%(where)s: '%(code)s' is not a language of this site (%(codes)s)")
                % {"where": at, "code": code, "codes": ", ".join(LANGUAGES)}
            )
            continue
        if spec.kind is list:
            check_examples(text, at, f"{path}.{code}", problems)
        elif not isinstance(text, str):
            problems.append(
                _("%(where)s: expected %(expected)s, found %(found)s")
                % {"where": at, "expected": _("text"), "found": _type_name(type(text))}
            )
        elif spec.max_length and len(text) > spec.max_length:
            problems.append(
                _("%(where)s: longer than %(max)d characters")
                % {"where": at, "max": spec.max_length}
            )


def check_examples(examples, where: str, path: str, problems: list[str]) -> None:
    if not isinstance(examples, list):
        problems.append(
            _("%(where)s: expected %(expected)s, found %(found)s")
            % {"where": where, "expected": _("a list"), "found": _type_name(type(examples))}
        )
        return
    if len(examples) > EXAMPLES:
        problems.append(
            _("%(where)s: a dimension lists at most %(n)d examples (found %(count)s)")
            % {"where": where, "n": EXAMPLES, "count": len(examples)}
        )
        return
    for k, example in enumerate(examples):
        at = path_at(examples, k, f"{path}[{k}]")
        if not isinstance(example, str):
            problems.append(_("%(where)s: expected text") % {"where": at})
        elif len(example) > TEXT:
            problems.append(
                _("%(where)s: longer than %(max)d characters") % {"where": at, "max": TEXT}
            )


def _type_name(kind: type) -> str:
    return {
        str: _("text"),
        int: _("an integer"),
        bool: _("true/false"),
        list: _("a list"),
        dict: _("a mapping"),
        type(None): _("nothing"),
        float: _("a number"),
    }.get(kind, kind.__name__)


def check_key(item, path: str, problems: list[str], seen: dict[str, str]) -> None:
    key = item.get("key")
    if not isinstance(key, str):
        return
    where = path_at(item, "key", f"{path}.key")
    if not KEY_RE.match(key) or len(key) > 64:
        problems.append(
            _("%(where)s: '%(key)s' is not a valid key (lowercase letters, digits, - or _)")
            % {"where": where, "key": key}
        )
    if key in seen:
        problems.append(
            _("%(where)s: duplicate key '%(key)s' (first used at %(first)s)")
            % {"where": where, "key": key, "first": seen[key]}
        )
    else:
        seen[key] = where


def check_list(data, name: str, path: str, problems: list[str], *, min_items: int = 1):
    value = data.get(name) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return None
    if len(value) < min_items:
        problems.append(
            _("%(where)s: must list at least %(n)d item(s)")
            % {"where": path_at(data, name, path), "n": min_items}
        )
    return value
