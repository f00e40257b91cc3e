"""Telling people what happened in the review of an assessment: a Notification for each
(the bell) and, unless they turned it off, an email in their language.

Who is told: a submission, the team's supervisors who may decide on it (separation of
duties: none who had a hand in it); a return, approval, reopening or comment, its
authors (owner and collaborators). Never the person who acted, never anyone outside the
team. The email says what happened, to which assessment (its title) and by whom, with a
link: nothing of the content, nor the comment or the note, which stay behind the
sign-in. It is sent by hsassess.mail.send_later after the commit, in the background;
and a notification that cannot be recorded is logged, never a failed review move."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from assessments import permissions
from assessments.models import Assessment, Comment, Membership, Notification, NotificationSettings
from hsassess.mail import send_later

logger = logging.getLogger(__name__)

Kind = Notification.Kind

SUBJECTS = {
    Kind.SUBMITTED: _("Submitted for your review: %(title)s"),
    Kind.RETURNED: _("Returned to you: %(title)s"),
    Kind.APPROVED: _("Approved: %(title)s"),
    Kind.REOPENED: _("Reopened: %(title)s"),
    Kind.COMMENTED: _("New comment on %(title)s"),
    Kind.CROSSED: _("Early-warning threshold crossed: %(title)s"),
}

# Where the link in the email and the bell leads, by kind (the overview otherwise).
PAGES = {
    Kind.SUBMITTED: "assessments:review",
    Kind.CROSSED: "assessments:monitoring",
    Kind.COMMENTED: "assessments:threads",
}


def recipients_for(assessment: Assessment, kind: str) -> list:
    """Who is told of this kind of event (the actor is left out by notify)."""
    if kind == Kind.SUBMITTED:
        return permissions.eligible_supervisors(assessment)
    authors = [assessment.owner, *assessment.collaborators.all()]
    if kind == Kind.CROSSED:  # monitoring: the team's supervisors follow it too
        supervisors = Membership.objects.filter(
            team_id=assessment.team_id, role=Membership.Role.SUPERVISOR
        ).select_related("user")
        return [*authors, *(m.user for m in supervisors)]
    return authors


def thread_recipients(comment: Comment, actor) -> list:
    """Who is told of a comment or reply: the other side. An author writes: the team's
    supervisors who wrote in the thread and those who may decide; a reviewer writes: the
    authors."""
    assessment = comment.assessment
    authors = [assessment.owner, *assessment.collaborators.all()]
    if not any(a.pk == actor.pk for a in authors):
        return authors
    root = comment.parent or comment
    writers = {root.author_id, *root.replies.values_list("author_id", flat=True)}
    in_thread = Membership.objects.filter(
        team_id=assessment.team_id, role=Membership.Role.SUPERVISOR, user_id__in=writers
    ).select_related("user")
    return [*(m.user for m in in_thread), *permissions.eligible_supervisors(assessment)]


def notify(
    *, assessment: Assessment, kind: str, actor, site_url: str = "", recipients=None
) -> list[Notification]:
    """Record and send the notifications of one event (to `recipients` if given, else
    to those recipients_for names). Never raises: a failure is logged and the review
    move it follows stands."""
    try:
        with transaction.atomic():
            return _notify(
                assessment=assessment,
                kind=kind,
                actor=actor,
                site_url=site_url,
                recipients=recipients,
            )
    except Exception:
        logger.exception("Could not notify about %s of assessment %s.", kind, assessment.pk)
        return []


def _notify(
    *, assessment: Assessment, kind: str, actor, site_url: str, recipients
) -> list[Notification]:
    site_url = site_url or settings.SITE_URL
    members = set(
        Membership.objects.filter(team_id=assessment.team_id).values_list("user_id", flat=True)
    )
    people = {
        user.pk: user
        for user in (recipients_for(assessment, kind) if recipients is None else recipients)
        if (actor is None or user.pk != actor.pk) and user.is_active and user.pk in members
    }
    rows = Notification.objects.bulk_create(
        Notification(recipient=user, assessment=assessment, kind=kind, actor=actor)
        for user in people.values()
    )
    choices = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=people)}
    for user in people.values():
        chosen = choices.get(user.pk)
        if chosen is not None and not chosen.email:
            continue
        _email(user, assessment, kind, actor, site_url, (chosen and chosen.language) or "")
    return rows


def _email(user, assessment: Assessment, kind: str, actor, site_url: str, language: str) -> None:
    where = PAGES.get(kind, "assessments:detail")
    with translation.override(language or settings.LANGUAGE_CODE):
        send_later(
            to=[user.email],
            subject=str(SUBJECTS[kind]) % {"title": assessment.title},
            template="assessments/email/notification",
            context={
                "kind": Kind(kind).label,
                "title": assessment.title,
                "actor": actor.get_username() if actor else _("hsassess"),
                "link": site_url + reverse(where, args=[assessment.pk]),
                "settings_link": site_url + reverse("assessments:notification_settings"),
            },
        )


@transaction.atomic
def notification_read(*, notification: Notification, user) -> Notification:
    """Mark one of this person's notifications read (someone else's is not found)."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_settings_save(*, user, email: bool, language: str = "") -> NotificationSettings:
    chosen, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    chosen.email = email
    chosen.language = language
    chosen.full_clean()
    chosen.save()
    return chosen


@transaction.atomic
def language_preference_save(*, user, language: str) -> NotificationSettings:
    """The person's language, for the interface and their emails (the language switch
    saves it for a signed-in person)."""
    chosen, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    chosen.language = language
    chosen.full_clean()
    chosen.save(update_fields=["language"])
    return chosen
