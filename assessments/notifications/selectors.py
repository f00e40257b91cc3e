"""Reads of notifications: a person's own, and only about assessments they may still see."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.models import Assessment, Notification, NotificationSettings


def notifications_of(user) -> QuerySet:
    return Notification.objects.filter(
        recipient=user, assessment__in=Assessment.objects.visible_to(user)
    ).select_related("assessment", "actor")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return notifications_of(user).filter(read_at__isnull=True).count()


def settings_of(user) -> NotificationSettings:
    """The person's choices, or the defaults (email on) when they never chose."""
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)
