"""A throwaway message catalogue, for tests that need a translated interface before the
translators' catalogues in locale/ are filled (and that must not depend on them)."""

from __future__ import annotations

import struct
from pathlib import Path


def write_catalogue(root: Path, language: str, messages: dict[str, str]) -> Path:
    """Write `<root>/<language>/LC_MESSAGES/django.mo` (GNU gettext's binary format, as
    msgfmt makes it) holding `messages`; put `root` first in LOCALE_PATHS to use it."""
    entries = sorted({"": "Content-Type: text/plain; charset=UTF-8\n", **messages}.items())
    ids = [k.encode("utf-8") for k, _v in entries]
    strs = [v.encode("utf-8") for _k, v in entries]
    header = 7 * 4
    ids_table = header
    strs_table = ids_table + 8 * len(entries)
    data = strs_table + 8 * len(entries)
    offsets, blob = [], b""
    for text in ids + strs:
        offsets.append((len(text), data + len(blob)))
        blob += text + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, len(entries), ids_table, strs_table, 0, 0)
    tables = b"".join(struct.pack("<2I", *o) for o in offsets)
    path = root / language / "LC_MESSAGES" / "django.mo"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(head + tables + blob)
    return path
