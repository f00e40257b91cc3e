"""What changed since the assessment was last returned: the reviewer's view of a
resubmission (/assessments/<id>/changes/).

A selector, read from the history django-simple-history already keeps: the state of each
answer, group, threat (with its component tags), response and source at the moment of the
last RETURNED review event is compared with now. Texts are compared word by word
(difflib); other fields show before and after; items are added, removed or changed.
Many-to-many links are not in the history and are not compared: a threat's affected
groups and further dimensions, a response's threats and the groups it serves (since
migration 0015; before, its one group was a field and was compared). A group's ages are
fields (migration 0016 turned the history's bands into ranges too, so no change shows
that nobody made)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Answer,
    Assessment,
    ComponentTag,
    PopulationGroup,
    Response,
    ReviewEvent,
    Source,
    Threat,
)

# Bookkeeping, not content: never shown as a change.
SKIPPED = {"id", "assessment", "version", "number", "updated_by", "updated_at", "created_at"}
SKIPPED |= {"file", "file_name", "file_type", "file_size", "file_sha256"}


@dataclass
class FieldChange:
    label: str
    words: list[tuple[str, str]] | None = None  # a text: ("equal"|"insert"|"delete", words)
    before: str = ""
    after: str = ""


@dataclass
class ItemChange:
    title: str
    status: str  # "added", "removed", "changed"
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class Changes:
    returned: ReviewEvent
    answers: list[tuple[object, list[tuple[object, FieldChange]]]]  # (section, [(prompt, diff)])
    items: list[tuple[str, list[ItemChange]]]  # (kind label, changes)

    @property
    def empty(self) -> bool:
        return not self.answers and not any(changes for _label, changes in self.items)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Runs of words, each kept, inserted or deleted (a replacement is a deletion then an
    insertion)."""
    old, new = before.split(), after.split()
    runs = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("equal", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("delete", " ".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("insert", " ".join(new[j1:j2])))
    return runs


def last_return(assessment: Assessment) -> ReviewEvent | None:
    return (
        ReviewEvent.objects.filter(assessment=assessment, kind=ReviewEvent.Kind.RETURNED)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )


def state_at(history, when, **filters) -> dict[int, object]:
    """id -> the historical record standing at `when` (items deleted by then left out)."""
    records = history.filter(history_date__lte=when, **filters).order_by(
        "id", "-history_date", "-history_id"
    )
    state = {}
    for record in records:
        state.setdefault(record.id, record)
    return {pk: r for pk, r in state.items() if r.history_type != "-"}


def _shown(model_field, obj) -> str:
    if model_field.is_relation:
        try:
            related = getattr(obj, model_field.name, None)
        except ObjectDoesNotExist:  # the history keeps ids of rows deleted since
            return str(getattr(obj, model_field.attname))
        return "" if related is None else str(related)
    value = getattr(obj, model_field.attname, None)
    choices = dict(model_field.flatchoices or ())
    shown = choices.get(value, value)
    return "" if shown is None else str(shown)


def field_changes(model, then, now) -> list[FieldChange]:
    """The content fields of `model` that differ between a historical record and now."""
    changed = []
    history_fields = {f.attname for f in then._meta.concrete_fields}
    for model_field in model._meta.concrete_fields:
        if model_field.name in SKIPPED or model_field.attname not in history_fields:
            continue
        old = getattr(then, model_field.attname)
        new = getattr(now, model_field.attname)
        if old == new:
            continue
        label = str(model_field.verbose_name).capitalize()
        if isinstance(model_field, models.TextField):
            changed.append(FieldChange(label, words=word_diff(old or "", new or "")))
        else:
            changed.append(
                FieldChange(label, before=_shown(model_field, then), after=_shown(model_field, now))
            )
    return changed


def _tag_changes(threat_ids: set[int], when) -> dict[int, FieldChange]:
    """Per threat, the components tagged then and now, when they differ."""
    then = state_at(
        ComponentTag.history.select_related("component"), when, threat_id__in=threat_ids
    )
    now = ComponentTag.objects.filter(threat_id__in=threat_ids).select_related("component")
    before: dict[int, set[str]] = {}
    after: dict[int, set[str]] = {}
    for tag in then.values():
        before.setdefault(tag.threat_id, set()).add(str(tag.component))
    for tag in now:
        after.setdefault(tag.threat_id, set()).add(str(tag.component))
    label = str(_("Component tags"))
    return {
        pk: FieldChange(
            label,
            before=", ".join(sorted(before.get(pk, ()))),
            after=", ".join(sorted(after.get(pk, ()))),
        )
        for pk in threat_ids
        if before.get(pk, set()) != after.get(pk, set())
    }


def item_changes(model, assessment: Assessment, when) -> list[ItemChange]:
    """Items of one kind added, removed or changed since `when`."""
    then = state_at(model.history, when, assessment_id=assessment.pk)
    now = {obj.pk: obj for obj in model.objects.filter(assessment=assessment)}
    tags = _tag_changes(set(then) | set(now), when) if model is Threat else {}
    changes = []
    for pk, obj in now.items():
        if pk not in then:
            changes.append(ItemChange(str(obj), "added"))
            continue
        fields = field_changes(model, then[pk], obj)
        if pk in tags:
            fields.append(tags[pk])
        if fields:
            changes.append(ItemChange(str(obj), "changed", fields))
    for pk, record in then.items():
        if pk not in now:
            changes.append(ItemChange(str(record.instance), "removed"))
    order = {"changed": 0, "added": 1, "removed": 2}
    return sorted(changes, key=lambda c: (order[c.status], c.title.lower()))


def answer_changes(assessment: Assessment, when) -> list[tuple[object, list]]:
    then = {
        r.prompt_id: r.text
        for r in state_at(Answer.history, when, assessment_id=assessment.pk).values()
    }
    now = dict(Answer.objects.filter(assessment=assessment).values_list("prompt_id", "text"))
    label = str(_("Answer"))
    sections = []
    for section in assessment.framework_version.sections.prefetch_related("prompts"):
        rows = []
        for prompt in section.prompts.all():
            old, new = then.get(prompt.pk, ""), now.get(prompt.pk, "")
            if old.split() != new.split():
                rows.append((prompt, FieldChange(label, words=word_diff(old, new))))
        if rows:
            sections.append((section, rows))
    return sections


KINDS = (
    (_("Population groups"), PopulationGroup),
    (_("Threats"), Threat),
    (_("Responses"), Response),
    (_("Sources"), Source),
)


def changes_since_return(assessment: Assessment) -> Changes | None:
    """Everything changed since the last return, or None if it was never returned."""
    returned = last_return(assessment)
    if returned is None:
        return None
    when = returned.created_at
    return Changes(
        returned=returned,
        answers=answer_changes(assessment, when),
        items=[(str(label), item_changes(model, assessment, when)) for label, model in KINDS],
    )
