"""Email in the background (hsassess/mail.py): sent after the commit, plain text with an
HTML alternative, and a mail server or a queue that fails never fails the caller."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.db import transaction

from hsassess import mail as hsmail
from tests.test_foundation import start_in_production

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(settings, tmp_path):
    """A message template of the test's own, found before the app's templates."""
    (tmp_path / "hello.txt").write_text("Hello {{ name }} & co.\n", encoding="utf-8")
    (tmp_path / "hello.html").write_text("<p>Hello {{ name }} &amp; co.</p>\n", encoding="utf-8")
    engine = {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    settings.TEMPLATES = [engine]
    return "hello"


def test_a_message_goes_out_after_the_commit_with_text_and_html(
    templates, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "hsassess <noreply@example.org>"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        hsmail.send_later(
            to=["sue@example.org"], subject="Ready", template=templates, context={"name": "<b>"}
        )
        assert mail.outbox == []  # nothing before the commit

    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["sue@example.org"]
    assert message.from_email == "hsassess <noreply@example.org>"
    assert message.subject == "Ready"
    assert message.body == "Hello &lt;b&gt; & co.\n"
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert html == "<p>Hello &lt;b&gt; &amp; co.</p>\n"


def test_a_rolled_back_change_sends_nothing(templates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                hsmail.send_later(
                    to=["sue@example.org"], subject="Ready", template=templates, context={}
                )
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert mail.outbox == []


def test_a_subject_keeps_to_one_line(templates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hsmail.send_later(
            to=["sue@example.org"], subject="Ready:\n  North\r\n", template=templates, context={}
        )

    assert mail.outbox[0].subject == "Ready: North"


def test_without_an_address_nothing_is_queued(templates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        hsmail.send_later(to=["", ""], subject="Ready", template=templates, context={})

    assert callbacks == []
    assert mail.outbox == []


def test_a_failing_mail_server_is_logged_and_raises_nothing(
    templates, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.standins.FailingEmailBackend"

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        hsmail.send_later(to=["sue@example.org"], subject="Ready", template=templates, context={})

    assert mail.outbox == []
    failures = [r for r in caplog.records if r.name == "hsassess.mail"]
    assert [r.getMessage() for r in failures] == [
        "Could not send the email 'Ready' to sue@example.org."
    ]
    assert "SMTPServerDisconnected" in caplog.text


def test_a_queue_that_cannot_be_reached_is_logged_and_raises_nothing(
    templates, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    class Unreachable:
        def enqueue(self, **kwargs):
            raise ConnectionError("the broker is down")

    monkeypatch.setattr(hsmail, "send_email", Unreachable())

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        hsmail.send_later(to=["sue@example.org"], subject="Ready", template=templates, context={})

    assert mail.outbox == []
    assert "Could not queue the email 'Ready'." in caplog.text


def test_production_sends_through_the_smtp_server_from_the_environment():
    show = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
        "s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, sep='|')"
    )
    result = start_in_production(
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="hsassess.example.org",
        BRIEF_SIGNING_KEYS="b" * 40,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="hsassess",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="hsassess <noreply@example.org>",
        then=show,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "hsassess",
        "s3cret",
        "True",
        "hsassess <noreply@example.org>",
    ]
