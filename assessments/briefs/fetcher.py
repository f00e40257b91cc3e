"""The only way the PDF renderer reaches a file: the app's own static files.

Every other URL a text field might smuggle in (file:, http:, data: …) is refused
before any I/O happens, and nothing is ever redirected."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in the brief resolve against this origin; nothing is ever fetched from it.
BRIEF_ORIGIN = "https://brief.hsassess.invalid"


class StaticOnlyFetcher(URLFetcher):
    """Deny by default: serve files under STATIC_URL from the static finders, refuse the rest."""

    def __init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (
            f"{parts.scheme}://{parts.netloc}" != BRIEF_ORIGIN
            or not parts.path.startswith(prefix)
            or parts.query
        ):
            self.refused.append(url)
            raise ValueError("The brief may only use the app's own static files.")
        relative = unquote(parts.path[len(prefix) :])
        if (
            not relative
            or relative.startswith("/")
            or "\\" in relative
            or ".." in Path(relative).parts
        ):
            self.refused.append(url)
            raise ValueError("Path traversal refused.")
        try:
            path = finders.find(relative)
            if path is None and settings.STATIC_ROOT:
                candidate = Path(safe_join(settings.STATIC_ROOT, relative))
                path = str(candidate) if candidate.is_file() else None
        except SuspiciousFileOperation:
            path = None
        if path is None:
            self.refused.append(url)
            raise ValueError("No such static file.")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": content_type})
