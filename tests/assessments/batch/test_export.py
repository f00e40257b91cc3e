"""A supervisor asks for the approved briefs of a period and downloads one ZIP: the frozen
PDFs and JSON snapshots exactly as approved, a manifest and SHA256SUMS. The tests read the
ZIP back."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, BatchExport, FrozenBrief
from assessments.review import services as workflow
from tests.assessments.batch.conftest import local
from tests.standins import STAND_IN_PDF

pytestmark = pytest.mark.django_db

MARCH_1, MARCH_31 = date(2026, 3, 1), date(2026, 3, 31)


def read_zip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def latest_frozen(assessment: Assessment) -> FrozenBrief:
    return FrozenBrief.objects.filter(assessment=assessment).latest("created_at", "id")


@pytest.fixture
def march(approve, other_team, supervisor):
    """Briefs of North approved in March 2026 and around it, and others that do not belong."""
    first = approve("Floods in the camps", at=local(2026, 3, 1, 0, 0), country="Chad")
    second = approve("Cattle raids on the border", at=local(2026, 3, 31, 23, 30))
    approve("Approved in February", at=local(2026, 2, 28, 23, 59))
    approve("Approved in April", at=local(2026, 4, 1, 0, 0))
    approve("Another team's brief", team=other_team, at=local(2026, 3, 15, 12, 0))
    # Approved in March, then reopened: no longer approved, so not exported.
    reopened = approve("Reopened after approval", at=local(2026, 3, 10, 9, 0))
    workflow.assessment_reopen(assessment=reopened, user=supervisor, note="New displacement.")
    return first, second


def test_a_supervisor_downloads_the_teams_briefs_of_the_period(client, supervisor, march, ask):
    first, second = march

    response = ask(MARCH_1, MARCH_31)

    export = BatchExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:batch_export", args=[export.pk])
    assert export.status == BatchExport.Status.DONE
    assert export.requested_by == supervisor
    page = client.get(response["Location"]).content.decode()
    assert "The export holds 2 approved briefs." in page
    assert 'http-equiv="refresh"' not in page

    download = client.get(reverse("assessments:batch_export_download", args=[export.pk]))

    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Cache-Control"] == "no-store, private"
    assert download["Content-Disposition"] == (
        'attachment; filename="north-approved-briefs-2026-03-01-to-2026-03-31.zip"'
    )
    assert sha(download.content) == export.archive_sha256
    files = read_zip(download.content)
    stems = [
        f"2026-03-01-floods-in-the-camps-{first.pk}",
        f"2026-03-31-cattle-raids-on-the-border-{second.pk}",
    ]
    assert sorted(files) == sorted(
        [f"{stem}.{ext}" for stem in stems for ext in ("pdf", "json")]
        + ["manifest.json", "SHA256SUMS"]
    )
    for stem, assessment in zip(stems, (first, second), strict=True):
        frozen = latest_frozen(assessment)
        assert files[f"{stem}.pdf"] == bytes(frozen.pdf)
        assert files[f"{stem}.pdf"].startswith(STAND_IN_PDF)
        assert files[f"{stem}.json"] == frozen.snapshot.encode("utf-8")
        assert json.loads(files[f"{stem}.json"])["assessment"]["title"] == assessment.title
        assert sha(files[f"{stem}.pdf"]) == frozen.pdf_sha256
        assert sha(files[f"{stem}.json"]) == frozen.snapshot_sha256


def test_the_manifest_lists_each_brief_with_its_hashes_and_no_names(march, ask):
    first, second = march
    ask(MARCH_1, MARCH_31)
    export = BatchExport.objects.get()
    files = read_zip(bytes(export.archive))

    manifest = json.loads(files["manifest.json"])

    assert manifest["format"] == "hsassess-batch-export/1"
    assert manifest["team"] == {"slug": "north", "name": "North"}
    assert manifest["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    rows = manifest["assessments"]
    assert [(r["title"], r["country"], r["approved_by_role"]) for r in rows] == [
        ("Floods in the camps", "Chad", "supervisor"),
        ("Cattle raids on the border", "Nigeria", "supervisor"),
    ]
    assert rows[0]["approved_at"] == first.approved_at.isoformat()
    for row in rows:
        for kind in ("brief", "data"):
            assert row[kind]["sha256"] == sha(files[row[kind]["file"]])
    # The approver and the authors stay out of the index (their usernames are pat, sue).
    assert b"sue" not in files["manifest.json"]
    assert b"pat" not in files["manifest.json"]
    # sha256sum -c SHA256SUMS: every file but SHA256SUMS itself, each hash right.
    sums = [line.split("  ") for line in files["SHA256SUMS"].decode().splitlines()]
    assert sorted(name for _, name in sums) == sorted(set(files) - {"SHA256SUMS"})
    assert all(digest == sha(files[name]) for digest, name in sums)


def test_an_assessment_approved_again_goes_out_with_its_latest_brief(
    practitioner, supervisor, approve, ask
):
    assessment = approve("Approved twice")
    workflow.assessment_reopen(assessment=assessment, user=supervisor, note="New figures.")
    workflow.assessment_submit(assessment=assessment, user=practitioner)
    workflow.assessment_approve(assessment=assessment, user=supervisor)
    older, newer = FrozenBrief.objects.filter(assessment=assessment).order_by("created_at", "id")
    today = timezone.localdate()

    ask(today - timedelta(days=1), today)

    files = read_zip(bytes(BatchExport.objects.get().archive))
    pdfs = [data for name, data in files.items() if name.endswith(".pdf")]
    assert pdfs == [bytes(newer.pdf)]
    assert bytes(older.pdf) != bytes(newer.pdf)


def test_the_requester_is_mailed_a_link_and_the_titles_only(march, ask):
    ask(MARCH_1, MARCH_31)

    export = BatchExport.objects.get()
    [message] = mail.outbox
    assert message.to == ["sue@example.org"]
    assert message.subject == "Your export of the approved briefs of North is ready"
    link = "http://testserver" + reverse("assessments:batch_export", args=[export.pk])
    assert link in message.body
    assert "- Floods in the camps\n- Cattle raids on the border\n" in message.body
    [(html, _)] = message.alternatives
    assert f'<a href="{link}">' in html
    assert "<li>Floods in the camps</li>" in html
    # Titles, never content: no threat, no answer, no attachment.
    assert "Threat of" not in message.body + html
    assert message.attachments == []


def test_a_failing_mail_server_leaves_the_export_done_and_is_logged(march, settings, caplog, ask):
    settings.EMAIL_BACKEND = "tests.standins.FailingEmailBackend"

    response = ask(MARCH_1, MARCH_31)

    assert response.status_code == 302
    assert BatchExport.objects.get().status == BatchExport.Status.DONE
    assert mail.outbox == []
    assert "Could not send the email 'Your export of the approved briefs of North is ready'" in (
        caplog.text
    )
