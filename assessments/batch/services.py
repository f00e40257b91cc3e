"""Services of batch exports: ask for one, try a failed one again, build one (the task).

Asking records a queued export and enqueues its task when the transaction commits, so
the worker always finds the row. The worker builds the ZIP outside any long transaction
(its progress is seen while it runs) and mails the person who asked when it is ready.
"""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.batch.archive import ExportStopped, build_archive, sha256
from assessments.batch.selectors import approved_in_period
from assessments.models import BatchExport, Team
from hsassess.mail import send_later

logger = logging.getLogger(__name__)

Status = BatchExport.Status


@transaction.atomic
def batch_export_request(
    *, user, team: Team, period_from: date, period_to: date, site_url: str, language: str
) -> BatchExport:
    """Ask for a ZIP of the team's briefs approved in the period, built in the background.
    `site_url` (scheme and host) and `language` are for the email saying it is ready."""
    if not permissions.can_export_team(user, team):
        raise ValidationError(
            {"team": _("Only a supervisor of %(team)s may export its briefs.") % {"team": team}}
        )
    _check_period(period_from, period_to)
    if not approved_in_period(team=team, period_from=period_from, period_to=period_to).exists():
        raise ValidationError(
            _("No assessment of %(team)s was approved between %(from)s and %(to)s.")
            % {
                "team": team,
                "from": date_format(period_from),
                "to": date_format(period_to),
            }
        )
    export = BatchExport(team=team, requested_by=user, period_from=period_from, period_to=period_to)
    export.full_clean()
    export.save()
    _enqueue_on_commit(export, site_url=site_url, language=language)
    return export


@transaction.atomic
def batch_export_retry(*, export: BatchExport, user, site_url: str, language: str) -> BatchExport:
    """Queue a failed export again; the person retrying becomes the one it is mailed to."""
    export = BatchExport.objects.select_for_update().get(pk=export.pk)
    if not permissions.can_see_batch_export(user, export):
        raise ValidationError(_("Only a supervisor of the team may try this export again."))
    if export.status != Status.FAILED:
        raise ValidationError(
            _("Only a failed export can be tried again; this one is %(status)s.")
            % {"status": export.get_status_display().lower()}
        )
    export.status = Status.QUEUED
    export.requested_by = user
    export.error = ""
    export.briefs_done = export.briefs_total = 0
    export.started_at = export.finished_at = None
    export.full_clean()
    export.save()
    _enqueue_on_commit(export, site_url=site_url, language=language)
    return export


def batch_export_build(*, export_id: int, site_url: str) -> BatchExport | None:
    """Build the ZIP of a queued export and record how it went (runs in a task worker).

    An export that is gone, or no longer queued (a task delivered twice), is left alone.
    A reason the person can act on (a frozen brief that fails its SHA-256) is recorded
    as the failure; anything unexpected is recorded with a general message, logged, and
    raised on so that the task backend records the task as failed too.
    """
    with transaction.atomic():
        export = (
            # Lock the export's row only (PostgreSQL locks no row of a nullable join).
            BatchExport.objects.select_for_update(of=("self",))
            .select_related("team", "requested_by")
            .defer("archive")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status != Status.QUEUED:
            return export
        export.status = Status.RUNNING
        export.started_at = timezone.now()
        export.save(update_fields=["status", "started_at"])

    def progress(done: int, total: int) -> None:
        BatchExport.objects.filter(pk=export.pk).update(briefs_done=done, briefs_total=total)

    try:
        archive = build_archive(
            team=export.team,
            period_from=export.period_from,
            period_to=export.period_to,
            progress=progress,
        )
    except ExportStopped as exc:
        return _fail(export, str(exc))
    except Exception:
        logger.exception("Batch export %s failed.", export.pk)
        _fail(
            export,
            _(
                "The export could not be built. Try again; if it fails again, tell an "
                "administrator (the server log has the details)."
            ),
        )
        raise
    with transaction.atomic():
        export.status = Status.DONE
        export.archive = archive.content
        export.archive_sha256 = sha256(archive.content)
        export.briefs_total = export.briefs_done = len(archive.titles)
        export.finished_at = timezone.now()
        export.save()
        _mail_ready(export, titles=archive.titles, site_url=site_url)
    return export


def _check_period(period_from: date, period_to: date) -> None:
    today = timezone.localdate()
    errors = {}
    if period_from > today:
        errors["period_from"] = _("This day is still to come; choose today or an earlier day.")
    if period_to > today:
        errors["period_to"] = _("This day is still to come; choose today or an earlier day.")
    if period_to < period_from:
        errors.setdefault("period_to", _("The period cannot end before it starts."))
    if errors:
        raise ValidationError(errors)


def _enqueue_on_commit(export: BatchExport, *, site_url: str, language: str) -> None:
    def enqueue() -> None:
        from assessments.batch.tasks import run_batch_export

        try:
            run_batch_export.enqueue(export.pk, site_url, language)
        except Exception:
            # A queue that cannot be reached: say so on the export, which can be retried.
            logger.exception("Batch export %s could not be queued.", export.pk)
            BatchExport.objects.filter(pk=export.pk, status=Status.QUEUED).update(
                status=Status.FAILED,
                error=_("The export could not be queued. Try again in a moment."),
                finished_at=timezone.now(),
            )

    transaction.on_commit(enqueue)


def _fail(export: BatchExport, message: str) -> BatchExport:
    export.status = Status.FAILED
    export.error = message
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])
    return export


def _mail_ready(export: BatchExport, *, titles: list[str], site_url: str) -> None:
    """Tell the person who asked: the team, the period, the titles and a link; nothing
    of the assessments' content."""
    if export.requested_by is None:
        return
    send_later(
        to=[export.requested_by.email],
        subject=_("Your export of the approved briefs of %(team)s is ready")
        % {"team": export.team},
        template="assessments/email/batch_export_ready",
        context={
            "export": export,
            "titles": titles,
            "link": site_url + reverse("assessments:batch_export", args=[export.pk]),
        },
    )
