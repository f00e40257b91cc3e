"""Frozen briefs are signed with a key outside the database: whoever can write to the
database cannot replace a brief unnoticed, a brief that fails is never served, keys
rotate, and briefs frozen before signing are signed once by a command."""

from __future__ import annotations

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import FrozenBrief
from assessments.review import services as workflow
from assessments.review.freeze import Signature, sha256, verify_frozen
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

OLD_KEY = "old-brief-signing-key-" + "o" * 30
NEW_KEY = "new-brief-signing-key-" + "n" * 30
REFUSED = "This approved brief failed verification"


def _approve(assessment, author, supervisor) -> FrozenBrief:
    workflow.assessment_submit(assessment=assessment, user=author)
    workflow.assessment_approve(assessment=assessment, user=supervisor)
    return FrozenBrief.objects.filter(assessment=assessment).latest()


@pytest.fixture
def frozen(fake_render, assessment, practitioner, supervisor) -> FrozenBrief:
    return _approve(assessment, practitioner, supervisor)


def _reload(frozen: FrozenBrief) -> FrozenBrief:
    return FrozenBrief.objects.get(pk=frozen.pk)


def _brief(client, frozen):
    return client.get(f"/assessments/{frozen.assessment_id}/brief.pdf")


def _earlier_brief(client, frozen):
    return client.get(f"/assessments/{frozen.assessment_id}/briefs/{frozen.pk}.pdf")


def _verify_brief() -> tuple[str, str]:
    out = StringIO()
    try:
        call_command("verify_brief", stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), ""


def _state(output: str) -> str:
    (line,) = output.splitlines()
    return line.split("\t")[1]


# --- signing at approval ---------------------------------------------------------------


def test_approval_signs_the_frozen_brief_and_it_is_served(client, login, frozen, supervisor):
    check = verify_frozen(frozen)

    assert frozen.signature.startswith("hmac-sha256-v1:")
    assert check.ok and check.key_index == 0
    response = _brief(login(supervisor), frozen)
    assert response.status_code == 200
    assert response.content == bytes(frozen.pdf)
    assert _state(_verify_brief()[0]) == "OK"


# --- tampering ---------------------------------------------------------------------------


def _replace_pdf_and_hash(frozen, pdf=b"%PDF-1.7 forged brief"):
    FrozenBrief.objects.filter(pk=frozen.pk).update(pdf=pdf, pdf_sha256=sha256(pdf))


def _replace_snapshot_and_hash(frozen):
    snapshot = frozen.snapshot.replace("approved", "Approved")
    FrozenBrief.objects.filter(pk=frozen.pk).update(
        snapshot=snapshot, snapshot_sha256=sha256(snapshot.encode())
    )


def _move_to_another_day(frozen):
    FrozenBrief.objects.filter(pk=frozen.pk).update(
        created_at=frozen.created_at - timedelta(days=3)
    )


@pytest.mark.parametrize(
    "tamper",
    [_replace_pdf_and_hash, _replace_snapshot_and_hash, _move_to_another_day],
    ids=["pdf-and-its-hash", "snapshot-and-its-hash", "created-at"],
)
def test_a_brief_changed_with_its_hash_is_refused_logged_and_shown_as_failed(
    client, login, frozen, supervisor, caplog, tamper
):
    tamper(frozen)
    login(supervisor)

    with caplog.at_level(logging.ERROR, logger="assessments.review.freeze"):
        latest = _brief(client, frozen)
        earlier = _earlier_brief(client, frozen)
    overview = client.get(f"/assessments/{frozen.assessment_id}/").content.decode()

    for response in (latest, earlier):
        assert response.status_code == 409
        assert response["Content-Type"].startswith("text/html")
        assert REFUSED in response.content.decode()
        assert b"forged brief" not in response.content
    assert [r.levelname for r in caplog.records] == ["ERROR", "ERROR"]
    assert f"Frozen brief {frozen.pk} of assessment {frozen.assessment_id}" in caplog.text
    assert "signature invalid" in caplog.text
    assert "Verification FAILED" in overview
    assert "Verified:" not in overview
    output, error = _verify_brief()
    assert _state(output) == "MISMATCH signature invalid"
    assert "do not match their hash or signature" in error


def test_a_signature_copied_from_another_brief_does_not_hold(
    client, login, fake_render, frozen, team, version, practitioner, supervisor
):
    other = _approve(
        AssessmentFactory(team=team, owner=practitioner, framework_version=version),
        practitioner,
        supervisor,
    )
    # The other brief's bytes, hashes and signature, under this brief's identity.
    FrozenBrief.objects.filter(pk=frozen.pk).update(
        pdf=bytes(other.pdf),
        pdf_sha256=other.pdf_sha256,
        snapshot=other.snapshot,
        snapshot_sha256=other.snapshot_sha256,
        signature=other.signature,
    )

    assert verify_frozen(_reload(frozen)).signature == Signature.INVALID
    assert _brief(login(supervisor), frozen).status_code == 409
    assert verify_frozen(_reload(other)).ok


