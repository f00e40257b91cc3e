"""Stand-ins shared by the suite (the fixtures that install them are in conftest.py)."""

from __future__ import annotations

# Every stand-in brief starts with this; real briefs never do.
STAND_IN_PDF = b"%PDF-1.7 stand-in brief"


class FakeRenderer(list):
    """Replaces the PDF renderer where a test is about the workflow, the frozen record or
    permissions, not the PDF (tests/assessments/briefs/ read real ones). The list holds
    each call as (assessment id, public); every call returns different bytes, so two
    approvals freeze two different briefs."""

    def __init__(self) -> None:
        super().__init__()
        self.pdfs: list[bytes] = []
        self.languages: list[str | None] = []  # the language each call asked for

    def __call__(self, *, assessment, public: bool = False, language=None) -> bytes:
        self.append((assessment.pk, public))
        self.languages.append(language)
        pdf = STAND_IN_PDF + b" %d" % len(self)
        self.pdfs.append(pdf)
        return pdf


class FailingEmailBackend:
    """An email backend whose server refuses every message, as an SMTP server that is down
    or rejects the credentials would (settings.EMAIL_BACKEND = "tests.standins.…")."""

    def __init__(self, fail_silently: bool = False, **kwargs) -> None:
        self.fail_silently = fail_silently

    def send_messages(self, messages) -> int:
        import smtplib

        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed (stand-in)")
