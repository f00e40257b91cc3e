"""Frameworks as YAML files in the studio: download a version, upload a file (framework
admins; the same validation as `manage.py import_framework`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from frameworks import selectors, services
from frameworks.documents import DocumentError, dump, parse
from frameworks.forms import FrameworkImportForm
from frameworks.studio import _version, framework_admin


def version_export(request, slug: str, number: int):
    version = _version(request, slug, number)
    response = HttpResponse(
        dump(selectors.version_document(version)), content_type="application/yaml"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-v{number}.yaml"'
    return response


@framework_admin
def framework_import(request):
    """Upload a framework file: an invalid one lists its problems and changes nothing."""
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            document = parse(form.cleaned_data["file"])
            version, outcome = services.framework_import(
                document=document, publish=form.cleaned_data["publish"], by=request.user
            )
        except DocumentError as exc:
            problems = exc.problems
        except ValidationError as exc:
            problems = exc.messages
        else:
            labels = {
                "created": _("Created"),
                "replaced": _("Replaced"),
                "unchanged": _("Unchanged"),
                "translated": _("Translations added"),
            }
            messages.success(request, f"{labels[outcome]}: {version}.")
            return redirect("frameworks:framework", version.framework.slug)
    # A refused file is the client's error: 400, the page listing every problem.
    return render(
        request,
        "frameworks/framework_import.html",
        {"form": form, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )
