"""Assessment pages. Each view fetches through a scoped queryset (404 for what a person
may not see), asks permissions.py, validates a form and calls one service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments import forms, permissions, selectors, services, workflow
from assessments.lens import lens_check
from assessments.models import Assessment, PopulationGroup, Response, ReviewEvent, Threat
from frameworks.models import Section


def dashboard(request):
    """The signed-in person's own work and, for supervisors, what awaits their review."""
    return render(request, "assessments/dashboard.html", selectors.dashboard_for(request.user))


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(selectors.assessment_for_page(request.user), pk=pk)


def _editable(request: HttpRequest, pk: int) -> Assessment | HttpResponse:
    """The assessment if this person may change it now; otherwise a 403, or a redirect
    to the overview explaining why the status forbids it."""
    assessment = _assessment(request, pk)
    if not permissions.can_author(request.user, assessment):
        raise PermissionDenied(_("Only the owner and collaborators may change this assessment."))
    if not assessment.is_editable_status:
        messages.warning(
            request,
            _(
                "This assessment is %(status)s: it cannot be changed until a supervisor returns "
                "or reopens it."
            )
            % {"status": assessment.get_status_display().lower()},
        )
        return redirect("assessments:detail", assessment.pk)
    return assessment


def _apply_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _conflict_rows(form: Form, current: Model) -> list[dict]:
    """Fields where what this person typed differs from what is stored now."""
    rows = []
    for name in form.Meta.fields:
        if name not in form.cleaned_data:
            continue
        mine = form.cleaned_data[name]
        theirs = getattr(current, name)
        if hasattr(theirs, "all"):
            theirs, mine = sorted(str(x) for x in theirs.all()), sorted(str(x) for x in mine)
        if mine != theirs:
            label = form.fields[name].label
            rows.append({"label": label, "mine": _show(mine), "theirs": _show(theirs)})
    return rows


def _threat_parts_conflict(form, indicators, current: Threat) -> list[dict]:
    """Tags and indicators are saved with the threat, so a conflict must show them too."""
    rows = []
    names = {c.pk: c.name for c in form.components}
    mine_tags = sorted(f"{names[pk]}: {text}" for pk, text in form.tags().items())
    their_tags = sorted(f"{t.component.name}: {t.rationale}" for t in current.tags.all())
    if mine_tags != their_tags:
        rows.append(
            {"label": _("Component tags"), "mine": _show(mine_tags), "theirs": _show(their_tags)}
        )
    mine_ind = sorted(r["name"] for r in forms.indicator_rows(indicators) if not r["delete"])
    their_ind = sorted(i.name for i in current.indicators.all())
    if mine_ind != their_ind:
        rows.append(
            {
                "label": _("Early-warning indicators"),
                "mine": _show(mine_ind),
                "theirs": _show(their_ind),
            }
        )
    return rows


def _versioned_save(request, form, *, save, rebuild):
    """Run a versioned save. Returns (form to show, conflict rows, saved?): on a conflict
    the form is rebuilt on the stored version, keeping what the person typed, and the
    differing fields are listed; a rule the service enforces becomes a form error."""
    try:
        save()
    except services.EditConflict as exc:
        rows = _conflict_rows(form, exc.current)
        rebuilt = rebuild(_rebind_at(request, exc.current.version), exc.current)
        rebuilt.is_valid()
        return rebuilt, rows, False
    except ValidationError as exc:
        _apply_errors(form, exc)
        return form, None, False
    return form, None, True


def _show(value) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def _rebind_at(request: HttpRequest, version: int):
    data = request.POST.copy()
    data["version"] = str(version)
    return data


# --- list, create, overview ---------------------------------------------------------


def assessment_list(request):
    user = request.user
    teams = permissions.teams_for_new_assessment(user)
    form = forms.AssessmentFilterForm(
        request.GET or None,
        teams=teams,
        dimension_choices=selectors.dimension_choices_for(user),
    )
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
    page = Paginator(selectors.assessment_list(user, **filters), 20).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/assessment_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
