"""Notifications: the bell, its page, email settings, and telling people about the review."""
