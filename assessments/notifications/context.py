"""The bell's unread count on every page, counted only when a page shows the bell."""

from django.utils.functional import SimpleLazyObject

from assessments.notifications.selectors import unread_count


def unread_notifications(request) -> dict:
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(request.user))}
