"""Writes to the content of an assessment: answers, groups, threats (their number,
scales, tags and indicators are in threat_parts.py) and responses. Every write checks
the status (under a row lock) and the version it started from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from assessments import fields, limits
from assessments.content.threat_parts import (
    next_threat_number,
    set_indicators,
    set_tags,
    validate_scales,
)
from assessments.core.services import (
    assert_editable,
    check_version,
    log_links,
    save_validated,
    touch,
)
from assessments.evidence.citations import set_citations
from assessments.models import (
    Answer,
    Assessment,
    LinkChange,
    PopulationGroup,
    Response,
    Threat,
)
from frameworks.models import Dimension, Section


def _text_at(answer: Answer, version: int) -> str | None:
    past = answer.history.filter(version=version).order_by("-history_id").first()
    return past.text if past is not None else None


@transaction.atomic
def section_save(
    *,
    assessment: Assessment,
    section: Section,
    user,
    texts: dict[str, str],
    versions: dict[str, int],
    citations: dict[str, list] | None = None,
) -> tuple[int, list[dict]]:
    """Save the answers of one section. `texts` and `versions` are keyed by prompt key;
    `versions` holds the version each text was based on (0: there was no answer yet).

    Only prompts whose text the person changed are written, so two people working on
    different prompts never conflict. Returns (number saved, conflicts); a conflict is
    {"prompt", "mine", "current"} and leaves that answer as it was.
    """
    assert_editable(assessment)
    if section.version_id != assessment.framework_version_id:
        raise ValidationError(_("This section belongs to another framework version."))
    prompts = {p.key: p for p in section.prompts.all()}
    unknown = set(texts) - set(prompts)
    if unknown:
        raise ValidationError(_("Unknown prompts: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    stored = {
        a.prompt_id: a
        for a in Answer.objects.select_for_update().filter(
            assessment=assessment, prompt__in=prompts.values()
        )
    }
    saved, conflicts = 0, []
    for key, text in texts.items():
        prompt = prompts[key]
        base = versions.get(key, 0)
        answer = stored.get(prompt.pk)
        current_text = answer.text if answer else ""
        current_version = answer.version if answer else 0
        if text == current_text:
            continue
        if base != current_version:
            # Someone else saved since. If this person left the prompt as it was when
            # they loaded it, their form simply carries the old text: keep the newer one.
            base_text = "" if base == 0 else (_text_at(answer, base) if answer else None)
            if base_text is not None and text == base_text:
                continue
            conflicts.append({"prompt": prompt, "mine": text, "current": answer})
            continue
        if answer is None:
            answer = Answer(assessment=assessment, prompt=prompt, text=text, updated_by=user)
        else:
            answer.text = text
            answer.version += 1
            answer.updated_by = user
        try:
            with transaction.atomic():
                # The unique index, not a pre-check, decides between two first answers
                # saved at once: the loser gets an IntegrityError, shown as a conflict.
                save_validated(answer, user, validate_constraints=False)
        except IntegrityError:
            # Another first answer to the same prompt landed between our read and write.
            answer = Answer.objects.get(assessment=assessment, prompt=prompt)
            conflicts.append({"prompt": prompt, "mine": text, "current": answer})
            continue
        saved += 1
    cited = _cite_from_answers(assessment, prompts, citations or {}, conflicts)
    if saved or cited:
        touch(assessment)
    return saved, conflicts


def _cite_from_answers(assessment, prompts, citations: dict, conflicts: list) -> int:
    """Set the sources each answer cites (an empty answer cites nothing); a prompt in
    conflict keeps its citations until the person saves again."""
    held = {c["prompt"].key for c in conflicts}
    answers = {
        a.prompt_id: a
        for a in Answer.objects.filter(assessment=assessment, prompt__in=prompts.values())
    }
    changed = 0
    for key, sources in citations.items():
        answer = answers.get(prompts[key].pk) if key in prompts else None
        if answer is None or key in held:
            continue
        if {s.pk for s in sources} != set(answer.sources.values_list("pk", flat=True)):
            set_citations(answer, sources, assessment=assessment)
            changed += 1
    return changed


GROUP_FIELDS = fields.plain(fields.GROUP)


def _check_room(items, kind: str) -> None:
    """Refuse a new item when the assessment holds its kind's cap already. The caller
    holds the assessment's row lock (assert_editable), so two creates cannot both fit."""
    limits.check_count(kind, items.count() + 1)


