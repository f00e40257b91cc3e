"""What approval freezes: the rendered PDF and a JSON snapshot, with the SHA-256 of both."""

from __future__ import annotations

import hashlib

from assessments.models import Assessment, FrozenBrief


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def latest_frozen(assessment: Assessment) -> FrozenBrief | None:
    return FrozenBrief.objects.filter(assessment=assessment).order_by("-created_at", "-id").first()


def verify_frozen(frozen: FrozenBrief) -> dict[str, bool]:
    """Do the stored bytes still match the hashes recorded at approval?"""
    return {
        "pdf": sha256(bytes(frozen.pdf)) == frozen.pdf_sha256,
        "snapshot": sha256(frozen.snapshot.encode("utf-8")) == frozen.snapshot_sha256,
    }
