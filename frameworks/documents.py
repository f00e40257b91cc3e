"""The YAML document format of one framework version: parse, validate, emit.

Validation collects every problem it can find, each naming the field path and the
line, so that an admin fixing a file sees all of them at once: the mappings a document
holds and their fields are declared here, each mapping checked by field_checks.py.
Nothing here touches the database; services.framework_import does that only once a
document is valid.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.utils.translation import gettext as _

from frameworks.field_checks import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Field,
    check_examples,
    check_key,
    check_list,
    check_mapping,
    path_at,
)
from frameworks.limits import TEXT, count_problems
from frameworks.yaml_loader import LimitError, Loader

FORMAT_ID = "hsassess-framework/1"
MAX_BYTES = 1024 * 1024
SCALES = ("likelihood", "severity", "urgency")


class DocumentError(Exception):
    """Raised with every problem found in a framework document."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def parse(raw: bytes | str) -> dict[str, Any]:
    """Parse and validate a document; return plain data or raise DocumentError."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_BYTES:
        raise DocumentError(
            [
                _("file: %(size)d bytes is over the limit of 1 MB (%(max)d bytes)")
                % {"size": size, "max": MAX_BYTES}
            ]
        )
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DocumentError(
                [_("file: not UTF-8 text (byte %(n)d is not UTF-8)") % {"n": exc.start + 1}]
            ) from exc
    try:
        data = yaml.load(raw, Loader=Loader)  # noqa: S506 - Loader derives from SafeLoader
    except LimitError as exc:
        line = _("line %(line)d") % {"line": exc.problem_mark.line + 1}
        raise DocumentError([f"{line}: {exc.problem}"]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _("line %(line)d") % {"line": mark.line + 1} if mark else _("file")
        raise DocumentError([f"{where}: {_('invalid YAML')}: {exc.problem}"]) from exc
    except yaml.reader.ReaderError as exc:
        raise DocumentError(
            [
                _("file: invalid YAML: character %(n)d is a control character")
                % {"n": exc.position + 1}
            ]
        ) from exc
    except yaml.YAMLError as exc:
        raise DocumentError([_("file: invalid YAML")]) from exc
    # The parser's constructors raise these, with messages about Python, not the file.
    except RecursionError as exc:
        raise DocumentError([_("file: invalid YAML: nested too deeply")]) from exc
    except (ValueError, OverflowError) as exc:
        raise DocumentError(
            [_("file: invalid YAML: a number with too many digits, or a date that does not exist")]
        ) from exc
    problems: list[str] = []
    _validate(data, problems)
    if problems:
        raise DocumentError(problems)
    return _plain(data)


def problems_of(document: dict[str, Any]) -> list[str]:
    """Every problem of a document already in memory (the studio builds one per save):
    the same rules as a file, with field paths but no lines."""
    problems: list[str] = []
    _validate(document, problems)
    return problems


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


TOP = {
    "format": Field(str),
    "framework": Field(dict),
    "version": Field(dict),
    "sections": Field(list),
    "components": Field(list),
    "dimensions": Field(list),
    "scales": Field(dict),
}
FRAMEWORK = {
    "slug": Field(str, max_length=80),
    "name": Field(str, max_length=200),
    "description": Field(str, required=False, max_length=TEXT),
    "citation": Field(str, required=False, max_length=TEXT),
}
VERSION = {
    "number": Field(int),
    "language": Field(str, required=False, max_length=12),
    "changelog": Field(str, required=False, max_length=TEXT),
}
SECTION = {
    "key": Field(str),
    "title": Field(str, max_length=200, translated=True),
    "guidance": Field(str, required=False, max_length=TEXT, translated=True),
    "prompts": Field(list),
}
PROMPT = {
    "key": Field(str),
    "text": Field(str, max_length=TEXT, translated=True),
    "help": Field(str, required=False, max_length=TEXT, translated=True),
    "required": Field(bool, required=False),
}
COMPONENT = {
    "key": Field(str),
    "name": Field(str, max_length=120, translated=True),
    "description": Field(str, required=False, max_length=TEXT, translated=True),
}
DIMENSION = {
    "key": Field(str),
    "name": Field(str, max_length=120, translated=True),
    "description": Field(str, required=False, max_length=TEXT, translated=True),
    "examples": Field(list, required=False, translated=True),
}
LEVEL = {
    "value": Field(int),
    "label": Field(str, max_length=80, translated=True),
    "description": Field(str, required=False, max_length=TEXT, translated=True),
}


def _validate(data, problems: list[str]) -> None:
    if data is None:
        problems.append(_("file: the document is empty"))
        return
    if not check_mapping(data, "$", TOP, problems):
        return
    over = count_problems(data)
    if over:  # the items of a list far too long are not worth checking one by one
        problems.extend(over)
        return
    if isinstance(data.get("format"), str) and data["format"] != FORMAT_ID:
        problems.append(
            _("%(where)s: expected '%(expected)s'")
            % {"where": path_at(data, "format", "$.format"), "expected": FORMAT_ID}
        )
    if isinstance(data.get("framework"), dict):
        fw = data["framework"]
        check_mapping(fw, "$.framework", FRAMEWORK, problems)
        slug = fw.get("slug")
        if isinstance(slug, str) and not re.match(r"^[-a-zA-Z0-9_]+$", slug):
            problems.append(
                _("%(where)s: a slug holds only letters, digits, - and _")
                % {"where": path_at(fw, "slug", "$.framework.slug")}
            )
    language = DEFAULT_LANGUAGE
    if isinstance(data.get("version"), dict):
        ver = data["version"]
        check_mapping(ver, "$.version", VERSION, problems)
        if isinstance(ver.get("language"), str):
            if ver["language"] in LANGUAGES:
                language = ver["language"]
            else:
                problems.append(
                    _("%(where)s: '%(code)s' is not a language of this site (%(codes)s)")
                    % {
                        "where": path_at(ver, "language", "$.version.language"),
                        "code": ver["language"],
                        "codes": ", ".join(LANGUAGES),
                    }
                )
        number = ver.get("number")
        if isinstance(number, int) and not isinstance(number, bool) and number < 1:
            problems.append(
                _("%(where)s: must be 1 or more")
                % {"where": path_at(ver, "number", "$.version.number")}
            )

    sections = check_list(data, "sections", "$.sections", problems)
    prompt_keys: dict[str, str] = {}
    section_keys: dict[str, str] = {}
    for i, section in enumerate(sections or []):
        path = f"$.sections[{i}]"
        if not check_mapping(
            section, path, SECTION, problems, parent=sections, key=i, language=language
        ):
            continue
        check_key(section, path, problems, section_keys)
        prompts = check_list(section, "prompts", f"{path}.prompts", problems)
        for j, prompt in enumerate(prompts or []):
            ppath = f"{path}.prompts[{j}]"
            if check_mapping(
                prompt, ppath, PROMPT, problems, parent=prompts, key=j, language=language
            ):
                check_key(prompt, ppath, problems, prompt_keys)

    for name, spec in (("components", COMPONENT), ("dimensions", DIMENSION)):
        items = check_list(data, name, f"$.{name}", problems)
        keys: dict[str, str] = {}
        for i, item in enumerate(items or []):
            path = f"$.{name}[{i}]"
            if not check_mapping(
                item, path, spec, problems, parent=items, key=i, language=language
            ):
                continue
            check_key(item, path, problems, keys)
            examples = item.get("examples")
            if isinstance(examples, list):
                check_examples(examples, f"{path}.examples", f"{path}.examples", problems)

    scales = data.get("scales")
    if isinstance(scales, dict):
        for name in scales:
            if name not in SCALES:
                problems.append(
                    _("%(where)s: unknown scale (expected one of %(names)s)")
                    % {
                        "where": path_at(scales, name, f"$.scales.{name}"),
                        "names": ", ".join(SCALES),
                    }
                )
        for name in SCALES:
            path = f"$.scales.{name}"
            if name not in scales:
                problems.append(_("%(path)s: missing required scale") % {"path": path})
                continue
            levels = scales[name]
            if not isinstance(levels, list):
                problems.append(
                    _("%(where)s: expected a list") % {"where": path_at(scales, name, path)}
                )
                continue
            if len(levels) < 2:
                problems.append(
                    _("%(where)s: a scale needs at least 2 levels")
                    % {"where": path_at(scales, name, path)}
                )
            values = []
            for i, level in enumerate(levels):
                lpath = f"{path}[{i}]"
                if check_mapping(
                    level, lpath, LEVEL, problems, parent=levels, key=i, language=language
                ):
                    value = level.get("value")
                    if isinstance(value, int) and not isinstance(value, bool):
                        values.append(value)
            if values and sorted(values) != list(range(1, len(levels) + 1)):
                problems.append(
                    _(
                        "%(where)s: values must run 1, 2, 3 … without gaps or repeats "
                        "(found %(found)s)"
                    )
                    % {"where": path_at(scales, name, path), "found": ", ".join(map(str, values))}
                )


def dump(document: dict[str, Any]) -> str:
    """Emit a document as YAML, keys in the order the format defines them."""
    return yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=88, default_flow_style=False
    )
