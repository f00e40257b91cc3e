"""What changed since the assessment was last returned: the reviewer's view of a
resubmission (/assessments/<id>/changes/).

A selector, read from the history django-simple-history already keeps: the state of each
answer, group, threat (with its component tags), response and source at the moment of the
last RETURNED review event is compared with now. Texts are compared word by word
(difflib); other fields show before and after; items are added, removed or changed.
Many-to-many links (a threat's affected groups and further dimensions, a response's
threats and the groups it serves) are not in the history: the content's services log each
link added or removed (LinkChange, since migration 0018), and the links then are the links
now with the log's rows after the return undone, newest first. They are compared for the
threats and responses that stood then and still stand, by the names shown (a further
dimension that only followed a framework-version move shows no change); links changed
before migration 0018 were not logged, and the links of a group deleted since drop out
without a row (its removal shows). A group's ages are fields (migration 0016 turned the
history's bands into ranges too, so no change shows that nobody made)."""

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
    LinkChange,
    PopulationGroup,
    Response,
    ReviewEvent,
    Source,
    Threat,
)
from frameworks.i18n import text as fw_text
from frameworks.models import Dimension

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


# The logged links by relation: the many-to-many field, read from its owner's side.
LINKS = {
    LinkChange.Relation.THREAT_GROUPS: Threat.affected_groups.field,
    LinkChange.Relation.THREAT_DIMENSIONS: Threat.further_dimensions.field,
    LinkChange.Relation.RESPONSE_THREATS: Response.threats.field,
    LinkChange.Relation.RESPONSE_GROUPS: Response.groups.field,
}

Links = dict[str, dict[int, set[int]]]  # relation -> item id -> ids linked


def links_then_and_now(assessment: Assessment, when) -> tuple[Links, Links]:
    """Every logged link of the assessment's threats and responses, at `when` and now:
    one query per relation for now, one for the log rows after `when` to undo."""
    now: Links = {}
    for relation, m2m in LINKS.items():
        owner, other = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        rows = m2m.remote_field.through.objects.filter(**{f"{owner}__assessment": assessment})
        sets = now[relation] = {}
        for item_id, other_id in rows.values_list(f"{owner}_id", f"{other}_id"):
            sets.setdefault(item_id, set()).add(other_id)
    then = {relation: {pk: set(ids) for pk, ids in sets.items()} for relation, sets in now.items()}
    log = LinkChange.objects.filter(assessment=assessment, at__gt=when).order_by("-at", "-id")
    for relation, item_id, other_id, added in log.values_list(
        "relation", "item_id", "other_id", "added"
    ):
        ids = then[relation].setdefault(item_id, set())
        # Added after `when`: it was not there then; removed after: it was.
        if added:
            ids.discard(other_id)
        else:
            ids.add(other_id)
    return then, now


def _names(queryset, ids: set[int], shown, order) -> dict[int, tuple]:
    """id -> (sort key, name) in one query, and one in the history for rows deleted since
    (a link removed after the return, then its other end deleted)."""
    if not ids:
        return {}
    found = {obj.pk: (order(obj), shown(obj)) for obj in queryset.filter(pk__in=ids)}
    missing = ids - set(found)
    history = getattr(queryset.model, "history", None)
    if missing and history is not None:
        records = history.filter(id__in=missing).order_by("id", "-history_date", "-history_id")
        for record in records:
            found.setdefault(record.id, (order(record), shown(record)))
    return found


def _listed(ids: set[int], known: dict[int, tuple]) -> str:
    named = [name for _key, name in sorted(known[pk] for pk in ids if pk in known)]
    return ", ".join(named + [f"#{pk}" for pk in sorted(ids - known.keys())])


def link_changes(assessment: Assessment, when) -> dict[tuple[type, int], list[FieldChange]]:
    """(Threat or Response, id) -> the links that differ between `when` and now, by name:
    groups and dimensions in alphabetical order, threats by number. A constant number of
    queries, whatever the number of items."""
    then, now = links_then_and_now(assessment, when)
    differing: dict[str, list[tuple[int, set[int], set[int]]]] = {}
    wanted: dict[type, set[int]] = {PopulationGroup: set(), Threat: set(), Dimension: set()}
    for relation, m2m in LINKS.items():
        for pk in set(then[relation]) | set(now[relation]):
            before, after = then[relation].get(pk, set()), now[relation].get(pk, set())
            if before != after:
                differing.setdefault(relation, []).append((pk, before, after))
                wanted[m2m.related_model] |= before | after
    names = {
        PopulationGroup: _names(
            PopulationGroup.objects.all(),
            wanted[PopulationGroup],
            shown=lambda g: g.name,
            order=lambda g: g.name.lower(),
        ),
        Threat: _names(
            Threat.objects.all(),
            wanted[Threat],
            shown=lambda t: f"T{t.number} {t.title}",
            order=lambda t: t.number,
        ),
        Dimension: _names(
            Dimension.objects.select_related("version"),
            wanted[Dimension],
            shown=lambda d: fw_text(d, "name")[0],
            order=lambda d: fw_text(d, "name")[0].lower(),
        ),
    }
    changes: dict[tuple[type, int], list[FieldChange]] = {}
    for relation, m2m in LINKS.items():
        known = names[m2m.related_model]
        label = str(m2m.verbose_name).capitalize()
        for pk, before, after in differing.get(relation, ()):
            old, new = _listed(before, known), _listed(after, known)
            if old != new:
                changes.setdefault((m2m.model, pk), []).append(
                    FieldChange(label, before=old, after=new)
                )
    return changes


def item_changes(
    model, assessment: Assessment, when, links: dict[tuple[type, int], list] | None = None
) -> list[ItemChange]:
    """Items of one kind added, removed or changed since `when`; `links` are the changed
    links of threats and responses (link_changes)."""
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
        fields.extend((links or {}).get((model, pk), ()))
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
    links = link_changes(assessment, when)
    return Changes(
        returned=returned,
        answers=answer_changes(assessment, when),
        items=[
            (str(label), item_changes(model, assessment, when, links)) for label, model in KINDS
        ],
    )
