"""Email, sent in the background: a request never waits for a mail server, and a mail
server that fails never fails a request.

`send_later()` renders a message now, in the current language (plain text and HTML from
`<template>.txt` and `<template>.html`), and enqueues `send_email` once the current
transaction commits: a change that rolls back sends nothing, and a worker never mails
about rows it cannot see yet. What goes wrong after that is logged, never raised to the
code that asked for the message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_email(*, to: list[str], subject: str, text: str, html: str) -> int:
    """Send one email, plain text with an HTML alternative (runs in a task worker)."""
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    message.attach_alternative(html, "text/html")
    try:
        return message.send()
    except Exception:
        logger.exception("Could not send the email %r to %s.", subject, ", ".join(to))
        # Raised on so that the task backend records the task as failed.
        raise


def send_later(*, to: Iterable[str], subject: str, template: str, context: dict) -> None:
    """Render the message now and send it in the background after the commit."""
    recipients = [address for address in to if address]
    if not recipients:
        logger.info("No address to send the email %r to; not sent.", subject)
        return
    message = {
        "to": recipients,
        # A header cannot hold a line break; a subject never needs one.
        "subject": " ".join(str(subject).split()),
        "text": render_to_string(f"{template}.txt", context),
        "html": render_to_string(f"{template}.html", context),
    }
    transaction.on_commit(partial(_enqueue, message))


def _enqueue(message: dict) -> None:
    try:
        send_email.enqueue(**message)
    except Exception:
        # A queue that cannot be reached loses this message, not the request.
        logger.exception("Could not queue the email %r.", message["subject"])
