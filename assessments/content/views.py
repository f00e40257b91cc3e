"""Pages that change the content: sections, groups, threats, responses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments import permissions
from assessments.access import assessment_view
from assessments.content import forms, selectors, services
from assessments.core.services import EditConflict
from assessments.editing import apply_errors, conflict_rows, rebind_at, show_value, versioned_save
from assessments.models import Assessment, PopulationGroup, Response, Threat
from assessments.review.selectors import open_comments_of
from frameworks.models import Section


@require_http_methods(["GET", "POST"])
@assessment_view("view", post="edit")
def section_edit(request, assessment: Assessment, key: str):
    """Everyone who may see the assessment reads a section here; its authors answer it."""
    section = get_object_or_404(
        Section.objects.prefetch_related("prompts"),
        version_id=assessment.framework_version_id,
        key=key,
    )
    can_edit = permissions.can_edit(request.user, assessment)
    answers = selectors.answers_by_prompt(assessment)
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
            apply_errors(form, exc)
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
            "section_comments": open_comments_of(assessment).filter(section=section),
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


def _next_section_url(assessment, section, request) -> str:
    """The next section, or the overview after the last one or when the person asks."""
    overview = reverse("assessments:detail", args=[assessment.pk])
    if request.POST.get("next") == "overview":
        return overview
    following = assessment.framework_version.sections.filter(order__gt=section.order).first()
    if following is None:
        return overview
    return reverse("assessments:section", args=[assessment.pk, following.key])


@assessment_view("view")
def group_list(request, assessment: Assessment):
    return render(
        request,
        "assessments/group_list.html",
        {
            "assessment": assessment,
            "groups": selectors.groups_of(assessment),
            "perms": permissions.perms_for(request.user, assessment),
        },
    )


@assessment_view("view")
def threat_list(request, assessment: Assessment):
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


@assessment_view("view")
def response_list(request, assessment: Assessment):
    return render(
        request,
        "assessments/response_list.html",
        {
            "assessment": assessment,
            "responses": selectors.responses_of(assessment),
            "perms": permissions.perms_for(request.user, assessment),
        },
    )


def _threat_parts_conflict(form, indicators, current: Threat) -> list[dict]:
    """Tags and indicators are saved with the threat, so a conflict must show them too."""
    rows = []
    names = {c.pk: c.name for c in form.components}
    mine_tags = sorted(f"{names[pk]}: {text}" for pk, text in form.tags().items())
    their_tags = sorted(f"{t.component.name}: {t.rationale}" for t in current.tags.all())
    if mine_tags != their_tags:
        rows.append(
            {
                "label": _("Component tags"),
                "mine": show_value(mine_tags),
                "theirs": show_value(their_tags),
            }
        )
    mine_ind = sorted(r["name"] for r in forms.indicator_rows(indicators) if not r["delete"])
    their_ind = sorted(i.name for i in current.indicators.all())
    if mine_ind != their_ind:
        rows.append(
            {
                "label": _("Early-warning indicators"),
                "mine": show_value(mine_ind),
                "theirs": show_value(their_ind),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@assessment_view("edit")
def threat_form(request, assessment: Assessment, tid: int | None = None):
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
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current) + _threat_parts_conflict(
                form, indicators, exc.current
            )
            data = rebind_at(request, exc.current.version)
            form = forms.ThreatForm(data, instance=exc.current, assessment=assessment)
            form.is_valid()
            indicators = forms.IndicatorFormSet(data, instance=exc.current, prefix="indicators")
        except ValidationError as exc:
            apply_errors(form, exc)
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
@assessment_view("edit")
def item_form(request, assessment: Assessment, kind: str, oid: int | None = None):
    """Add or edit a group or a response, with the same conflict handling as the rest."""
    spec = ITEM_FORMS[kind]
    obj = get_object_or_404(spec.model, pk=oid, assessment=assessment) if oid else None
    form = spec.form(request.POST or None, instance=obj, assessment=assessment)
    conflict = None
    if form.is_valid():
        form, conflict, saved = versioned_save(
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
@assessment_view("edit")
def item_delete(request, assessment: Assessment, kind: str, oid: int):
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
