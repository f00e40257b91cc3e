"""Review in place: threads of comments on the assessment, a section, an answer or an
item (group, threat, response, source), replies by either side, resolving and reopening.

A reviewer (a supervisor of the team) starts a thread; the authors and the team's
supervisors reply; either side resolves or reopens it. Each new comment tells the other
side (notifications.services.thread_recipients)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.models import (
    Assessment,
    Comment,
    Notification,
    PopulationGroup,
    Response,
    ReviewEvent,
    Source,
    Threat,
)
from assessments.notifications.services import notify, thread_recipients
from frameworks.models import Prompt, Section


def _check_targets(assessment: Assessment, section, prompt, items: dict) -> None:
    chosen = [name for name, item in items.items() if item is not None]
    if len(chosen) + (prompt is not None) > 1:
        raise ValidationError(_("A thread is about one thing at a time."))
    if section is not None and section.version_id != assessment.framework_version_id:
        raise ValidationError({"section": _("Choose a section of this assessment.")})
    if prompt is not None and prompt.section.version_id != assessment.framework_version_id:
        raise ValidationError(_("Choose a question of this assessment."))
    for item in items.values():
        if item is not None and item.assessment_id != assessment.pk:
            raise ValidationError(_("Choose an item of this assessment."))


def _where(comment: Comment) -> str:
    target = comment.threat or comment.group or comment.response or comment.source
    if target is not None:
        return str(target)
    if comment.prompt is not None:
        return comment.prompt.section.title
    return comment.section.title if comment.section else _("the assessment")


@transaction.atomic
def assessment_comment(
    *,
    assessment: Assessment,
    user,
    text: str,
    section: Section | None = None,
    prompt: Prompt | None = None,
    group: PopulationGroup | None = None,
    threat: Threat | None = None,
    response: Response | None = None,
    source: Source | None = None,
    site_url: str = "",
) -> Comment:
    """Start a thread: a reviewer's remark on the whole assessment, a section, an answer
    (its prompt) or one item."""
    if not permissions.can_comment(user, assessment):
        raise ValidationError(_("Only a supervisor of the team may comment."))
    items = {"group": group, "threat": threat, "response": response, "source": source}
    _check_targets(assessment, section, prompt, items)
    if prompt is not None:
        section = prompt.section
    comment = Comment(
        assessment=assessment, author=user, text=text.strip(), section=section, prompt=prompt
    )
    for name, item in items.items():
        setattr(comment, name, item)
    comment.full_clean()
    comment.save()
    # The trail says where; the text is in the thread (showing it twice confused people).
    _record(assessment, user, _where(comment))
    _tell_other_side(comment, user, site_url)
    return comment


def _tell_other_side(comment: Comment, user, site_url: str) -> None:
    notify(
        assessment=comment.assessment,
        kind=Notification.Kind.COMMENTED,
        actor=user,
        site_url=site_url,
        recipients=thread_recipients(comment, user),
    )


def _record(assessment: Assessment, user, where: str) -> None:
    event = ReviewEvent(
        assessment=assessment, kind=ReviewEvent.Kind.COMMENTED, actor=user, note=where
    )
    event.full_clean()
    event.save()


@transaction.atomic
def comment_reply(*, comment: Comment, user, text: str, site_url: str = "") -> Comment:
    """Answer in a thread (a reply to a reply joins the same thread)."""
    root = comment.parent or comment
    assessment = root.assessment
    if not permissions.can_reply(user, assessment):
        raise ValidationError(_("Only the authors and the team's supervisors reply in threads."))
    reply = Comment(assessment=assessment, author=user, text=text.strip(), parent=root)
    reply.full_clean()
    reply.save()
    _tell_other_side(reply, user, site_url)
    return reply


def _root_for_resolution(comment: Comment, user) -> Comment:
    if not permissions.can_resolve_comment(user, comment.assessment):
        raise ValidationError(_("You may not resolve comments on this assessment."))
    return Comment.objects.select_for_update().get(pk=(comment.parent_id or comment.pk))


@transaction.atomic
def comment_resolve(*, comment: Comment, user) -> Comment:
    """Close a thread (either side may)."""
    root = _root_for_resolution(comment, user)
    if root.resolved_at is not None:
        raise ValidationError(_("This comment is already resolved."))
    root.resolved_at = timezone.now()
    root.resolved_by = user
    root.full_clean()
    root.save(update_fields=["resolved_at", "resolved_by"])
    return root


@transaction.atomic
def comment_reopen(*, comment: Comment, user) -> Comment:
    """Open a resolved thread again (either side may)."""
    root = _root_for_resolution(comment, user)
    if root.resolved_at is None:
        raise ValidationError(_("This thread is already open."))
    root.resolved_at = None
    root.resolved_by = None
    root.full_clean()
    root.save(update_fields=["resolved_at", "resolved_by"])
    return root
