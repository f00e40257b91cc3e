"""The only way the PDF renderer reaches a file: the app's own static files, and the
images a render makes for itself (page backgrounds, held in memory: `generated`).

Every other URL a text field might smuggle in (file:, http:, data: …) is refused
before any I/O happens, and nothing is ever redirected."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in the brief resolve against this origin; nothing is ever fetched from it.
BRIEF_ORIGIN = "https://brief.hsassess.invalid"
# In-memory assets of one render live under this path; nothing there is ever a file.
GENERATED_PREFIX = BRIEF_ORIGIN + "/generated/"
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,40}\.svg")


class StaticOnlyFetcher(URLFetcher):
    """Deny by default: serve files under STATIC_URL from the static finders, refuse the rest."""

    def __init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False, timeout=1)
        self.refused: list[str] = []
        # name -> bytes, given by the render that owns this fetcher (an exact name only).
        self.generated: Mapping[str, bytes] = {}

    def fetch(self, url, headers=None):
        if url.startswith(GENERATED_PREFIX):
            return self._generated(url)
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

    def _generated(self, url: str):
        name = url[len(GENERATED_PREFIX) :]
        # Exact names only: no query, fragment, escapes or sub-paths reach the mapping.
        body = None
        if NAME.fullmatch(name):
            try:
                body = self.generated[name]
            except KeyError:
                body = None
        if body is None:
            self.refused.append(url)
            raise ValueError("No such generated asset.")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})