def assessment_create(request):
    teams = permissions.teams_for_new_assessment(request.user)
    if not teams.exists():
        raise PermissionDenied(
            _(
                "You are not a member of any team, so you cannot create an "
                "assessment yet. Ask an administrator to add you to a team."
            )
        )
    form = forms.AssessmentCreateForm(request.POST or None, teams=teams)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            assessment = services.assessment_create(user=request.user, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Assessment created. Start with the context."))
            return redirect("assessments:detail", assessment.pk)
    return render(request, "assessments/assessment_form.html", {"form": form, "creating": True})


def assessment_detail(request, pk: int):
    assessment = _assessment(request, pk)
    perms = permissions.perms_for(request.user, assessment)
    events = list(selectors.review_trail(assessment))
    # Frozen briefs exist only after an approval: skip the lookups before that.
    ever_approved = any(e.kind == ReviewEvent.Kind.APPROVED for e in events)
    frozen_list = list(selectors.frozen_briefs_of(assessment)) if ever_approved else []
    approved = assessment.status == Assessment.Status.APPROVED
    frozen = workflow.latest_frozen(assessment) if approved else None
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "perms": perms,
            "analysis": _overview_analysis(request, assessment, links=perms["edit"]),
            "events": events,
            "frozen_list": frozen_list,
            "open_comments": selectors.open_comments_of(assessment),
            "frozen": frozen,
            "frozen_ok": workflow.verify_frozen(frozen) if frozen else None,
        },
    )


def _overview_analysis(request, assessment: Assessment, *, links: bool) -> dict[str, str]:
    """The analysis parts of the overview (progress, pictures, lens check, history).

    They change only when the assessment's content does, and every content write
    moves `updated_at`; so the rendered parts are cached under that stamp and a page
    view after the first costs a handful of queries, however large the assessment.
    """
    key = selectors.overview_cache_key(assessment, links=links)
    parts = cache.get(key)
    if parts is None:
        data = selectors.AssessmentData(assessment)
        context = {
            "assessment": assessment,
            "data": data,
            "lens": lens_check(data),
            "links": links,
            "progress": data.section_progress(),
            "matrix": selectors.risk_matrix(data),
            "cdmap": selectors.component_dimension_map(data),
            "history": selectors.recent_history(assessment),
        }
        parts = {
            name: render_to_string(f"assessments/{template}.html", context, request=request)
            for name, template in (
                ("main", "_overview_main"),
                ("lens", "_lens_check"),
                ("history", "_overview_history"),
            )
        }
        cache.set(key, parts, timeout=OVERVIEW_CACHE_SECONDS)
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308 - our own rendering


OVERVIEW_CACHE_SECONDS = 60 * 60


@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk: int):
    assessment = _editable(request, pk)
    if isinstance(assessment, HttpResponse):
        return assessment
    manage = permissions.can_manage_collaborators(request.user, assessment)
    form = forms.AssessmentContextForm(
        request.POST or None, instance=assessment, can_manage_collaborators=manage
    )
    conflict = None
    if form.is_valid():
        values = {k: form.cleaned_data[k] for k in services.ASSESSMENT_FIELDS}
        form, conflict, saved = _versioned_save(
            request,
            form,
            save=lambda: services.assessment_update(
                assessment=assessment,
                user=request.user,
                base_version=form.base_version,
                collaborators=form.cleaned_data.get("collaborators") if manage else None,
                **values,
            ),
            rebuild=lambda data, current: forms.AssessmentContextForm(
                data, instance=current, can_manage_collaborators=manage
            ),
        )
        if saved:
            messages.success(request, _("Context saved."))
            return redirect("assessments:detail", assessment.pk)
    return render(
        request,
        "assessments/assessment_form.html",
        {"form": form, "assessment": assessment, "conflict": conflict},
    )


