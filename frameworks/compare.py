"""What changed between two versions of a framework, item by item, matched by key.

Works on the versions' documents (selectors.version_document), so it compares exactly
what an export would hold. Used by the compare page, the publish confirmation and the
move of an assessment to a newer version.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from frameworks.documents import SCALES

ADDED, REMOVED, REWORDED, MOVED = "added", "removed", "reworded", "moved"


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The new text against the old, word by word: ("same" | "del" | "ins", words)."""
    a, b = old.split(), new.split()
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("del", " ".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("ins", " ".join(b[j1:j2])))
    return parts


@dataclass
class Change:
    kind: str  # added, removed, reworded, moved
    key: str
    label: str  # what the item is called now (or was, when removed)
    diffs: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # (field, diff)
    where: str = ""  # for a move: from where to where


@dataclass
class Group:
    """The changes of one section (or of the components, dimensions, a scale)."""

    key: str
    title: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class Comparison:
    groups: list[Group]

    @property
    def is_empty(self) -> bool:
        return not any(group.changes for group in self.groups)

    def prompt_changes(self) -> dict[str, set[str]]:
        """prompt key -> the kinds of change it went through."""
        found: dict[str, set[str]] = {}
        for group in self.groups:
            if group.key.startswith("section:"):
                for change in group.changes:
                    if change.key.startswith("prompt:"):
                        found.setdefault(change.key[7:], set()).add(change.kind)
        return found


def _text_diffs(old: dict, new: dict, fields: tuple[str, ...]) -> list:
    diffs = []
    for name in fields:
        a, b = old.get(name, ""), new.get(name, "")
        if isinstance(a, list):
            a, b = "\n".join(a), "\n".join(b)
        if a != b:
            if isinstance(a, bool):
                diffs.append((name, [("del", str(a)), ("ins", str(b))]))
            else:
                diffs.append((name, word_diff(str(a), str(b))))
    return diffs


def _rank(keys: list[str], common: set[str]) -> dict[str, int]:
    return {key: i for i, key in enumerate(k for k in keys if k in common)}


def _compare_list(old: list[dict], new: list[dict], label: str, fields: tuple[str, ...]):
    old_by = {item["key"]: item for item in old}
    new_by = {item["key"]: item for item in new}
    common = set(old_by) & set(new_by)
    old_rank = _rank([i["key"] for i in old], common)
    new_rank = _rank([i["key"] for i in new], common)
    changes = []
    for item in new:
        key = item["key"]
        if key not in old_by:
            changes.append(Change(ADDED, key, item[label]))
            continue
        diffs = _text_diffs(old_by[key], item, fields)
        if diffs:
            changes.append(Change(REWORDED, key, item[label], diffs))
        if old_rank[key] != new_rank[key]:
            where = f"{old_rank[key] + 1} → {new_rank[key] + 1}"
            changes.append(Change(MOVED, key, item[label], where=where))
    changes += [Change(REMOVED, i["key"], i[label]) for i in old if i["key"] not in new_by]
    return changes


def compare_documents(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    """Sections (and their prompts), components, dimensions and scales, old → new."""
    groups: list[Group] = []
    old_sections = {s["key"]: s for s in old["sections"]}
    new_sections = {s["key"]: s for s in new["sections"]}
    old_prompts = {p["key"]: (s, p) for s in old["sections"] for p in s["prompts"]}
    new_prompts = {p["key"]: (s, p) for s in new["sections"] for p in s["prompts"]}
    common = set(old_prompts) & set(new_prompts)
    section_changes = {
        c.key: c
        for c in _compare_list(old["sections"], new["sections"], "title", ("title", "guidance"))
    }

    def group_for(section: dict) -> Group:
        group = Group(f"section:{section['key']}", section["title"])
        change = section_changes.get(section["key"])
        if change is not None:
            group.changes.append(change)
        return group

    for section in new["sections"]:
        group = group_for(section)
        old_order = []
        if section["key"] in old_sections:
            old_order = [p["key"] for p in old_sections[section["key"]]["prompts"]]
        new_order = [p["key"] for p in section["prompts"]]
        stay = set(old_order) & set(new_order)
        old_rank, new_rank = _rank(old_order, stay), _rank(new_order, stay)
        for prompt in section["prompts"]:
            key = prompt["key"]
            if key not in common:
                group.changes.append(Change(ADDED, f"prompt:{key}", prompt["text"]))
                continue
            was_section, was = old_prompts[key]
            diffs = _text_diffs(was, prompt, ("text", "help", "required"))
            if diffs:
                group.changes.append(Change(REWORDED, f"prompt:{key}", prompt["text"], diffs))
            if was_section["key"] != section["key"]:
                where = f"{was_section['title']} → {section['title']}"
                group.changes.append(Change(MOVED, f"prompt:{key}", prompt["text"], where=where))
            elif old_rank[key] != new_rank[key]:
                where = f"{old_rank[key] + 1} → {new_rank[key] + 1}"
                group.changes.append(Change(MOVED, f"prompt:{key}", prompt["text"], where=where))
        groups.append(group)
    for section in old["sections"]:
        gone = [p for p in section["prompts"] if p["key"] not in new_prompts]
        if section["key"] in new_sections:
            target = next(g for g in groups if g.key == f"section:{section['key']}")
        else:
            target = group_for(section)
            groups.append(target)
        target.changes += [Change(REMOVED, f"prompt:{p['key']}", p["text"]) for p in gone]

    groups.append(
        Group(
            "components",
            "components",
            _compare_list(old["components"], new["components"], "name", ("name", "description")),
        )
    )
    groups.append(
        Group(
            "dimensions",
            "dimensions",
            _compare_list(
                old["dimensions"],
                new["dimensions"],
                "name",
                ("name", "description", "examples"),
            ),
        )
    )
    for scale in SCALES:
        as_keyed = [
            [{**level, "key": str(level["value"])} for level in doc["scales"][scale]]
            for doc in (old, new)
        ]
        changes = _compare_list(*as_keyed, "label", ("label", "description"))
        groups.append(Group(f"scale:{scale}", scale, changes))
    return Comparison(groups)
