"""Downloads of an assessment's data, and the import page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import permissions
from assessments.access import assessment_view, file_response
from assessments.content.selectors import AssessmentData
from assessments.interchange import document, forms, importer, spreadsheet
from assessments.interchange.evidence import missing_files_message
from assessments.models import Assessment


@assessment_view("view")
def export_json(request, assessment: Assessment):
    return file_response(*document.export_json(AssessmentData(assessment)))


@assessment_view("view")
def threats_csv(request, assessment: Assessment):
    return file_response(*spreadsheet.export_threats_csv(AssessmentData(assessment)))


@assessment_view("view")
def threats_xlsx(request, assessment: Assessment):
    return file_response(*spreadsheet.export_threats_xlsx(AssessmentData(assessment)))


@require_http_methods(["GET", "POST"])
def assessment_import(request):
    """Load an export.json from another instance as a new draft owned by this person."""
    teams = permissions.teams_for_new_assessment(request.user)
    if not teams.exists():
        raise PermissionDenied(_("You are not a member of any team."))
    form = forms.AssessmentImportForm(request.POST or None, request.FILES or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = importer.import_assessment(
                document=form.cleaned_data["file"],
                owner=request.user,
                team=form.cleaned_data["team"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Imported as a new draft."))
            if assessment.missing_files:
                messages.warning(request, missing_files_message(assessment.missing_files))
            return redirect("assessments:detail", assessment.pk)
    # A refused file is the client's error: 400, the page listing every problem.
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/assessment_import.html", {"form": form}, status=status)