# --- sections ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, key: str):
    assessment = _assessment(request, pk)
    section = get_object_or_404(
        Section.objects.prefetch_related("prompts"),
        version_id=assessment.framework_version_id,
        key=key,
    )
    can_edit = permissions.can_edit(request.user, assessment)
    answers = selectors.answers_by_prompt(assessment)
    if request.method == "POST":
        result = _editable(request, pk)
        if isinstance(result, HttpResponse):
            return result
    form = forms.SectionAnswersForm(request.POST or None, section=section, answers=answers)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        try:
            saved, conflicts = services.section_save(
                assessment=assessment,
                section=section,
                user=request.user,
                texts=form.texts(),
                versions=form.versions(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if not conflicts:
                messages.success(
                    request, _("Section saved.") if saved else _("No changes to save.")
                )
                return redirect(_next_section_url(assessment, section, request))
            # Saved prompts are settled; show the rest with both texts side by side, the
            # person's own text in the box and the stored version as the new base.
            answers = selectors.answers_by_prompt(assessment)
            form = forms.SectionAnswersForm(
                _section_rebind(section, answers, conflicts), section=section, answers=answers
            )
            form.is_valid()
            messages.warning(
                request,
                _(
                    "Someone else changed %(n)d answer(s) while you were editing. Nothing of "
                    "yours is lost: compare the texts below and save again."
                )
                % {"n": len(conflicts)},
            )
    sections = list(assessment.framework_version.sections.all())
    return render(
        request,
        "assessments/section_form.html",
        {
            "assessment": assessment,
            "section": section,
            "form": form,
            "can_edit": can_edit,
            "conflicts": {c["prompt"].key: c for c in conflicts},
            "sections": sections,
            "answers": answers,
            "section_comments": selectors.open_comments_of(assessment).filter(section=section),
        },
    )


def _section_rebind(section, answers, conflicts) -> dict:
    mine = {c["prompt"].key: c["mine"] for c in conflicts}
    data = {}
    for prompt in section.prompts.all():
        answer = answers.get(prompt.pk)
        data[f"text_{prompt.key}"] = mine.get(prompt.key, answer.text if answer else "")
        data[f"version_{prompt.key}"] = str(answer.version if answer else 0)
    return data


def _next_section_url(assessment, section, request):
    if request.POST.get("next") == "overview":
        return f"/assessments/{assessment.pk}/"
    following = assessment.framework_version.sections.filter(order__gt=section.order).first()
    if following is None:
        return f"/assessments/{assessment.pk}/"
    return f"/assessments/{assessment.pk}/sections/{following.key}/"


# --- groups, threats, responses ---------------------------------------------------------


def group_list(request, pk: int):
    assessment = _assessment(request, pk)
    return render(
        request,
        "assessments/group_list.html",
        {
            "assessment": assessment,
            "groups": selectors.groups_of(assessment),
            "perms": permissions.perms_for(request.user, assessment),
        },
    )


def threat_list(request, pk: int):
    assessment = _assessment(request, pk)
    return render(
        request,
        "assessments/threat_list.html",
        {
            "assessment": assessment,
            "threats": selectors.threats_of(assessment),
            "perms": permissions.perms_for(request.user, assessment),
            "components": list(assessment.framework_version.components.all()),
        },
    )


def response_list(request, pk: int):
    assessment = _assessment(request, pk)
    return render(
        request,
        "assessments/response_list.html",
        {
            "assessment": assessment,
            "responses": selectors.responses_of(assessment),
            "perms": permissions.perms_for(request.user, assessment),
        },
    )


@require_http_methods(["GET", "POST"])
def threat_form(request, pk: int, tid: int | None = None):
    assessment = _editable(request, pk)
    if isinstance(assessment, HttpResponse):
        return assessment
    threat = get_object_or_404(Threat, pk=tid, assessment=assessment) if tid else None
    form = forms.ThreatForm(request.POST or None, instance=threat, assessment=assessment)
    indicators = forms.IndicatorFormSet(
        request.POST or None, instance=threat or Threat(), prefix="indicators"
    )
    conflict = None
    if request.method == "POST" and form.is_valid() and indicators.is_valid():
        try:
            services.threat_save(
                assessment=assessment,
                user=request.user,
                threat=threat,
                base_version=form.base_version,
                affected_groups=form.cleaned_data["affected_groups"],
                tags=form.tags(),
                indicators=forms.indicator_rows(indicators),
                **form.field_values(),
            )
        except services.EditConflict as exc:
            conflict = _conflict_rows(form, exc.current) + _threat_parts_conflict(
                form, indicators, exc.current
            )
            data = _rebind_at(request, exc.current.version)
            form = forms.ThreatForm(data, instance=exc.current, assessment=assessment)
            form.is_valid()
            indicators = forms.IndicatorFormSet(data, instance=exc.current, prefix="indicators")
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Threat saved."))
            return redirect("assessments:threats", assessment.pk)
    return render(
        request,
        "assessments/threat_form.html",
        {
            "assessment": assessment,
            "form": form,
            "indicators": indicators,
            "object": threat,
            "conflict": conflict,
        },
    )


@dataclass(frozen=True)
class ItemForm:
    """How one kind of item of an assessment is edited (threats have their own view,
    for their tags and indicators)."""

    model: type
    form: type
    save: Callable
    relations: tuple[str, ...]
    back: str
    done: str


ITEM_FORMS = {
    "group": ItemForm(
        PopulationGroup,
        forms.GroupForm,
        services.group_save,
        (),
        "assessments:groups",
        gettext_lazy("Group saved."),
    ),
    "response": ItemForm(
        Response,
        forms.ResponseForm,
        services.response_save,
        ("threats",),
        "assessments:responses",
        gettext_lazy("Response saved."),
    ),
}


@require_http_methods(["GET", "POST"])
def item_form(request, pk: int, kind: str, oid: int | None = None):
    """Add or edit a group or a response, with the same conflict handling as the rest."""
    assessment = _editable(request, pk)
    if isinstance(assessment, HttpResponse):
        return assessment
    spec = ITEM_FORMS[kind]
    obj = get_object_or_404(spec.model, pk=oid, assessment=assessment) if oid else None
    form = spec.form(request.POST or None, instance=obj, assessment=assessment)
    conflict = None
    if form.is_valid():
        form, conflict, saved = _versioned_save(
            request,
            form,
            save=lambda: spec.save(
                assessment=assessment,
                user=request.user,
                base_version=form.base_version,
                **{kind: obj},
                **{name: form.cleaned_data[name] for name in spec.relations},
                **form.field_values(),
            ),
            rebuild=lambda data, current: spec.form(data, instance=current, assessment=assessment),
        )
        if saved:
            messages.success(request, spec.done)
            return redirect(spec.back, assessment.pk)
    return render(
        request,
        f"assessments/{kind}_form.html",
        {"assessment": assessment, "form": form, "object": obj, "conflict": conflict},
    )


DELETABLE = {
    "group": (
        PopulationGroup,
        services.group_delete,
        "assessments:groups",
        gettext_lazy("Group deleted."),
    ),
    "threat": (
        Threat,
        services.threat_delete,
        "assessments:threats",
        gettext_lazy("Threat deleted."),
    ),
    "response": (
        Response,
        services.response_delete,
        "assessments:responses",
        gettext_lazy("Response deleted."),
    ),
}


@require_http_methods(["GET", "POST"])
def item_delete(request, pk: int, kind: str, oid: int):
    assessment = _editable(request, pk)
    if isinstance(assessment, HttpResponse):
        return assessment
    model, service, back, done = DELETABLE[kind]
    obj = get_object_or_404(model, pk=oid, assessment=assessment)
    if request.method == "POST":
        try:
            service(assessment=assessment, user=request.user, **{kind: obj})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
        return redirect(back, assessment.pk)
    return render(
        request,
        "assessments/confirm_delete.html",
        {
            "assessment": assessment,
            "object": obj,
            "kind": model._meta.verbose_name,
            "back": back,
        },
    )
