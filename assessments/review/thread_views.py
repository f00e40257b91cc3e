"""Threads: every thread of an assessment on one page (open first, filtered), a new
thread on one thing (the page's `on`/`id` query names it), replies, resolving and
reopening; and what changed since the last return."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments import permissions
from assessments.access import assessment_view
from assessments.models import Assessment, Comment, PopulationGroup, Response, Source, Threat
from assessments.review import changes, forms, selectors, services
from frameworks.models import Prompt, Section

ITEM_MODELS = {"group": PopulationGroup, "threat": Threat, "response": Response, "source": Source}


def site_url(request) -> str:
    """Scheme and host of this request, for the links in the notification emails."""
    return f"{request.scheme}://{request.get_host()}"


def attempt(request, done: str, service, **kwargs) -> bool:
    """Call one service; say `done`, or why it was refused."""
    try:
        service(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, done)
    return True


def threads_with_links(assessment: Assessment, **filters) -> list:
    """The threads (selectors.threads_of), each with the address of what it is about."""
    threads = list(selectors.threads_of(assessment, **filters))
    for thread in threads:
        thread.where_url = target_url(assessment, thread)
    return threads


def _target(assessment: Assessment, query) -> tuple | None:
    """(kind, object) named by ?on=<kind>&id=<id>, of this assessment; None if absent.
    An unknown kind or another assessment's object is a 404."""
    kind = query.get("on", "")
    if not kind:
        return None
    # ASCII digits only, within a database integer ("²".isdigit() is true, int() fails).
    if kind not in selectors.THREAD_KINDS or not re.fullmatch(r"[0-9]{1,18}", query.get("id", "")):
        raise Http404
    pk = int(query["id"])
    version = assessment.framework_version_id
    if kind == "section":
        return kind, get_object_or_404(Section, pk=pk, version_id=version)
    if kind == "answer":
        return kind, get_object_or_404(
            Prompt.objects.select_related("section"), pk=pk, section__version_id=version
        )
    return kind, get_object_or_404(ITEM_MODELS[kind], pk=pk, assessment=assessment)


def target_url(assessment: Assessment, comment: Comment) -> str:
    """Where the thing a thread is about is read."""
    pk = assessment.pk
    # Items are read in their lists (their forms are for the authors, while editable).
    if comment.threat_id:
        return reverse("assessments:threats", args=[pk]) + f"#threat-{comment.threat_id}"
    if comment.group_id:
        return reverse("assessments:groups", args=[pk])
    if comment.response_id:
        return reverse("assessments:responses", args=[pk])
    if comment.source_id:
        return reverse("assessments:source_detail", args=[pk, comment.source_id])
    if comment.section_id:
        return reverse("assessments:section", args=[pk, comment.section.key])
    return reverse("assessments:detail", args=[pk])


@require_http_methods(["GET", "POST"])
@assessment_view("view", post="comment")
def thread_list(request, assessment: Assessment):
    """All threads (?state=open|resolved), or those on one thing (?on=&id=) with the form
    that starts one there, for reviewers."""
    target = _target(assessment, request.GET)
    state = request.GET.get("state", "")
    state = state if state in {"open", "resolved"} else ""
    form = forms.ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind, obj = target or ("", None)
        field = selectors.TARGET_FIELDS.get(kind)
        if attempt(
            request,
            _("Comment added."),
            services.assessment_comment,
            assessment=assessment,
            user=request.user,
            text=form.cleaned_data["text"],
            site_url=site_url(request),
            **({field: obj} if field else {}),
        ):
            return redirect(request.get_full_path())
    threads = threads_with_links(assessment, state=state, target=target)
    return render(
        request,
        "assessments/thread_list.html",
        {
            "assessment": assessment,
            "perms": permissions.perms_for(request.user, assessment),
            "threads": threads,
            "state": state,
            "target": target,
            "form": form,
            "back": request.get_full_path(),
        },
    )


def back_to_threads(request, assessment: Assessment) -> str:
    """The page the form was on, if it is one of ours (never another site)."""
    back = request.POST.get("next", "")
    own = reverse("assessments:detail", args=[assessment.pk])
    return back if back.startswith(own) else reverse("assessments:threads", args=[assessment.pk])


@require_POST
@assessment_view("reply")
def comment_reply(request, assessment: Assessment, cid: int):
    comment = get_object_or_404(Comment, pk=cid, assessment=assessment)
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reply first."))
    else:
        attempt(
            request,
            _("Reply added."),
            services.comment_reply,
            comment=comment,
            user=request.user,
            text=form.cleaned_data["text"],
            site_url=site_url(request),
        )
    return redirect(back_to_threads(request, assessment))


def thread_move(request, assessment: Assessment, cid: int, move, done: str) -> None:
    """Resolve or reopen the thread of comment `cid`, saying how it went."""
    comment = get_object_or_404(Comment, pk=cid, assessment=assessment)
    attempt(request, done, move, comment=comment, user=request.user)


@require_POST
@assessment_view("resolve_comment")
def comment_reopen(request, assessment: Assessment, cid: int):
    thread_move(request, assessment, cid, services.comment_reopen, _("Thread reopened."))
    return redirect(back_to_threads(request, assessment))


@assessment_view("view")
def assessment_changes(request, assessment: Assessment):
    """What changed since the assessment was last returned, for the reviewer."""
    return render(
        request,
        "assessments/assessment_changes.html",
        {"assessment": assessment, "changes": changes.changes_since_return(assessment)},
    )
