"""Reads for moving an assessment to a newer framework version: what the move would do.

Items are matched by key (the studio fixes keys once published): an answer follows its
prompt's key; a prompt whose wording changed is carried over and flagged for a look; an
answer whose prompt the new version removed stays where it is and is shown as an answer
to a retired prompt. Threats follow their dimension's key, tags their component's key;
a threat whose dimension is gone, a tag whose component is gone and a score above the
new scale's top block the move until they are settled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment, Comment, ComponentTag, ReviewEvent, Threat
from assessments.models.upgrade import VersionMove
from frameworks.compare import word_diff
from frameworks.models import Dimension, FrameworkVersion, Prompt
from frameworks.selectors import scales_of, version_with_content

CARRIED, REWORDED, RETIRED = "carried", "reworded", "retired"
SCORES = ("likelihood", "severity", "urgency")


def newer_versions(assessment: Assessment) -> QuerySet:
    """Published versions of the assessment's framework newer than the one it uses."""
    current = assessment.framework_version
    return (
        FrameworkVersion.objects.published()
        .filter(framework_id=current.framework_id, number__gt=current.number)
        .order_by("-number")
    )


def retired_answers(assessment: Assessment) -> list[Answer]:
    """Answers to prompts that are not in the assessment's version (kept after a move)."""
    return list(
        Answer.objects.filter(assessment=assessment)
        .exclude(prompt__section__version_id=assessment.framework_version_id)
        .select_related("prompt__section__version")
        .order_by("prompt__section__version__number", "prompt__section__order", "prompt__order")
    )


def latest_move(assessment: Assessment) -> VersionMove | None:
    return (
        VersionMove.objects.filter(assessment=assessment)
        .select_related("from_version", "to_version", "by")
        .first()
    )


def undo_refusal(move: VersionMove | None, assessment: Assessment) -> str:
    """Why this move can no longer be undone ("" when it can)."""
    if move is None:
        return _("There is no move to undo.")
    if move.undone_at is not None:
        return _("This move was already undone.")
    if assessment.framework_version_id != move.to_version_id:
        return _("The assessment has moved again since.")
    submitted = ReviewEvent.objects.filter(
        assessment=assessment, kind=ReviewEvent.Kind.SUBMITTED, created_at__gt=move.at
    ).exists()
    if submitted or not assessment.is_editable_status:
        return _("The assessment was submitted after the move, so the move stays.")
    return ""


@dataclass
class AnswerStep:
    answer: Answer
    old: Prompt
    new: Prompt | None
    outcome: str  # carried, reworded, retired
    diff: list = field(default_factory=list)


@dataclass
class ThreatStep:
    threat: Threat
    old: Dimension
    new: Dimension | None
    renamed: bool = False


@dataclass
class Plan:
    assessment: Assessment
    from_version: FrameworkVersion
    to_version: FrameworkVersion
    answers: list[AnswerStep]
    threats: list[ThreatStep]
    tags: list[tuple[ComponentTag, object]]  # (tag, new component or None)
    comments: list[tuple[Comment, object]]  # (comment, new section or None)
    scores: list[dict]  # a score with no place on the new scale, or a relabelled one
    added_prompts: list[Prompt]

    @property
    def blockers(self) -> list[str]:
        problems = []
        for step in self.threats:
            if step.new is None:
                problems.append(
                    _("Threat “%(t)s”: its dimension “%(d)s” is not in v%(n)d; choose another.")
                    % {"t": step.threat.title, "d": step.old.name, "n": self.to_version.number}
                )
        for tag, component in self.tags:
            if component is None:
                problems.append(
                    _("Threat “%(t)s” is tagged “%(c)s”, which v%(n)d removed.")
                    % {"t": tag.threat.title, "c": tag.component.name, "n": self.to_version.number}
                )
        for score in self.scores:
            if score["blocked"]:
                problems.append(
                    _(
                        "Threat “%(t)s”: %(scale)s %(v)d is above the top of the new scale "
                        "(%(top)d); rate it again before the move."
                    )
                    % score
                )
        return problems


def _content(version: FrameworkVersion) -> FrameworkVersion:
    return version_with_content(FrameworkVersion.objects.filter(pk=version.pk)).get()


def move_plan(
    assessment: Assessment, to_version: FrameworkVersion, reassign: dict[int, int] | None = None
) -> Plan:
    """What moving `assessment` to `to_version` does to each answer, threat, tag, score and
    comment. `reassign` maps a threat id to a dimension id of `to_version`."""
    old = _content(assessment.framework_version)
    new = _content(to_version)
    new_prompts = {p.key: p for s in new.sections.all() for p in s.prompts.all()}
    old_keys = {p.key for s in old.sections.all() for p in s.prompts.all()}
    new_dims = {d.key: d for d in new.dimensions.all()}
    dims_by_pk = {d.pk: d for d in new.dimensions.all()}
    new_components = {c.key: c for c in new.components.all()}
    new_sections = {s.key: s for s in new.sections.all()}
    answers = []
    for answer in (
        Answer.objects.filter(assessment=assessment, prompt__section__version=old)
        .select_related("prompt__section")
        .order_by("prompt__section__order", "prompt__order")
    ):
        target = new_prompts.get(answer.prompt.key)
        if target is None:
            answers.append(AnswerStep(answer, answer.prompt, None, RETIRED))
        elif (target.text, target.help) != (answer.prompt.text, answer.prompt.help):
            diff = word_diff(answer.prompt.text, target.text)
            answers.append(AnswerStep(answer, answer.prompt, target, REWORDED, diff))
        else:
            answers.append(AnswerStep(answer, answer.prompt, target, CARRIED))
    threats = list(
        Threat.objects.filter(assessment=assessment)
        .select_related("dimension")
        .prefetch_related("tags__component")
        .order_by("id")
    )
    threat_steps, tags, scores = [], [], []
    new_scales = scales_of(new)
    old_scales = scales_of(old)
    for threat in threats:
        chosen = (reassign or {}).get(threat.pk)
        target = dims_by_pk.get(chosen) if chosen else new_dims.get(threat.dimension.key)
        renamed = target is not None and target.name != threat.dimension.name
        threat_steps.append(ThreatStep(threat, threat.dimension, target, renamed))
        for tag in threat.tags.all():
            tags.append((tag, new_components.get(tag.component.key)))
        for scale in SCORES:
            value = getattr(threat, scale)
            levels = new_scales[scale]
            old_label = next((lv.label for lv in old_scales[scale] if lv.value == value), "")
            new_label = next((lv.label for lv in levels if lv.value == value), "")
            if value > len(levels) or old_label != new_label:
                scores.append(
                    {
                        "t": threat.title,
                        "scale": scale,
                        "v": value,
                        "top": len(levels),
                        "old": old_label,
                        "new": new_label,
                        "blocked": value > len(levels),
                    }
                )
    comments = [
        (comment, new_sections.get(comment.section.key))
        for comment in Comment.objects.filter(
            assessment=assessment, section__version=old
        ).select_related("section")
    ]
    added = [p for key, p in new_prompts.items() if key not in old_keys]
    return Plan(assessment, old, new, answers, threat_steps, tags, comments, scores, added)
