"""Handing out a frozen brief: checked before every download, refused when it fails."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.access import file_response
from assessments.models import FrozenBrief
from assessments.review.freeze import log_refusal, verify_frozen


def frozen_brief_response(request: HttpRequest, *, frozen: FrozenBrief, filename: str):
    """The frozen PDF if its signature holds; otherwise a page saying it failed (409:
    the stored brief is in a state that forbids serving it), and an error in the log."""
    check = verify_frozen(frozen)
    if check.ok:
        return file_response(filename, "application/pdf", bytes(frozen.pdf))
    log_refusal(frozen, check, user=request.user)
    response: HttpResponse = render(
        request,
        "assessments/brief_unverified.html",
        {"assessment": frozen.assessment, "frozen": frozen, "check": check},
        status=409,
    )
    return response
