"""Loading an assessment for a page, by permission, and serving downloads.

`assessment_view` is the only way a view gets its assessment: the pages of one
assessment never fetch it themselves, so none can forget the scope or the check.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from assessments import permissions
from assessments.core.selectors import assessment_for_page


def assessment_view(permission: str, *, post: str | None = None) -> Callable:
    """Serve a view of one assessment (URL keyword `pk`) to people with `permission`
    (a name in permissions.RULES); `post` names what a POST needs instead, for pages that
    everyone who may see them reads and only some may change.

    The view is called as `view(request, assessment, **other_url_kwargs)`. Before that:
    an assessment this person may not see (another team, no such id) is a 404; one they
    see but the rule refuses them is a 403 that gives the rule's reason; one whose status
    forbids the move now sends them to the overview with a message saying why.
    """
    # Unknown names fail when the module is imported, not when someone opens the page.
    rules = {None: permissions.RULES[permission]}
    if post is not None:
        rules["POST"] = permissions.RULES[post]

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
            assessment = get_object_or_404(assessment_for_page(request.user), pk=pk)
            rule = rules.get(request.method, rules[None])
            if not rule.who(request.user, assessment):
                raise PermissionDenied(rule.refusal)
            if rule.status_allows is not None and not rule.status_allows(assessment):
                status = assessment.get_status_display().lower()
                messages.warning(request, rule.locked % {"status": status})
                return redirect("assessments:detail", assessment.pk)
            return view(request, assessment, *args, **kwargs)

        wrapped.assessment_permission = (permission, post)
        return wrapped

    return decorator


def file_response(filename: str, content_type: str, content: bytes, *, inline: bool = False):
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
