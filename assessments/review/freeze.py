"""What approval freezes, and how it is checked before it goes out.

Approval stores the rendered PDF and a JSON snapshot with their SHA-256, and signs both
hashes with the brief's identity (assessment, approval event, time): HMAC-SHA256 with
the first key of settings.BRIEF_SIGNING_KEYS. The hashes alone prove nothing against
someone who can write to the database, since they sit in the same row as the bytes; the
key does not, so a replaced PDF cannot be given a valid signature.

Every key of the list verifies, so a key is rotated by putting a new one first and
keeping the old one after it until `manage.py sign_briefs --rotate` has re-signed the
briefs it signed.

A brief frozen before signing existed has no signature. It is not served either: a
missing signature looks exactly like a removed one, and serving unsigned rows would let
anyone who can write the row remove the signature along with the PDF. `manage.py
sign_briefs` signs such rows once, after checking their hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, FrozenBrief, ReviewEvent

logger = logging.getLogger(__name__)

SIGNATURE_SCHEME = "hmac-sha256-v1"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def latest_frozen(assessment: Assessment) -> FrozenBrief | None:
    return FrozenBrief.objects.filter(assessment=assessment).order_by("-created_at", "-id").first()


# --- signing -----------------------------------------------------------------------------


def _keys() -> list[str]:
    return list(settings.BRIEF_SIGNING_KEYS)


def _key_id(key: str) -> str:
    """Names the key in a signature, so that a check can say which key signed (and a
    rotation find what the old key signed) without trying each one."""
    return hashlib.sha256(b"hsassess brief signing key id\0" + key.encode()).hexdigest()[:12]


def _message(frozen: FrozenBrief, *, pdf_sha256: str, snapshot_sha256: str) -> bytes:
    # Canonical JSON: the same brief always gives the same bytes, on any database.
    return json.dumps(
        {
            "scheme": SIGNATURE_SCHEME,
            "assessment": frozen.assessment_id,
            "approval": frozen.approval_id,
            "created_at": frozen.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "pdf_sha256": pdf_sha256,
            "snapshot_sha256": snapshot_sha256,
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")


def _mac(key: str, message: bytes) -> str:
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(frozen: FrozenBrief) -> str:
    """The signature of the brief's bytes as they are now, with the current (first) key.
    Only for a brief just frozen, or one whose hashes were checked first."""
    key = _keys()[0]
    message = _message(
        frozen,
        pdf_sha256=sha256(bytes(frozen.pdf)),
        snapshot_sha256=sha256(frozen.snapshot.encode("utf-8")),
    )
    return f"{SIGNATURE_SCHEME}:{_key_id(key)}:{_mac(key, message)}"


@transaction.atomic
def freeze(*, assessment: Assessment, approval: ReviewEvent, pdf: bytes, snapshot: bytes):
    """Store and sign what an approval froze."""
    frozen = FrozenBrief.objects.create(
        assessment=assessment,
        approval=approval,
        pdf=pdf,
        snapshot=snapshot.decode("utf-8"),
        pdf_sha256=sha256(pdf),
        snapshot_sha256=sha256(snapshot),
    )
    # The signature covers created_at, which the database row gets on insert.
    frozen.signature = sign(frozen)
    frozen.save(update_fields=["signature"])
    return frozen


# --- checking ----------------------------------------------------------------------------


class Signature(TextChoices):
    VALID = "valid", _("valid")
    MISSING = "missing", _("not signed")
    UNKNOWN_KEY = "unknown-key", _("signed with a key that is not configured")
    INVALID = "invalid", _("does not match")


@dataclass(frozen=True)
class BriefCheck:
    """What a frozen brief's check found."""

    pdf: bool  # the PDF's bytes match the hash recorded at approval
    snapshot: bool  # the snapshot's bytes match theirs
    signature: Signature  # over the hashes of the bytes as they are now
    key_index: int | None = None  # which of BRIEF_SIGNING_KEYS verified it (0: current)

    @property
    def ok(self) -> bool:
        return self.pdf and self.snapshot and self.signature == Signature.VALID

    @property
    def unsigned(self) -> bool:
        """Frozen before signing existed, and its hashes still hold: `sign_briefs` may
        sign it."""
        return self.pdf and self.snapshot and self.signature == Signature.MISSING

    @property
    def problems(self) -> list[str]:
        found = [name for name in ("pdf", "snapshot") if not getattr(self, name)]
        # Bytes that miss their hash miss the signature too (it covers the hashes of the
        # bytes as they are): the signature is news only when the hashes hold.
        if not found and self.signature != Signature.VALID:
            found.append(f"signature {self.signature.value}")
        return found


def verify_frozen(frozen: FrozenBrief) -> BriefCheck:
    """Check the stored bytes against their hashes, and the signature against the bytes.

    The signature is checked over the hashes of the bytes as they are now, not over the
    hash columns: replacing the PDF and its hash together still fails.
    """
    pdf_hash = sha256(bytes(frozen.pdf))
    snapshot_hash = sha256(frozen.snapshot.encode("utf-8"))
    pdf_ok = hmac.compare_digest(pdf_hash, frozen.pdf_sha256)
    snapshot_ok = hmac.compare_digest(snapshot_hash, frozen.snapshot_sha256)
    if not frozen.signature:
        return BriefCheck(pdf_ok, snapshot_ok, Signature.MISSING)
    scheme, _sep, rest = frozen.signature.partition(":")
    key_id, _sep, mac = rest.partition(":")
    keys = [(i, key) for i, key in enumerate(_keys()) if _key_id(key) == key_id]
    if scheme != SIGNATURE_SCHEME or not mac:
        return BriefCheck(pdf_ok, snapshot_ok, Signature.INVALID)
    if not keys:
        return BriefCheck(pdf_ok, snapshot_ok, Signature.UNKNOWN_KEY)
    message = _message(frozen, pdf_sha256=pdf_hash, snapshot_sha256=snapshot_hash)
    for index, key in keys:
        if hmac.compare_digest(_mac(key, message), mac):
            return BriefCheck(pdf_ok, snapshot_ok, Signature.VALID, index)
    return BriefCheck(pdf_ok, snapshot_ok, Signature.INVALID)


def log_refusal(frozen: FrozenBrief, check: BriefCheck, *, user) -> None:
    logger.error(
        "Frozen brief %s of assessment %s failed verification (%s); not served to %s.",
        frozen.pk,
        frozen.assessment_id,
        ", ".join(check.problems),
        getattr(user, "pk", None),
    )