def test_bytes_changed_without_their_hash_are_refused_too(client, login, frozen, supervisor):
    FrozenBrief.objects.filter(pk=frozen.pk).update(pdf=bytes(frozen.pdf) + b"% edited")

    assert _brief(login(supervisor), frozen).status_code == 409
    assert _state(_verify_brief()[0]) == "MISMATCH pdf"


# --- rotating the key --------------------------------------------------------------------


def test_a_brief_signed_with_the_old_key_verifies_after_a_rotation_and_is_resigned(
    client, login, settings, fake_render, assessment, practitioner, supervisor
):
    settings.BRIEF_SIGNING_KEYS = [OLD_KEY]
    frozen = _approve(assessment, practitioner, supervisor)

    # The new key signs from now on; the old one stays in the list to verify.
    settings.BRIEF_SIGNING_KEYS = [NEW_KEY, OLD_KEY]
    check = verify_frozen(frozen)
    assert check.ok and check.key_index == 1
    assert _brief(login(supervisor), frozen).status_code == 200
    assert _state(_verify_brief()[0]) == "OK (old key 2)"

    out = StringIO()
    call_command("sign_briefs", "--rotate", stdout=out)
    assert f"{frozen.pk}\t{frozen.assessment_id}\tsigned" in out.getvalue()

    # Once re-signed, the old key can go.
    settings.BRIEF_SIGNING_KEYS = [NEW_KEY]
    assert verify_frozen(_reload(frozen)).key_index == 0
    assert _brief(client, frozen).content == bytes(frozen.pdf)


def test_a_brief_whose_key_was_dropped_is_refused(
    client, login, settings, fake_render, assessment, practitioner, supervisor
):
    settings.BRIEF_SIGNING_KEYS = [OLD_KEY]
    frozen = _approve(assessment, practitioner, supervisor)
    settings.BRIEF_SIGNING_KEYS = [NEW_KEY]

    assert verify_frozen(frozen).signature == Signature.UNKNOWN_KEY
    assert _brief(login(supervisor), frozen).status_code == 409
    assert _state(_verify_brief()[0]) == "MISMATCH signature unknown-key"


def test_rotating_never_signs_a_brief_that_fails_its_check(
    client, login, settings, fake_render, assessment, practitioner, supervisor
):
    settings.BRIEF_SIGNING_KEYS = [OLD_KEY]
    frozen = _approve(assessment, practitioner, supervisor)
    _replace_pdf_and_hash(frozen)
    settings.BRIEF_SIGNING_KEYS = [NEW_KEY, OLD_KEY]
    out = StringIO()

    with pytest.raises(CommandError, match="1 frozen brief"):
        call_command("sign_briefs", "--rotate", stdout=out)

    assert "REFUSED signature invalid" in out.getvalue()
    assert _reload(frozen).signature == frozen.signature
    assert _brief(login(supervisor), frozen).status_code == 409


# --- briefs frozen before signing --------------------------------------------------------


@pytest.fixture
def legacy(frozen) -> FrozenBrief:
    """A brief as release 1 froze it: hashes, no signature."""
    FrozenBrief.objects.filter(pk=frozen.pk).update(signature=None)
    return _reload(frozen)


def test_an_unsigned_brief_is_withheld_until_sign_briefs_signs_it(
    client, login, legacy, supervisor
):
    login(supervisor)
    withheld = _brief(client, legacy)
    overview = client.get(f"/assessments/{legacy.assessment_id}/").content.decode()
    output, error = _verify_brief()

    assert withheld.status_code == 409
    assert "has not been signed since" in withheld.content.decode()
    assert "Not signed" in overview
    assert _state(output) == "UNSIGNED"
    assert "sign_briefs" in error

    out = StringIO()
    call_command("sign_briefs", stdout=out)

    assert "1 brief(s) signed." in out.getvalue()
    assert verify_frozen(_reload(legacy)).ok
    assert _brief(client, legacy).content == bytes(legacy.pdf)
    assert _verify_brief()[1] == ""


def test_sign_briefs_dry_run_changes_nothing(legacy):
    out = StringIO()

    call_command("sign_briefs", "--dry-run", stdout=out)

    assert "1 brief(s) to sign." in out.getvalue()
    assert _reload(legacy).signature is None


def test_sign_briefs_refuses_an_unsigned_brief_whose_hash_fails(legacy):
    FrozenBrief.objects.filter(pk=legacy.pk).update(pdf=b"%PDF-1.7 changed")
    out = StringIO()

    with pytest.raises(CommandError, match="were not signed"):
        call_command("sign_briefs", stdout=out)

    assert "REFUSED pdf" in out.getvalue()
    assert _reload(legacy).signature is None
