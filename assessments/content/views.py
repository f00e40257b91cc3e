"""Pages of the content: a section's answers, and the list, form and delete pages of
groups, threats and responses (one implementation of each page for every kind, told
apart by content/items.py; threats have their own form, for tags and indicators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import permissions
from assessments.access import assessment_view
from assessments.content import forms, indicator_forms, selectors, services
from assessments.content.items import GROUPS, RESPONSES, THREATS, ItemKind
from assessments.core.services import EditConflict
from assessments.editing import apply_errors, conflict_rows, rebind_at, show_value, versioned_save
from assessments.models import Assessment, Threat
from assessments.paging import window
from assessments.review.selectors import open_comments_of
from frameworks.models import Section


@require_http_methods(["GET", "POST"])
@assessment_view("view", post="edit")
def section_edit(request, assessment: Assessment, key: str):
    """Everyone who may see the assessment reads a section here; its authors answer it."""
    section = get_object_or_404(
        Section.objects.select_related("version").prefetch_related("prompts"),
        version_id=assessment.framework_version_id,
        key=key,
    )
    can_edit = permissions.can_edit(request.user, assessment)
    answers = selectors.answers_by_prompt(assessment)
    form = forms.SectionAnswersForm(
        request.POST or None, section=section, answers=answers, assessment=assessment
    )
    conflicts = []
    if request.method == "POST" and form.is_valid():
        try:
            saved, conflicts = services.section_save(
                assessment=assessment,
                section=section,
                user=request.user,
                texts=form.texts(),
                versions=form.versions(),
                citations=form.citations(),
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
                _section_rebind(section, answers, conflicts),
                section=section,
                answers=answers,
                assessment=assessment,
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
    return render(
        request,
        "assessments/section_form.html",
        {
            "assessment": assessment,
            "section": section,
            "form": form,
            "can_edit": can_edit,
            "conflicts": {c["prompt"].key: c for c in conflicts},
            "sections": selectors.section_sidebar(assessment, answers),
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


# --- the pages every kind of item has ------------------------------------------------

ITEM_FORM = "assessments/item_form.html"


def item_list(kind: ItemKind):
    """The list page of one kind of item."""

    @assessment_view("view")
    def view(request, assessment: Assessment):
        return render(
            request,
            "assessments/item_list.html",
            {
                "assessment": assessment,
                "kind": kind,
                "rows": kind.rows(assessment),
                "perms": permissions.perms_for(request.user, assessment),
            },
        )

    return _named(view, f"{kind.name}_list")


def item_form(kind: ItemKind):
    """Add (no `oid`) or edit one item of a kind with a plain form, with the same
    conflict handling as the rest."""

    @require_http_methods(["GET", "POST"])
    @assessment_view("edit")
    def view(request, assessment: Assessment, oid: int | None = None):
        obj = get_object_or_404(kind.model, pk=oid, assessment=assessment) if oid else None
        form = kind.form(request.POST or None, instance=obj, assessment=assessment)
        conflict = None
        if form.is_valid():
            form, conflict, saved = versioned_save(
                request,
                form,
                save=lambda: kind.save(
                    assessment=assessment,
                    user=request.user,
                    base_version=form.base_version,
                    **{kind.name: obj},
                    **{name: form.cleaned_data[name] for name in kind.relations},
                    **form.field_values(),
                ),
                rebuild=lambda data, current: kind.form(
                    data, instance=current, assessment=assessment
                ),
            )
            if saved:
                messages.success(request, kind.words.saved)
                return redirect(kind.list_url, assessment.pk)
        return _form_page(request, assessment, kind, obj, form=form, conflict=conflict)

    return _named(view, f"{kind.name}_form")


def _form_page(request, assessment, kind: ItemKind, obj, *, template=ITEM_FORM, **context):
    heading = kind.words.edit % {"name": obj} if obj else kind.words.new
    return render(
        request,
        template,
        {"assessment": assessment, "kind": kind, "object": obj, "heading": heading, **context},
    )


def item_delete(kind: ItemKind):
    """Confirm, then delete one item of a kind."""

    @require_http_methods(["GET", "POST"])
    @assessment_view("edit")
    def view(request, assessment: Assessment, oid: int):
        obj = get_object_or_404(kind.model, pk=oid, assessment=assessment)
        if request.method == "POST":
            try:
                kind.delete(assessment=assessment, user=request.user, **{kind.name: obj})
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, kind.words.deleted)
            return redirect(kind.list_url, assessment.pk)
        return render(
            request,
            "assessments/confirm_delete.html",
            {
                "assessment": assessment,
                "object": obj,
                "kind": kind,
                "noun": kind.model._meta.verbose_name,
            },
        )

    return _named(view, f"{kind.name}_delete")


def _named(view, name: str):
    """Name a view made for one kind, so that tracebacks and the debug page say which."""
    view.__name__ = view.__qualname__ = name
    return view


group_list = item_list(GROUPS)
group_create = item_form(GROUPS)
group_update = item_form(GROUPS)
group_delete = item_delete(GROUPS)
threat_delete = item_delete(THREATS)
response_list = item_list(RESPONSES)
response_create = item_form(RESPONSES)
response_update = item_form(RESPONSES)
response_delete = item_delete(RESPONSES)


# --- threats: the register, and the form with tags and early-warning indicators ------

THREATS_PER_PAGE = 50


@assessment_view("view")
def threat_list(request, assessment: Assessment):
    """The threat register, 50 a page, filtered by band, dimension or component; the
    same few queries whether the assessment holds ten threats or a thousand."""
    version = assessment.framework_version
    top = selectors.top_score_of(version)
    form = forms.ThreatFilterForm(
        request.GET or None,
        dimensions=list(version.dimensions.all()),
        components=list(version.components.all()),
        bands=list(selectors.BAND_WORDS.items()),
    )
    rows = selectors.threat_register(assessment, top=top, **form.filters())
    page = window(rows, request.GET.get("page"), per_page=THREATS_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/threat_list.html",
        {
            "assessment": assessment,
            "kind": THREATS,
            "form": form,
            "page": page,
            "rows": _with_links(assessment, selectors.for_cards(page.object_list, top)),
            "query": query.urlencode(),
            # Only an empty page asks: no threat at all, or none matching the filters.
            "any_threat": bool(page.object_list)
            or THREATS.model.objects.filter(assessment=assessment).exists(),
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
    mine_ind = sorted(
        r["name"] for r in indicator_forms.indicator_rows(indicators) if not r["delete"]
    )
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


# A stand-in id, reversed once and replaced by each threat's: reversing two URLs for
# each of 50 cards was a third of the register's rendering time.
_ANY_ID = 2_147_483_647


def _with_links(assessment: Assessment, threats: list) -> list:
    """Each threat with the addresses of its edit and delete pages."""
    edit = reverse(THREATS.update_url, args=[assessment.pk, _ANY_ID])
    delete = reverse(THREATS.delete_url, args=[assessment.pk, _ANY_ID])
    for threat in threats:
        threat.edit_url = edit.replace(str(_ANY_ID), str(threat.pk))
        threat.delete_url = delete.replace(str(_ANY_ID), str(threat.pk))
    return threats


@require_http_methods(["GET", "POST"])
@assessment_view("edit")
def threat_form(request, assessment: Assessment, tid: int | None = None):
    """Add (no `tid`) or edit a threat with its tags and indicators in one save."""
    threat = get_object_or_404(Threat, pk=tid, assessment=assessment) if tid else None
    form = forms.ThreatForm(request.POST or None, instance=threat, assessment=assessment)
    indicators = indicator_forms.IndicatorFormSet(
        request.POST or None,
        instance=threat or Threat(),
        prefix="indicators",
        form_kwargs={"assessment": assessment},
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
                further_dimensions=form.cleaned_data["further_dimensions"],
                sources=form.cleaned_data["sources"],
                tags=form.tags(),
                indicators=indicator_forms.indicator_rows(indicators),
                **form.field_values(),
            )
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current) + _threat_parts_conflict(
                form, indicators, exc.current
            )
            data = rebind_at(request, exc.current.version)
            form = forms.ThreatForm(data, instance=exc.current, assessment=assessment)
            form.is_valid()
            indicators = indicator_forms.IndicatorFormSet(
                data,
                instance=exc.current,
                prefix="indicators",
                form_kwargs={"assessment": assessment},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, THREATS.words.saved)
            return redirect(THREATS.list_url, assessment.pk)
    return _form_page(
        request,
        assessment,
        THREATS,
        threat,
        template="assessments/threat_form.html",
        form=form,
        indicators=indicators,
        conflict=conflict,
    )
