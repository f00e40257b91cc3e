"""A source's attached file: what may be attached (by content, not by name), and how big.

The type is read from the first bytes, so an .exe renamed .pdf is refused; the name the
person gave must agree with what the content is. Files are served only as downloads,
never rendered into the brief or shown inline.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# content type -> (how its content starts, the names it may carry)
TYPES = {
    "application/pdf": ((b"%PDF-",), (".pdf",)),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), (".png",)),
    "image/jpeg": ((b"\xff\xd8\xff",), (".jpg", ".jpeg")),
    "text/plain": ((), (".txt", ".md", ".csv")),
}
# Control characters a plain text may hold: tab, line feed, form feed, carriage return.
TEXT_CONTROLS = {9, 10, 12, 13}


def max_bytes() -> int:
    return getattr(settings, "EVIDENCE_FILE_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class Attachment:
    """A checked file, ready to store."""

    name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sniff(data: bytes) -> str | None:
    """The content type the bytes are, of those we accept, or None."""
    for content_type, (starts, _names) in TYPES.items():
        if starts and data.startswith(starts):
            return content_type
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(ch) < 32 and ord(ch) not in TEXT_CONTROLS for ch in text):
        return None
    return "text/plain"


def check_attachment(upload) -> Attachment:
    """The uploaded file as an Attachment, or a ValidationError saying what is wrong."""
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(limit)}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is over the size limit of %(max)s.") % {"max": filesizeformat(limit)}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    name = PurePath(upload.name or "file").name[:200]
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF, PNG or JPEG image, or plain UTF-8 text: only these "
                "can be attached."
            )
            % {"name": name}
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in TYPES[content_type][1]:
        raise ValidationError(
            _("“%(name)s” does not hold what its name says: its content is %(kind)s.")
            % {"name": name, "kind": content_type}
        )
    return Attachment(name=name, content_type=content_type, data=data)
