"""Moving an assessment to a newer framework version, and undoing the move.

One transaction each; every changed row goes through save() so that it is in the field
history with its author, and the review trail gets a "moved" (or "move undone") event.
Nothing is deleted: answers to prompts the new version removed stay on the old prompt.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.core.services import log_links
from assessments.models import (
    Answer,
    Assessment,
    Comment,
    ComponentTag,
    LinkChange,
    ReviewEvent,
    Threat,
)
from assessments.models.upgrade import VersionMove
from assessments.upgrade.selectors import move_plan, undo_refusal
from frameworks.models import Component, Dimension, FrameworkVersion, Prompt, Section


def _record(assessment: Assessment, kind: str, user, note: str) -> None:
    event = ReviewEvent(assessment=assessment, kind=kind, actor=user, note=note)
    event.full_clean()
    event.save()


def _check(assessment: Assessment, user) -> None:
    if not permissions.can_edit(user, assessment):
        raise ValidationError(
            _("Only the owner and collaborators may move a draft or returned assessment.")
        )


def _repoint(obj, field: str, target_id: int, user) -> None:
    setattr(obj, f"{field}_id", target_id)
    if hasattr(obj, "version"):
        obj.version += 1  # an edit form opened before the move now meets a conflict
    obj._history_user = user
    obj.save()


def _follow_further_dimensions(
    assessment: Assessment, version: FrameworkVersion, user, back: dict | None = None
) -> dict[str, list[int]]:
    """Point the threats' further dimensions at `version`, by key; one the version lacks is
    dropped (a further dimension is a hint, not a blocker). `back` (an undo) gives each
    threat's further dimensions before the move. Returns {threat id: ids before}. The
    links changed go to the link log, so the changes page sees the links as they were
    (it compares the dimensions' names: a dimension that only moved shows no change)."""
    keys = {d.key: d.pk for d in Dimension.objects.filter(version=version)}
    before: dict[str, list[int]] = {}
    links = Threat.further_dimensions.through.objects.filter(threat__assessment=assessment)
    for link in links.select_related("dimension", "threat"):
        before.setdefault(str(link.threat_id), []).append(link.dimension_id)
    threats = Threat.objects.filter(assessment=assessment).prefetch_related("further_dimensions")
    for threat in threats:
        current = list(threat.further_dimensions.all())
        if back and str(threat.pk) in back:
            chosen = Dimension.objects.filter(pk__in=back[str(threat.pk)], version=version)
            wanted = {d.pk for d in chosen}
        else:
            wanted = {keys[d.key] for d in current if d.key in keys}
        wanted.discard(threat.dimension_id)
        if wanted != {d.pk for d in current}:
            threat.further_dimensions.set(wanted)
            log_links(
                assessment=assessment,
                relation=LinkChange.Relation.THREAT_DIMENSIONS,
                user=user,
                before={(threat.pk, d.pk) for d in current},
                after={(threat.pk, pk) for pk in wanted},
            )
    return before


@transaction.atomic
def assessment_move(
    *,
    assessment: Assessment,
    to_version: FrameworkVersion,
    user,
    reassign: dict[int, int] | None = None,
) -> VersionMove:
    """Point the assessment, its answers, threats, tags and section comments at
    `to_version` (matched by key); refuse, listing why, when something has no place."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _check(assessment, user)
    current = assessment.framework_version
    if (
        to_version.framework_id != current.framework_id
        or to_version.number <= current.number
        or to_version.status != FrameworkVersion.Status.PUBLISHED
    ):
        raise ValidationError(_("An assessment moves only to a newer published version."))
    plan = move_plan(assessment, to_version, reassign)
    if plan.blockers:
        raise ValidationError(plan.blockers)
    mapping: dict[str, dict[str, list[int]]] = {
        "answers": {},
        "threats": {},
        "tags": {},
        "comments": {},
        "further": {},
    }
    for step in plan.answers:
        if step.new is not None:
            mapping["answers"][str(step.answer.pk)] = [step.old.pk, step.new.pk]
            _repoint(step.answer, "prompt", step.new.pk, user)
    for step in plan.threats:
        if step.new.pk != step.old.pk:
            mapping["threats"][str(step.threat.pk)] = [step.old.pk, step.new.pk]
            _repoint(step.threat, "dimension", step.new.pk, user)
    for tag, component in plan.tags:
        mapping["tags"][str(tag.pk)] = [tag.component_id, component.pk]
        _repoint(tag, "component", component.pk, user)
    mapping["further"] = _follow_further_dimensions(assessment, to_version, user)
    for comment, section in plan.comments:
        if section is not None:  # a comment on a removed section stays on it
            mapping["comments"][str(comment.pk)] = [comment.section_id, section.pk]
            comment.section_id = section.pk
            comment.save(update_fields=["section"])
    assessment.framework_version = to_version
    assessment._history_user = user
    assessment.full_clean()
    assessment.save()
    move = VersionMove(
        assessment=assessment,
        from_version=current,
        to_version=to_version,
        by=user,
        mapping=mapping,
    )
    move.full_clean()
    move.save()
    retired = sum(1 for step in plan.answers if step.new is None)
    _record(
        assessment,
        ReviewEvent.Kind.MOVED,
        user,
        _("Framework v%(a)d → v%(b)d; %(r)d answer(s) kept under retired prompts.")
        % {"a": current.number, "b": to_version.number, "r": retired},
    )
    return move


@transaction.atomic
def move_undo(*, move: VersionMove, user) -> VersionMove:
    """Put back every pointer the move changed, until the assessment is next submitted.
    Things made after the move follow their keys back; if one has no counterpart in the
    old version (a threat on a dimension the old version lacks) the undo is refused."""
    assessment = Assessment.objects.select_for_update().get(pk=move.assessment_id)
    move = VersionMove.objects.select_for_update().get(pk=move.pk)
    _check(assessment, user)
    refusal = undo_refusal(move, assessment)
    if refusal:
        raise ValidationError(refusal)
    old = move.from_version
    old_dims = {d.key: d.pk for d in Dimension.objects.filter(version=old)}
    old_components = {c.key: c.pk for c in Component.objects.filter(version=old)}
    problems = []
    threat_back = {int(k): v[0] for k, v in move.mapping.get("threats", {}).items()}
    for threat in Threat.objects.filter(assessment=assessment).select_related("dimension"):
        if threat.dimension.version_id != move.to_version_id:
            continue
        target = threat_back.get(threat.pk) or old_dims.get(threat.dimension.key)
        if target is None:
            problems.append(
                _("Threat “%(t)s” uses the dimension “%(d)s”, which v%(n)d lacks.")
                % {"t": threat.title, "d": threat.dimension.name, "n": old.number}
            )
        else:
            _repoint(threat, "dimension", target, user)
    tag_back = {int(k): v[0] for k, v in move.mapping.get("tags", {}).items()}
    tags = ComponentTag.objects.filter(threat__assessment=assessment).select_related("component")
    for tag in tags:
        if tag.component.version_id != move.to_version_id:
            continue
        target = tag_back.get(tag.pk) or old_components.get(tag.component.key)
        if target is None:
            problems.append(
                _("A tag “%(c)s” has no counterpart in v%(n)d.")
                % {"c": tag.component.name, "n": old.number}
            )
        else:
            _repoint(tag, "component", target, user)
    if problems:
        raise ValidationError(problems)
    _follow_further_dimensions(assessment, old, user, back=move.mapping.get("further", {}))
    answer_back = {int(k): v[0] for k, v in move.mapping.get("answers", {}).items()}
    old_prompts = {p.key: p.pk for p in Prompt.objects.filter(section__version=old)}
    answers = Answer.objects.filter(
        assessment=assessment, prompt__section__version=move.to_version
    ).select_related("prompt")
    for answer in answers:
        # An answer written after the move to a prompt the old version lacks stays where
        # it is, shown as an answer to a retired prompt.
        target = answer_back.get(answer.pk) or old_prompts.get(answer.prompt.key)
        if target is not None:
            _repoint(answer, "prompt", target, user)
    for comment_id, (old_section, _new) in move.mapping.get("comments", {}).items():
        Comment.objects.filter(pk=int(comment_id), assessment=assessment).update(
            section=Section.objects.get(pk=old_section)
        )
    assessment.framework_version = old
    assessment._history_user = user
    assessment.full_clean()
    assessment.save()
    move.undone_at = timezone.now()
    move.undone_by = user
    move.save(update_fields=["undone_at", "undone_by"])
    _record(
        assessment,
        ReviewEvent.Kind.MOVE_UNDONE,
        user,
        _("Back to framework v%(a)d from v%(b)d.") % {"a": old.number, "b": move.to_version.number},
    )
    return move
