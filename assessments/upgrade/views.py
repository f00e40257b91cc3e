"""Moving an assessment to a newer framework version: the preview, the move, the undo."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import assessment_view
from assessments.upgrade import selectors, services


def _number(value: str) -> int | None:
    # Ids and version numbers from the request: plain ASCII digits of a sane length (a
    # 30-digit number would overflow the database's integer, not find nothing).
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value or "") else None


def _reassign(request) -> dict[int, int]:
    chosen = {}
    for name, value in request.POST.items():
        threat_id, dimension_id = _number(name.removeprefix("dimension-")), _number(value)
        if name.startswith("dimension-") and threat_id and dimension_id:
            chosen[threat_id] = dimension_id
    return chosen


@assessment_view("edit")
def assessment_upgrade(request, assessment):
    """Preview where each answer, threat, tag and score goes; POST applies the move."""
    newer = list(selectors.newer_versions(assessment))
    target = newer[0] if newer else None
    if _number(request.GET.get("to", "")):
        target = get_object_or_404(
            selectors.newer_versions(assessment), number=_number(request.GET["to"])
        )
    problems: list[str] = []
    reassign = _reassign(request) if request.method == "POST" else {}
    if request.method == "POST":
        target = get_object_or_404(
            selectors.newer_versions(assessment), number=_number(request.POST.get("to", "")) or 0
        )
        try:
            move = services.assessment_move(
                assessment=assessment, to_version=target, user=request.user, reassign=reassign
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request,
                _("Moved to framework v%(n)d. You can undo this until the assessment is submitted.")
                % {"n": move.to_version.number},
            )
            return redirect("assessments:upgrade", assessment.pk)
    move = selectors.latest_move(assessment)
    return render(
        request,
        "assessments/upgrade.html",
        {
            "assessment": assessment,
            "newer": newer,
            "plan": selectors.move_plan(assessment, target, reassign) if target else None,
            "problems": problems,
            "move": move,
            "undo_refusal": selectors.undo_refusal(move, assessment) if move else "",
            "retired": selectors.retired_answers(assessment),
            "reassign": reassign,
        },
        status=400 if problems else 200,
    )


@require_POST
@assessment_view("edit")
def assessment_upgrade_undo(request, assessment):
    move = selectors.latest_move(assessment)
    if move is None:
        return redirect("assessments:upgrade", assessment.pk)
    try:
        services.move_undo(move=move, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Back on framework v%(n)d.") % {"n": move.from_version.number})
    return redirect("assessments:upgrade", assessment.pk)
