"""The framework studio: framework admins prepare drafts, compare, preview and publish.

Everyone signed in reads published versions (views.py); the pages here that change
something answer 403 to people who are not framework admins, and a draft is a 404 to them.
Every write is one call to services.py or editing.py.
"""

from __future__ import annotations

import re
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frameworks import editing, i18n, selectors, services
from frameworks.compare import compare_documents
from frameworks.forms import FrameworkImportForm, PublishForm
from frameworks.models import FrameworkVersion, ScaleLevel, Section
from frameworks.permissions import can_edit_frameworks


def framework_admin(view):
    """Only framework admins; the others are told so (403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_edit_frameworks(request.user):
            raise PermissionDenied(_("Only framework admins change frameworks."))
        return view(request, *args, **kwargs)

    return wrapped


MAX_NUMBER = 2**31 - 1  # beyond it the database would overflow rather than find nothing


def _version(request, slug: str, number: int) -> FrameworkVersion:
    if number > MAX_NUMBER:
        raise Http404
    return get_object_or_404(
        selectors.version_with_content(selectors.versions_for(request.user)),
        framework__slug=slug,
        number=number,
    )


def _edit_url(version: FrameworkVersion, focus: str = "") -> str:
    url = reverse("frameworks:edit", args=[version.framework.slug, version.number])
    return f"{url}?focus={focus}" if focus else url


def framework_detail(request, slug: str):
    """A framework's versions: status, dates, changelog, how many assessments use each."""
    framework = get_object_or_404(selectors.frameworks_for(request.user), slug=slug)
    admin = can_edit_frameworks(request.user)
    versions = list(selectors.framework_versions(framework, drafts=admin))
    if not versions:
        raise Http404
    return render(
        request,
        "frameworks/framework_detail.html",
        {
            "framework": framework,
            "versions": versions,
            "can_edit": admin,
            "draft": next((v for v in versions if v.status == "draft"), None),
            "latest": selectors.latest_published_version(framework),
            "import_form": FrameworkImportForm() if admin else None,
        },
    )


