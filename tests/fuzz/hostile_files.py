"""Files past the limits, for both import paths (issue 15): nested deep, lists and scales
far too long, texts far too large, numbers far too long. Each strategy takes a valid
document and makes one such change somewhere in it, so every file drawn must be refused
whatever else it holds. Deep nesting and long numbers go in as bytes: json.dumps and
yaml.safe_dump would recurse, or refuse to write the number, themselves."""

from __future__ import annotations

import copy
import json

import yaml
from hypothesis import strategies as st

from assessments import limits
from frameworks import limits as fw_limits

DEPTHS = st.sampled_from([21, 22, 400, 900, 3_000, 50_000])
DIGITS = st.sampled_from([11, 20, 4_300, 4_301, 5_000])
NEST, NUMBER = "__nest__", "__number__"


def _nested_json(depth: int, kind: str) -> bytes:
    if kind == "arrays":
        return b"[" * depth + b"]" * depth
    return b'{"a": ' * depth + b"1" + b"}" * depth


def _replace(document: dict, path: tuple, value) -> dict:
    document = copy.deepcopy(document)
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


# --- the assessment import (export.json) ---------------------------------------------

JSON_VALUES = [
    ("framework", "version"),
    ("assessment", "title"),
    ("threats", 0, "likelihood"),
    ("threats", 0, "tags"),
    ("groups", 0, "estimated_size"),
    ("responses", 0, "threats"),
]
JSON_TEXTS = [
    (("assessment", "key_points"), limits.LONG_TEXT),
    (("answers", 0, "text"), limits.LONG_TEXT),
    (("groups", 0, "description"), limits.LONG_TEXT),
    (("threats", 0, "root_causes"), limits.LONG_TEXT),
    (("threats", 0, "tags", 0, "rationale"), limits.RATIONALE),
    (("responses", 0, "do_no_harm_risk"), limits.LONG_TEXT),
]


@st.composite
def json_past_limits(draw, document: dict) -> bytes:
    """`document` (a valid export with an answer, a group, a tagged threat with an
    indicator and a response) changed past one limit, as the bytes of a file."""
    change = draw(st.sampled_from(["deep", "counts", "text", "number"]), label="change")
    if change in ("deep", "number"):
        path = draw(st.sampled_from(JSON_VALUES), label="where")
        marker = NEST if change == "deep" else NUMBER
        raw = json.dumps(_replace(document, path, marker)).encode()
        if change == "deep":
            kind = draw(st.sampled_from(["arrays", "objects"]))
            value = _nested_json(draw(DEPTHS, label="depth"), kind)
        else:
            value = b"9" * draw(DIGITS, label="digits")
        return raw.replace(json.dumps(marker).encode(), value)
    if change == "text":
        path, limit = draw(st.sampled_from(JSON_TEXTS), label="where")
        size = draw(st.sampled_from([limit + 1, 5 * limit, 4_600_000]), label="characters")
        unit = draw(st.sampled_from(["x", "\u00e9", "\U0001f642"]))
        return json.dumps(_replace(document, path, unit * size), ensure_ascii=False).encode()
    kind = draw(st.sampled_from(sorted(limits.COUNTS)), label="kind")
    cap = limits.COUNTS[kind][0]
    count = draw(st.sampled_from([cap + 1, 2 * cap, 12_000]), label="count")
    document = copy.deepcopy(document)
    if kind == "collaborators":
        document["assessment"]["collaborators"] = [f"person-{i}" for i in range(count)]
    elif kind == "indicators":
        document["threats"][0]["indicators"] *= count
    elif kind == "threats":
        threat = document["threats"][0]
        document["threats"] = [{**threat, "ref": f"T{i + 1}"} for i in range(count)]
    else:
        document[kind] *= count
    return json.dumps(document).encode()


# --- the framework import (YAML) -------------------------------------------------------

YAML_LISTS = {
    "sections": lambda d: (d, "sections"),
    "prompts": lambda d: (d["sections"][0], "prompts"),
    "components": lambda d: (d, "components"),
    "dimensions": lambda d: (d, "dimensions"),
    "examples": lambda d: (d["dimensions"][0], "examples"),
}
YAML_TEXTS = [
    ("framework", "description"),
    ("sections", 0, "guidance"),
    ("sections", 0, "prompts", 0, "text"),
    ("components", 0, "description"),
]


def _yaml(document: dict) -> bytes:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True).encode()


def _unique(items: list, count: int) -> list:
    """`count` items like the first of `items`, each with a key of its own. A list in
    several languages ({"en": [...], "fr": [...]}) becomes its first language's list."""
    if isinstance(items, dict):
        items = next(iter(items.values()))
    first = items[0]
    if not isinstance(first, dict):
        return [f"{first} {i}" for i in range(count)]
    return [{**first, "key": f"{first['key']}-{i}"} for i in range(count)]


@st.composite
def yaml_past_limits(draw, document: dict) -> bytes:
    """`document` (a valid framework) changed past one limit, as the bytes of a file."""
    change = draw(st.sampled_from(["deep", "scale", "counts", "text", "number"]), label="change")
    if change == "deep":
        depth = draw(DEPTHS, label="depth")
        style = draw(st.sampled_from(["flow", "flow unclosed", "block keys"]), label="style")
        if style == "block keys":
            depth = min(depth, 1_000)  # indentation grows with depth: 1 MB at most
            return "".join("  " * i + f"k{i}:\n" for i in range(depth)).encode()
        closing = b"]" * depth if style == "flow" else b""
        return b"sections: " + b"[" * depth + closing + b"\n"
    if change == "number":
        raw = _yaml(_replace(document, ("version", "number"), NUMBER))
        return raw.replace(NUMBER.encode(), b"9" * draw(DIGITS, label="digits"))
    if change == "text":
        path = draw(st.sampled_from(YAML_TEXTS), label="where")
        size = draw(st.sampled_from([fw_limits.TEXT + 1, 100_000, 900_000]), label="characters")
        return _yaml(_replace(document, path, "x" * size))
    document = copy.deepcopy(document)
    if change == "scale":
        scale = draw(st.sampled_from(["likelihood", "severity", "urgency"]), label="scale")
        count = draw(st.sampled_from([fw_limits.LEVELS + 1, 100, 1_000, 33_000]), label="levels")
        document["scales"][scale] = []
        raw = _yaml(document).decode()
        # One level a line, as the security test wrote them: 33,000 fit in 1 MB.
        levels = "".join(f"  - {{value: {i + 1}, label: x}}\n" for i in range(count))
        return raw.replace(f"  {scale}: []\n", f"  {scale}:\n{levels}").encode()
    kind = draw(st.sampled_from(sorted(YAML_LISTS)), label="kind")
    container, key = YAML_LISTS[kind](document)
    cap = fw_limits.LISTS[kind][0]
    count = draw(st.sampled_from([cap + 1, 2 * cap, 1_000]), label="count")
    container[key] = _unique(container[key], count)
    return _yaml(document)
