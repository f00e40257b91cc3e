"""The ZIP of a batch export: each approved assessment's frozen brief (PDF) and frozen
snapshot (JSON) exactly as approval stored them, a manifest and a SHA256SUMS file.

The files are the frozen bytes, never a new rendering: each one's SHA-256 is checked
against the hash recorded at approval before it goes in, so the archive can be verified
offline with `sha256sum -c SHA256SUMS` and against the app's own records.

The manifest names no person: an archive travels further than the app (mail, shared
drives), so it gives the approver's role, not their name. The snapshots inside are what
was approved, unchanged, and carry what they carry (the owner's and collaborators'
usernames).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.batch.selectors import approved_in_period
from assessments.models import Assessment, BatchExport, FrozenBrief, Membership, Team

FORMAT_ID = "hsassess-batch-export/1"
CONTENT_TYPE = "application/zip"


class ExportStopped(Exception):
    """The export cannot be built, for a reason the person who asked can read."""


@dataclass(frozen=True)
class Archive:
    content: bytes
    titles: list[str]


def archive_filename(export: BatchExport) -> str:
    return (
        f"{export.team.slug}-approved-briefs-"
        f"{export.period_from.isoformat()}-to-{export.period_to.isoformat()}.zip"
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_archive(
    *,
    team: Team,
    period_from: date,
    period_to: date,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Archive:
    """The ZIP of the team's briefs approved in the period; `progress(done, total)` is
    called as it goes. Briefs are loaded one at a time, so memory holds one PDF and the
    ZIP, not every PDF at once."""
    assessments = list(approved_in_period(team=team, period_from=period_from, period_to=period_to))
    roles = dict(Membership.objects.filter(team=team).values_list("user_id", "role"))
    total = len(assessments)
    progress(0, total)
    entries, sums = [], []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for done, assessment in enumerate(assessments, start=1):
            frozen = FrozenBrief.objects.select_related("approval__actor").get(
                pk=assessment.frozen_id
            )
            pdf, snapshot = bytes(frozen.pdf), frozen.snapshot.encode("utf-8")
            if sha256(pdf) != frozen.pdf_sha256 or sha256(snapshot) != frozen.snapshot_sha256:
                raise ExportStopped(
                    _(
                        "The frozen brief of “%(title)s” no longer matches the SHA-256 "
                        "recorded at its approval, so nothing was exported. An administrator "
                        "can check every frozen brief with “manage.py verify_brief”."
                    )
                    % {"title": assessment.title}
                )
            stem = _stem(assessment)
            stamp = timezone.localtime(frozen.created_at).timetuple()[:6]
            files = {}
            for kind, name, data, method in (
                ("brief", f"{stem}.pdf", pdf, zipfile.ZIP_STORED),  # PDFs are compressed
                ("data", f"{stem}.json", snapshot, zipfile.ZIP_DEFLATED),
            ):
                info = _info(name, date_time=stamp, method=method)
                archive.writestr(info, data)
                files[kind] = {"file": name, "sha256": sha256(data)}
                sums.append((files[kind]["sha256"], name))
            entries.append(
                {
                    "title": assessment.title,
                    "country": assessment.country,
                    "approved_at": assessment.approved_at.isoformat(),
                    "approved_by_role": _approver_role(frozen.approval.actor, roles),
                    **files,
                }
            )
            progress(done, total)
        manifest = {
            "format": FORMAT_ID,
            "team": {"slug": team.slug, "name": team.name},
            "period": {"from": period_from.isoformat(), "to": period_to.isoformat()},
            "generated_at": timezone.now().isoformat(),
            "assessments": entries,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        archive.writestr(_info("manifest.json"), manifest_bytes)
        sums.append((sha256(manifest_bytes), "manifest.json"))
        archive.writestr(
            _info("SHA256SUMS"), "".join(f"{digest}  {name}\n" for digest, name in sums)
        )
    return Archive(buffer.getvalue(), [a.title for a in assessments])


def _stem(assessment: Assessment) -> str:
    """Unique within the archive (the id), sorted by approval date, readable."""
    day = timezone.localdate(assessment.approved_at).isoformat()
    return f"{day}-{slugify(assessment.title)[:60] or 'assessment'}-{assessment.pk}"


def _approver_role(actor, roles: dict[int, str]) -> str:
    """Approving takes a supervisor of the team or a superuser; roles change later, so a
    supervisor who has left the team is a former one."""
    if roles.get(actor.pk) == Membership.Role.SUPERVISOR:
        return "supervisor"
    if actor.is_superuser:
        return "superuser"
    return "former supervisor"


def _info(name: str, *, date_time=None, method: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time or timezone.localtime().timetuple()[:6])
    info.compress_type = method
    info.external_attr = 0o644 << 16  # rw-r--r-- once unpacked, like a downloaded file
    return info
