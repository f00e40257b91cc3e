"""Services of the review workflow: submit, comment, return, approve, reopen.

Every move is a ReviewEvent. Approval freezes the brief (see freeze.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.content.selectors import AssessmentData
from assessments.lens import lens_gaps
from assessments.models import Assessment, Comment, ReviewEvent
from assessments.review.freeze import freeze
from frameworks.models import Section

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
def assessment_submit(*, assessment: Assessment, user) -> tuple[Assessment, list[str]]:
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
    return assessment, gaps


@transaction.atomic
def assessment_comment(
    *, assessment: Assessment, user, text: str, section: Section | None = None
) -> Comment:
    """A reviewer's remark on the whole assessment or on one section."""
    if not permissions.can_comment(user, assessment):
        raise ValidationError(_("Only a supervisor of the team may comment."))
    if section is not None and section.version_id != assessment.framework_version_id:
        raise ValidationError({"section": _("Choose a section of this assessment.")})
    comment = Comment(assessment=assessment, author=user, text=text.strip(), section=section)
    comment.full_clean()
    comment.save()
    where = section.title if section else _("the assessment")
    _record(assessment, ReviewEvent.Kind.COMMENTED, user, f"{where}: {comment.text}")
    return comment


@transaction.atomic
def comment_resolve(*, comment: Comment, user) -> Comment:
    if not permissions.can_resolve_comment(user, comment.assessment):
        raise ValidationError(_("You may not resolve comments on this assessment."))
    if comment.resolved_at is not None:
        raise ValidationError(_("This comment is already resolved."))
    comment.resolved_at = timezone.now()
    comment.resolved_by = user
    comment.full_clean()
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


def _require_not_author(assessment: Assessment, user, action: str) -> None:
    if permissions.is_author(user, assessment):
        raise ValidationError(
            _(
                "You own or collaborate on this assessment, so you cannot %(action)s it: "
                "another supervisor must review it (separation of duties)."
            )
            % {"action": action}
        )


@transaction.atomic
def assessment_return(*, assessment: Assessment, user, note: str) -> Assessment:
    """Send back to the authors with what to change."""
    assessment = _locked(assessment)
    _require_supervisor(assessment, user)
    _require_not_author(assessment, user, _("return"))
    _require_status(
        assessment,
        (Status.SUBMITTED,),
        _("Only a submitted assessment can be returned; this one is %(status)s."),
    )
    if not note.strip():
        raise ValidationError({"note": _("Say what needs to change before it can be approved.")})
    _move(assessment, Status.RETURNED, user)
    _record(assessment, ReviewEvent.Kind.RETURNED, user, note.strip())
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, user, note: str = "") -> Assessment:
    """Approve and freeze: the brief is rendered once and stored with a snapshot."""
    from assessments.briefs.render import render_brief_pdf
    from assessments.interchange.document import assessment_document, document_bytes

    assessment = _locked(assessment)
    _require_supervisor(assessment, user)
    _require_not_author(assessment, user, _("approve"))
    _require_status(
        assessment,
        (Status.SUBMITTED,),
        _("Only a submitted assessment can be approved; this one is %(status)s."),
    )
    _move(assessment, Status.APPROVED, user, approved_at=timezone.now())
    event = _record(assessment, ReviewEvent.Kind.APPROVED, user, note.strip())
    snapshot = document_bytes(assessment_document(AssessmentData(assessment)))
    pdf = render_brief_pdf(assessment=assessment)
    freeze(assessment=assessment, approval=event, pdf=pdf, snapshot=snapshot)
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user, note: str) -> Assessment:
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
    _move(assessment, Status.RETURNED, user, approved_at=None)
    _record(assessment, ReviewEvent.Kind.REOPENED, user, note.strip())
    return assessment
