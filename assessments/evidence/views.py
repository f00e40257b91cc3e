"""Pages of the evidence: the source register (with the grading scale), a source's page
(what cites it), its form (with the file), its delete (which lists what cites it first),
the file's download; and the quotes, served by the content's item pages (items: QUOTES).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import permissions
from assessments.access import assessment_view
from assessments.content.views import item_delete, item_form, item_list
from assessments.editing import versioned_save
from assessments.evidence import forms, selectors, services
from assessments.evidence.items import QUOTES
from assessments.models import Assessment, Source


@assessment_view("view")
def source_list(request, assessment: Assessment):
    """The register, with the grading scale explained."""
    return render(
        request,
        "assessments/source_list.html",
        {
            "assessment": assessment,
            "sources": selectors.sources_of(assessment),
            "reliability": Source.Reliability.choices,
            "credibility": Source.Credibility.choices,
            "perms": permissions.perms_for(request.user, assessment),
        },
    )


@assessment_view("view")
def source_detail(request, assessment: Assessment, sid: int):
    source = get_object_or_404(Source, pk=sid, assessment=assessment)
    return render(
        request,
        "assessments/source_detail.html",
        {
            "assessment": assessment,
            "source": source,
            "cited": selectors.citing(source),
            "perms": permissions.perms_for(request.user, assessment),
        },
    )


@require_http_methods(["GET", "POST"])
@assessment_view("edit")
def source_form(request, assessment: Assessment, sid: int | None = None):
    """Add (no `sid`) or edit a source and its file."""
    source = get_object_or_404(Source, pk=sid, assessment=assessment) if sid else None
    form = forms.SourceForm(
        request.POST or None, request.FILES or None, instance=source, assessment=assessment
    )
    conflict = None
    if form.is_valid():
        form, conflict, saved = versioned_save(
            request,
            form,
            save=lambda: services.source_save(
                assessment=assessment,
                user=request.user,
                source=source,
                base_version=form.base_version,
                attachment=form.cleaned_data.get("attachment"),
                remove_file=bool(form.cleaned_data.get("remove_file")),
                **form.field_values(),
            ),
            # The file is not carried over a conflict: the person attaches it again.
            rebuild=lambda data, current: forms.SourceForm(
                data, instance=current, assessment=assessment
            ),
        )
        if saved:
            messages.success(request, _("Source saved."))
            return redirect("assessments:sources", assessment.pk)
    return render(
        request,
        "assessments/source_form.html",
        {"assessment": assessment, "object": source, "form": form, "conflict": conflict},
    )


@require_http_methods(["GET", "POST"])
@assessment_view("edit")
def source_delete(request, assessment: Assessment, sid: int):
    """Asks first, listing what cites the source."""
    source = get_object_or_404(Source, pk=sid, assessment=assessment)
    if request.method == "POST":
        try:
            services.source_delete(assessment=assessment, source=source, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Source deleted."))
        return redirect("assessments:sources", assessment.pk)
    cited = selectors.citing(source)
    return render(
        request,
        "assessments/source_confirm_delete.html",
        {
            "assessment": assessment,
            "source": source,
            "cited": cited,
            "n_cited": selectors.cites_count(cited),
        },
    )


@require_http_methods(["GET"])
@assessment_view("view")
def source_file(request, assessment: Assessment, sid: int):
    """The attached file, as a download only, to those who may see the assessment."""
    source = get_object_or_404(Source, pk=sid, assessment=assessment)
    if not source.file:
        raise Http404
    try:
        with source.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type=source.file_type or "application/octet-stream")
    # Django quotes or encodes the person's file name, whatever characters it holds.
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=source.file_name or source.ref
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


quote_list = item_list(QUOTES)
quote_create = item_form(QUOTES)
quote_update = item_form(QUOTES)
quote_delete = item_delete(QUOTES)