@require_POST
@framework_admin
def version_new_draft(request, slug: str, number: int):
    source = _version(request, slug, number)
    try:
        draft = services.version_new_draft(version=source, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("frameworks:framework", slug)
    messages.success(
        request,
        _("Draft v%(n)d started from v%(from)d.") % {"n": draft.number, "from": source.number},
    )
    return redirect(_edit_url(draft))


@require_POST
@framework_admin
def version_discard(request, slug: str, number: int):
    version = _version(request, slug, number)
    try:
        services.version_discard(version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Draft v%(n)d discarded.") % {"n": number})
    return redirect("frameworks:framework", slug)


def _item_data(request, kind: str) -> dict:
    data = {}
    for field in editing.KINDS[kind].fields:
        if field == "required":
            data[field] = request.POST.get(field) == "on"
        elif field in request.POST:
            data[field] = request.POST[field]
    return data


OPS = {"up": -1, "down": 1}


def _number(value: str) -> int | None:
    # An id from the form: ASCII digits of a sane length (a 30-digit one would overflow
    # the database's integer rather than find nothing).
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value or "") else None


@framework_admin
def version_edit(request, slug: str, number: int):
    """The whole draft on one page: every item is its own small form."""
    version = _version(request, slug, number)
    if not version.is_editable:
        messages.info(
            request,
            _(
                "v%(n)d is %(status)s and never changes, so that the assessments answered "
                "with it keep their meaning. Start a new draft from it to make changes."
            )
            % {"n": version.number, "status": version.get_status_display().lower()},
        )
        return redirect("frameworks:framework", slug)
    failed = None
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        op = request.POST.get("op", "")
        if kind not in editing.KINDS:
            return HttpResponse(status=400)
        try:
            focus = _apply(request, version, kind, op)
        except (ValidationError, ValueError) as exc:
            failed = _failure(request, kind, op, exc)
        except ObjectDoesNotExist:
            raise Http404 from None
        else:
            return redirect(_edit_url(version, focus))
        version = _version(request, slug, number)
    return render(
        request,
        "frameworks/version_edit.html",
        _edit_context(version, failed),
        status=400 if failed else 200,
    )


def _apply(request, version: FrameworkVersion, kind: str, op: str) -> str:
    """Run the one service the button asks for; return the id to focus afterwards."""
    data = _item_data(request, kind)
    if op == "add":
        section = None
        if kind == "prompt":
            section = get_object_or_404(
                Section, pk=_number(request.POST.get("section", "")) or 0, version=version
            )
        obj = editing.studio_add(
            version=version,
            kind=kind,
            data=data,
            section=section,
            scale=request.POST.get("scale", ""),
        )
        return f"{kind}-{obj.pk}"
    pk = _number(request.POST.get("pk", ""))
    if pk is None:
        raise Http404
    if op == "save":
        editing.studio_save(version=version, kind=kind, pk=pk, data=data)
        messages.success(request, _("Saved."))
        return f"{kind}-{pk}"
    if op in OPS:
        editing.studio_move(version=version, kind=kind, pk=pk, step=OPS[op])
        return f"{op}-{kind}-{pk}"
    if op == "remove":
        editing.studio_remove(version=version, kind=kind, pk=pk)
        messages.success(request, _("Removed."))
        return ""
    raise ValueError(_("Unknown action."))


def _failure(request, kind: str, op: str, exc: Exception) -> dict:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        errors = {
            ("all" if name == "__all__" else name): [str(m) for e in errs for m in e.messages]
            for name, errs in exc.error_dict.items()
        }
    else:
        errors = {"all": list(getattr(exc, "messages", [str(exc)]))}
    return {
        "kind": kind,
        "op": op,
        "pk": request.POST.get("pk", ""),
        "section": request.POST.get("section", ""),
        "scale": request.POST.get("scale", ""),
        "errors": errors,
        "values": _item_data(request, kind),
    }


def _edit_context(version: FrameworkVersion, failed: dict | None) -> dict:
    scales = [
        (name, ScaleLevel.Scale(name).label, levels)
        for name, levels in selectors.scales_of(version).items()
    ]
    if failed:
        # Put what the person typed back where they typed it, with the errors beside it.
        for obj in _all_items(version, scales):
            matches_item = failed["op"] != "add" and str(obj.pk) == failed["pk"]
            if matches_item and obj.studio_kind == failed["kind"]:
                obj.form_errors = failed["errors"]
                for name, value in failed["values"].items():
                    setattr(obj, name, value)
    problems = services.publish_problems(version)
    return {
        "version": version,
        "progress": i18n.translation_progress(version),
        "scales": scales,
        "failed": failed,
        "problems": problems,
        "previous": version.framework.versions.exclude(pk=version.pk)
        .filter(number__lt=version.number)
        .order_by("-number")
        .first(),
    }


def _all_items(version, scales):
    for section in version.sections.all():
        section.studio_kind = "section"
        yield section
        for prompt in section.prompts.all():
            prompt.studio_kind = "prompt"
            yield prompt
    lists = (("component", version.components.all()), ("dimension", version.dimensions.all()))
    for kind, items in lists:
        for item in items:
            item.studio_kind = kind
            yield item
    for _name, _label, levels in scales:
        for level in levels:
            level.studio_kind = "level"
            yield level


def version_compare(request, slug: str, a: int, b: int):
    """Added, removed, reworded and moved, per section, from version a to version b."""
    if max(a, b) > MAX_NUMBER:
        raise Http404
    versions = selectors.version_with_content(selectors.versions_for(request.user)).filter(
        framework__slug=slug, number__in=[a, b]
    )
    by_number = {v.number: v for v in versions}
    if a not in by_number or b not in by_number:
        raise Http404
    old, new = by_number[a], by_number[b]
    return render(
        request,
        "frameworks/version_compare.html",
        {
            "framework": old.framework,
            "old": old,
            "new": new,
            "comparison": compare_documents(
                selectors.version_document(old, translations=False),
                selectors.version_document(new, translations=False),
            ),
            "numbers": sorted(
                selectors.versions_for(request.user)
                .filter(framework__slug=slug)
                .values_list("number", flat=True)
            ),
        },
    )


def compare_pick(request, slug: str):
    """The compare form on the framework page sends two numbers here."""
    a, b = _number(request.GET.get("a", "")), _number(request.GET.get("b", ""))
    if a is None or b is None:
        return redirect("frameworks:framework", slug)
    return redirect("frameworks:compare", slug, a, b)


@framework_admin
def version_preview(request, slug: str, number: int, key: str | None = None):
    """A draft's sections as a practitioner will see them, without creating anything."""
    version = _version(request, slug, number)
    sections = list(version.sections.all())
    if not sections:
        messages.info(request, _("This draft has no section to preview yet."))
        return redirect(_edit_url(version))
    section = sections[0] if key is None else next((s for s in sections if s.key == key), None)
    if section is None:
        raise Http404
    return render(
        request,
        "frameworks/version_preview.html",
        {"version": version, "sections": sections, "section": section},
    )


@framework_admin
def version_publish(request, slug: str, number: int):
    """Confirm: the changes since the latest published version, a changelog, the older one."""
    version = _version(request, slug, number)
    if not version.is_editable:
        return redirect("frameworks:framework", slug)
    latest = selectors.latest_published_version(version.framework)
    form = PublishForm(request.POST or None, initial={"changelog": version.changelog})
    if request.method == "POST" and form.is_valid():
        try:
            services.version_publish(
                version=version,
                changelog=form.cleaned_data["changelog"],
                retire_older=form.cleaned_data["older"] == PublishForm.RETIRE,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("v%(n)d is published: new assessments get it from now on.") % {"n": number},
            )
            return redirect("frameworks:framework", slug)
    comparison = None
    if latest is not None:
        latest = selectors.version_with_content(FrameworkVersion.objects.filter(pk=latest.pk)).get()
        comparison = compare_documents(
            selectors.version_document(latest, translations=False),
            selectors.version_document(version, translations=False),
        )
    return render(
        request,
        "frameworks/version_publish.html",
        {
            "version": version,
            "latest": latest,
            "latest_count": latest.assessments.count() if latest else 0,
            "comparison": comparison,
            "problems": services.publish_problems(version),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