def _write_item(item, *, model, assessment: Assessment, user, base_version: int, names, fields):
    """Save one item of the assessment: a new one as given, an existing one locked and
    checked against the version the person started from (EditConflict if it moved on)."""
    if item.pk is not None:
        item = model.objects.select_for_update().get(pk=item.pk, assessment=assessment)
        check_version(item, base_version)
        item.version += 1
    for name in names:
        if name in fields:
            setattr(item, name, fields[name])
    save_validated(item, user)
    return item


def _moved_on(model, ids: set[int]) -> None:
    """A threat's groups and a group's threats are one set of links, edited from both
    forms. When one side changes them, the version of each item on the other side whose
    links changed moves on too: its form, if open, then comes back as a conflict instead
    of setting its stale links over the new ones."""
    if ids:
        model.objects.filter(pk__in=ids).update(version=F("version") + 1)


@transaction.atomic
def group_save(
    *,
    assessment: Assessment,
    user,
    group: PopulationGroup | None = None,
    base_version: int = 0,
    threats: Iterable[Threat] | None = None,
    **fields: Any,
) -> PopulationGroup:
    """Create or update a group; `threats` (when given) are the threats affecting it, the
    same links as each threat's affected groups, set from the group's side."""
    assert_editable(assessment)
    if threats is not None:
        threats = list(threats)
        if any(t.assessment_id != assessment.pk for t in threats):
            raise ValidationError({"threats": _("Choose threats of this assessment.")})
    if group is None:
        _check_room(assessment.groups, "groups")
    group = _write_item(
        group or PopulationGroup(assessment=assessment),
        model=PopulationGroup,
        assessment=assessment,
        user=user,
        base_version=base_version,
        names=GROUP_FIELDS,
        fields=fields,
    )
    if threats is not None:
        before = set(group.threats.values_list("pk", flat=True))
        after = {t.pk for t in threats}
        group.threats.set(threats)
        _moved_on(Threat, before ^ after)
        log_links(
            assessment=assessment,
            relation=LinkChange.Relation.THREAT_GROUPS,
            user=user,
            before={(pk, group.pk) for pk in before},
            after={(pk, group.pk) for pk in after},
        )
    touch(assessment)
    return group


@transaction.atomic
def _delete_item(item, *, assessment: Assessment, user) -> None:
    """Delete one item of the assessment, recorded in its history as this person's."""
    assert_editable(assessment)
    item._history_user = user
    item.delete()
    touch(assessment)


def group_delete(*, assessment: Assessment, group: PopulationGroup, user) -> None:
    _delete_item(group, assessment=assessment, user=user)


THREAT_FIELDS = fields.plain(fields.THREAT)


