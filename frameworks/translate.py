"""The studio's translation page: a draft's items in its default language, each beside
its text in another language, one small form per item (framework admins)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from frameworks import editing, i18n
from frameworks.models import FrameworkVersion
from frameworks.studio import _number, _version, framework_admin

KIND_OF = {model: kind for kind, spec in editing.KINDS.items() for model in [spec.model]}


def _translate_url(version: FrameworkVersion, language: str, focus: str = "") -> str:
    url = reverse("frameworks:translate", args=[version.framework.slug, version.number, language])
    return f"{url}?focus={focus}" if focus else url


def _rows(version: FrameworkVersion, language: str, failed: dict | None) -> list[dict]:
    """Each item with, per field, its default text and its translation (or what was
    typed, with the errors, when the save was refused)."""
    rows = []
    for obj in i18n.version_items(version):
        kind = KIND_OF[type(obj)]
        mine = failed if failed and failed["kind"] == kind and failed["pk"] == obj.pk else None
        have = (obj.translations or {}).get(language, {})
        fields = []
        for name in editing.translatable_fields(kind):
            fields.append(
                {
                    "name": name,
                    "label": obj._meta.get_field(name).verbose_name,
                    "source": getattr(obj, name),
                    "value": mine["values"].get(name, "") if mine else have.get(name, ""),
                    "errors": mine["errors"].get(name, []) if mine else [],
                    "rows": 1 if name in ("title", "name", "label") else 3,
                }
            )
        rows.append(
            {
                "kind": kind,
                "obj": obj,
                "fields": fields,
                "errors": mine["errors"].get("all", []) if mine else [],
            }
        )
    return rows


@framework_admin
def version_translate(request, slug: str, number: int, language: str):
    """Write the draft's text in one more language, item by item."""
    version = _version(request, slug, number)
    if not version.is_editable:
        return redirect("frameworks:framework", slug)
    if language not in i18n.LANGUAGE_CODES or language == version.language:
        raise Http404
    failed = None
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        pk = _number(request.POST.get("pk", ""))
        if kind not in editing.KINDS or pk is None:
            return HttpResponse(status=400)
        data = {f: request.POST[f] for f in editing.translatable_fields(kind) if f in request.POST}
        try:
            editing.studio_translate(
                version=version, kind=kind, pk=pk, language=language, data=data
            )
        except ObjectDoesNotExist:
            raise Http404 from None
        except ValidationError as exc:
            errors = (
                {
                    ("all" if k == "__all__" else k): [str(m) for e in v for m in e.messages]
                    for k, v in exc.error_dict.items()
                }
                if hasattr(exc, "error_dict")
                else {"all": exc.messages}
            )
            failed = {"kind": kind, "pk": pk, "values": data, "errors": errors}
            version = _version(request, slug, number)
        else:
            messages.success(request, _("Saved."))
            return redirect(_translate_url(version, language, f"{kind}-{pk}"))
    progress = i18n.translation_progress(version)
    return render(
        request,
        "frameworks/version_translate.html",
        {
            "version": version,
            "language": language,
            "language_name": i18n.language_name(language),
            "default_name": i18n.language_name(version.language),
            "bidi": get_language_info(language)["bidi"],
            "progress": progress,
            "current": next(p for p in progress if p["code"] == language),
            "rows": _rows(version, language, failed),
        },
        status=400 if failed else 200,
    )
