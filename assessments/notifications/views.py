"""A person's notifications: the list, opening one (marks it read), marking all read,
and the email settings. Everyone signed in has their own; another's is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.notifications import forms, selectors, services
from hsassess.language import remember


@require_http_methods(["GET"])
def notification_list(request):
    page = Paginator(selectors.notifications_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "assessments/notifications/notification_list.html", {"page": page})


@require_POST
def notification_open(request, nid: int):
    """Mark it read and go to the assessment it is about."""
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=nid)
    services.notification_read(notification=notification, user=request.user)
    return redirect(
        services.PAGES.get(notification.kind, "assessments:detail"), notification.assessment_id
    )


@require_POST
def notifications_read_all(request):
    services.notifications_read_all(user=request.user)
    messages.success(request, _("All notifications are marked read."))
    return redirect("assessments:notifications")


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    form = forms.NotificationSettingsForm(
        request.POST or None, instance=selectors.settings_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.notification_settings_save(
            user=request.user,
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
        )
        remember(request, form.cleaned_data["language"])  # the next page is in it
        messages.success(request, _("Your notification settings are saved."))
        return redirect("assessments:notification_settings")
    return render(request, "assessments/notifications/notification_settings.html", {"form": form})