@transaction.atomic
def threat_save(
    *,
    assessment: Assessment,
    user,
    threat: Threat | None = None,
    base_version: int = 0,
    affected_groups: Iterable[PopulationGroup] = (),
    further_dimensions: Iterable[Dimension] = (),
    tags: dict[int, str] | None = None,
    indicators: list[dict[str, Any]] | None = None,
    number: int | None = None,
    sources: Iterable | None = None,
    **fields: Any,
) -> Threat:
    """Create or update a threat with its component tags ({component id: rationale}) and
    indicators ([{"id"?: int, "delete"?: bool, name, kind, ...}]), and its further
    dimensions (of the framework version, other than the primary). A new threat gets the
    next number (T1, T2 …), or `number` (an import keeping its document's numbers) when
    it is free; a number is never given twice."""
    assert_editable(assessment)
    version = assessment.framework_version
    dimension = fields.get("dimension")
    if dimension is not None and dimension.version_id != version.pk:
        raise ValidationError(
            {"dimension": _("Choose a dimension of this assessment's framework.")}
        )
    errors = validate_scales(
        version, {k: fields[k] for k in ("likelihood", "severity", "urgency") if k in fields}
    )
    further = list(further_dimensions)
    primary_id = dimension.pk if dimension is not None else getattr(threat, "dimension_id", None)
    if any(d.version_id != version.pk for d in further):
        errors["further_dimensions"] = _("Choose dimensions of this assessment's framework.")
    elif primary_id is not None and any(d.pk == primary_id for d in further):
        errors["further_dimensions"] = _(
            "The primary dimension cannot also be a further one: untick it here."
        )
    if errors:
        raise ValidationError(errors)
    groups = list(affected_groups)
    if any(g.assessment_id != assessment.pk for g in groups):
        raise ValidationError({"affected_groups": _("Choose groups of this assessment.")})
    new = threat is None
    if new:
        _check_room(assessment.threats, "threats")
        threat = Threat(assessment=assessment, number=next_threat_number(assessment, number))
    threat = _write_item(
        threat,
        model=Threat,
        assessment=assessment,
        user=user,
        base_version=base_version,
        names=THREAT_FIELDS,
        fields=fields,
    )
    before = set() if new else set(threat.affected_groups.values_list("pk", flat=True))
    threat.affected_groups.set(groups)
    _moved_on(PopulationGroup, before ^ {g.pk for g in groups})
    before_further = set() if new else set(threat.further_dimensions.values_list("pk", flat=True))
    threat.further_dimensions.set(further)
    _log_own_links(
        threat,
        assessment,
        user,
        {
            LinkChange.Relation.THREAT_GROUPS: (before, groups),
            LinkChange.Relation.THREAT_DIMENSIONS: (before_further, further),
        },
    )
    set_citations(threat, sources, assessment=assessment)
    if tags is not None:
        set_tags(threat, version, tags, user)
    if indicators is not None:
        set_indicators(threat, indicators, user)
    touch(assessment)
    return threat


def _log_own_links(item, assessment, user, links: dict[str, tuple[set[int], list]]) -> None:
    """Log the links an item changed from its own form: {relation: (ids before, now)}."""
    for relation, (before, now) in links.items():
        log_links(
            assessment=assessment,
            relation=relation,
            user=user,
            before={(item.pk, pk) for pk in before},
            after={(item.pk, other.pk) for other in now},
        )


def threat_delete(*, assessment: Assessment, threat: Threat, user) -> None:
    _delete_item(threat, assessment=assessment, user=user)


RESPONSE_FIELDS = fields.plain(fields.RESPONSE)


@transaction.atomic
def response_save(
    *,
    assessment: Assessment,
    user,
    response: Response | None = None,
    base_version: int = 0,
    threats: Iterable[Threat] = (),
    groups: Iterable[PopulationGroup] = (),
    sources: Iterable | None = None,
    **fields: Any,
) -> Response:
    """Create or update a response with the threats it addresses and the groups it serves."""
    assert_editable(assessment)
    threats = list(threats)
    if any(t.assessment_id != assessment.pk for t in threats):
        raise ValidationError({"threats": _("Choose threats of this assessment.")})
    groups = list(groups)
    if any(g.assessment_id != assessment.pk for g in groups):
        raise ValidationError({"groups": _("Choose groups of this assessment.")})
    new = response is None
    if new:
        _check_room(assessment.responses, "responses")
    response = _write_item(
        response or Response(assessment=assessment),
        model=Response,
        assessment=assessment,
        user=user,
        base_version=base_version,
        names=RESPONSE_FIELDS,
        fields=fields,
    )
    if new:
        before_threats, before_groups = set(), set()
    else:
        before_threats = set(response.threats.values_list("pk", flat=True))
        before_groups = set(response.groups.values_list("pk", flat=True))
    response.threats.set(threats)
    response.groups.set(groups)
    _log_own_links(
        response,
        assessment,
        user,
        {
            LinkChange.Relation.RESPONSE_THREATS: (before_threats, threats),
            LinkChange.Relation.RESPONSE_GROUPS: (before_groups, groups),
        },
    )
    set_citations(response, sources, assessment=assessment)
    touch(assessment)
    return response


def response_delete(*, assessment: Assessment, response: Response, user) -> None:
    _delete_item(response, assessment=assessment, user=user)
