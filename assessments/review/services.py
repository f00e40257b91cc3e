"""Services of the review workflow: submit, comment, return, approve, reopen.

Every move is a ReviewEvent. Approval freezes the brief (see freeze.py and tasks.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.content.selectors import AssessmentData
from assessments.jobs.services import job_create
from assessments.lens import lens_gaps
from assessments.models import Assessment, FrozenBrief, Job, Notification, ReviewEvent
from assessments.notifications.services import notify
from assessments.review.freeze import freeze
from assessments.review.selectors import freezing_pending
from assessments.review.threads import (  # noqa: F401  (the review's services, in one place)
    assessment_comment,
    comment_reopen,
    comment_reply,
    comment_resolve,
)

Status = Assessment.Status


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _record(assessment: Assessment, kind: str, user, note: str = "") -> ReviewEvent:
    event = ReviewEvent(assessment=assessment, kind=kind, actor=user, note=note)
    event.full_clean()
    event.save()
    return event


def _move(assessment: Assessment, status: str, user, **stamps) -> None:
    assessment.status = status
    for field, value in stamps.items():
        setattr(assessment, field, value)
    assessment._history_user = user
    assessment.full_clean()
    assessment.save()


def _require_status(assessment: Assessment, allowed: tuple, message: str) -> None:
    if assessment.status not in allowed:
        raise ValidationError(message % {"status": assessment.get_status_display().lower()})


def _require_supervisor(assessment: Assessment, user) -> None:
    if not permissions.is_supervisor_of(user, assessment):
        raise ValidationError(
            _("Only a supervisor of the team %(team)s may do this.")
            % {"team": assessment.team.name}
        )


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, user, site_url: str = ""
) -> tuple[Assessment, list[str]]:
    """Send for review. Lens-check gaps do not block; they are returned as a warning."""
    assessment = _locked(assessment)
    if not permissions.can_author(user, assessment):
        raise ValidationError(_("Only the owner or a collaborator may submit this assessment."))
    _require_status(
        assessment,
        Assessment.EDITABLE_STATUSES,
        _("This assessment is already %(status)s; it cannot be submitted again."),
    )
    gaps = lens_gaps(AssessmentData(assessment))
    note = (_("Submitted with %(n)d lens-check gap(s).") % {"n": len(gaps)}) if gaps else ""
    _move(assessment, Status.SUBMITTED, user, submitted_at=timezone.now())
    _record(assessment, ReviewEvent.Kind.SUBMITTED, user, note)
    notify(assessment=assessment, kind=Notification.Kind.SUBMITTED, actor=user, site_url=site_url)
    return assessment, gaps


def _require_not_involved(assessment: Assessment, user, action: str) -> None:
    # Separation of duties, from the history: whoever ever owned, collaborated on,
    # submitted or changed any part of it may not judge it, superusers included.
    if permissions.has_worked_on(user, assessment):
        raise ValidationError(
            _(
                "You have owned, collaborated on, submitted or changed this assessment, so "
                "you cannot %(action)s it: another supervisor must review it (separation "
                "of duties)."
            )
            % {"action": action}
        )


@transaction.atomic
def assessment_return(*, assessment: Assessment, user, note: str, site_url: str = "") -> Assessment:
    """Send back to the authors with what to change."""
    assessment = _locked(assessment)
    _require_supervisor(assessment, user)
    _require_not_involved(assessment, user, _("return"))
    _require_status(
        assessment,
        (Status.SUBMITTED,),
        _("Only a submitted assessment can be returned; this one is %(status)s."),
    )
    if not note.strip():
        raise ValidationError({"note": _("Say what needs to change before it can be approved.")})
    _move(assessment, Status.RETURNED, user)
    _record(assessment, ReviewEvent.Kind.RETURNED, user, note.strip())
    notify(assessment=assessment, kind=Notification.Kind.RETURNED, actor=user, site_url=site_url)
    return assessment


@transaction.atomic
def assessment_approve(
    *, assessment: Assessment, user, note: str = "", site_url: str = ""
) -> Assessment:
    """Approve and freeze: the decision and a JSON snapshot of exactly what was approved
    are recorded here; the brief is rendered from it in the background (review/tasks.py),
    so the row lock is held for milliseconds, not for a rendering."""
    from assessments.interchange.document import assessment_document, document_bytes

    assessment = _locked(assessment)
    _require_supervisor(assessment, user)
    _require_not_involved(assessment, user, _("approve"))
    _require_status(
        assessment,
        (Status.SUBMITTED,),
        _("Only a submitted assessment can be approved; this one is %(status)s."),
    )
    _move(assessment, Status.APPROVED, user, approved_at=timezone.now())
    event = _record(assessment, ReviewEvent.Kind.APPROVED, user, note.strip())
    snapshot = document_bytes(assessment_document(AssessmentData(assessment)))
    job_create(
        kind=Job.Kind.FREEZE,
        user=user,
        assessment=assessment,
        approval=event,
        snapshot=snapshot.decode("utf-8"),
        params={"language": translation.get_language() or settings.LANGUAGE_CODE},
    )
    notify(assessment=assessment, kind=Notification.Kind.APPROVED, actor=user, site_url=site_url)
    return assessment


@transaction.atomic
def frozen_brief_save(*, approval: ReviewEvent, pdf: bytes, snapshot: str) -> FrozenBrief:
    """Store and sign what an approval froze (called by the freezing task, in its
    transaction)."""
    return freeze(
        assessment=approval.assessment,
        approval=approval,
        pdf=pdf,
        snapshot=snapshot.encode("utf-8"),
    )


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user, note: str, site_url: str = "") -> Assessment:
    """Unfreeze an approved assessment so it can change again; the reason is recorded and
    the frozen brief of the earlier approval is kept."""
    assessment = _locked(assessment)
    _require_supervisor(assessment, user)
    _require_status(
        assessment,
        (Status.APPROVED,),
        _("Only an approved assessment can be reopened; this one is %(status)s."),
    )
    if not note.strip():
        raise ValidationError({"note": _("Say why the approved assessment is reopened.")})
    if freezing_pending(assessment):
        # The brief is rendered from the assessment as approved: it may not change first.
        raise ValidationError(
            _(
                "The approved brief is still being prepared. Reopen the assessment once "
                "it is frozen, in a moment."
            )
        )
    _move(assessment, Status.RETURNED, user, approved_at=None)
    _record(assessment, ReviewEvent.Kind.REOPENED, user, note.strip())
    notify(assessment=assessment, kind=Notification.Kind.REOPENED, actor=user, site_url=site_url)
    return assessment
