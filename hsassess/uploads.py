"""Checks shared by every upload form: size and type, before anything reads the content."""

from pathlib import PurePath

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def checked_upload(upload, *, max_bytes: int, extensions: tuple[str, ...]) -> bytes:
    """The uploaded bytes, or a ValidationError naming what is wrong with the file."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in extensions:
        raise forms.ValidationError(
            _("Upload a %(types)s file (this one is “%(name)s”).")
            % {"types": " / ".join(extensions), "name": upload.name}
        )
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("The file is %(size)s; the limit is %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)}
        )
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise forms.ValidationError(_("The file is over the size limit."))
    if b"\x00" in content:
        raise forms.ValidationError(_("This is not a text file."))
    return content
