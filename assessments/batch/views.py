"""Batch exports: the page that asks for one and lists the recent ones, an export's
progress page, its download and its retry. Supervisors of the team (and superusers)
only: anyone else who opens an export gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessments import permissions
from assessments.access import file_response
from assessments.batch import forms, selectors, services
from assessments.batch.archive import CONTENT_TYPE, archive_filename
from assessments.editing import apply_errors
from assessments.models import BatchExport

# How often the progress page reloads itself while the export is queued or running
# (a meta refresh: the Content-Security-Policy allows no inline script).
REFRESH_SECONDS = 3


def _site_url(request) -> str:
    """Scheme and host of this request, for the link in the email a worker sends later."""
    return f"{request.scheme}://{request.get_host()}"


@require_http_methods(["GET", "POST"])
def batch_exports(request):
    """Ask for a ZIP of a team's approved briefs; the recent exports of one's teams."""
    teams = permissions.teams_supervised_by(request.user)
    if not teams.exists():
        raise PermissionDenied(
            _("Batch exports of approved briefs are made by the supervisors of a team.")
        )
    form = forms.BatchExportForm(request.POST or None, teams=teams)
    if form.is_valid():
        try:
            export = services.batch_export_request(
                user=request.user,
                **form.cleaned_data,
                site_url=_site_url(request),
                language=get_language(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Export requested. This page shows how it goes."))
            return redirect("assessments:batch_export", export.pk)
    exports = selectors.exports_for(request.user)[:20]
    return render(request, "assessments/batch_export_list.html", {"form": form, "exports": exports})


@never_cache
def batch_export_detail(request, export_id: int):
    export = get_object_or_404(selectors.exports_for(request.user), pk=export_id)
    return render(
        request,
        "assessments/batch_export_detail.html",
        {
            "export": export,
            "refresh_seconds": None if export.is_finished else REFRESH_SECONDS,
            "filename": archive_filename(export),
        },
    )


def batch_export_download(request, export_id: int):
    export = get_object_or_404(
        selectors.exports_for(request.user, with_archive=True),
        pk=export_id,
        status=BatchExport.Status.DONE,
    )
    # Approved briefs of a whole team: no browser or proxy keeps a copy (the no-store
    # middleware says so for every signed-in response).
    return file_response(archive_filename(export), CONTENT_TYPE, bytes(export.archive))


@require_POST
def batch_export_retry(request, export_id: int):
    export = get_object_or_404(selectors.exports_for(request.user), pk=export_id)
    try:
        services.batch_export_retry(
            export=export,
            user=request.user,
            site_url=_site_url(request),
            language=get_language(),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The export is queued again."))
    return redirect("assessments:batch_export", export.pk)
