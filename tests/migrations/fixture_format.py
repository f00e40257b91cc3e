"""The release fixture's format: every row of a database as JSON, the same on every backend.

Shared by the generator (run with the release's code) and the forward-migration test (run
with the code of any later release), so it uses the standard library only.

A value is stored as JSON where JSON can hold it; otherwise as a one-key tagged object:
{"$datetime": ISO in UTC}, {"$date": ISO}, {"$time": ISO}, {"$decimal": str},
{"$bytes": base64}, and, in the auth link tables, {"$permission": "app_label.codename"} in
place of a permission id (permission ids are not stable between databases).
"""

from __future__ import annotations

import base64
import datetime
import decimal
import gzip
import json
from pathlib import Path
from typing import Any

FORMAT = 1
HERE = Path(__file__).resolve().parent
RELEASE_FIXTURE = HERE / "release1.json.gz"

# Rows that point at a permission: the permission is written as its natural key.
PERMISSION_LINKS = {"auth_group_permissions", "auth_user_user_permissions"}


def encode(value: Any) -> Any:
    """A value read from a database cursor, in the fixture's JSON form."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:  # SQLite hands back naive UTC
            value = value.replace(tzinfo=datetime.UTC)
        return {"$datetime": value.astimezone(datetime.UTC).isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"$time": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, memoryview | bytearray | bytes):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"No fixture form for {type(value).__name__}: {value!r}")


def decode(value: Any) -> Any:
    """The Python value of a fixture value (permissions are left tagged: see the test)."""
    if not isinstance(value, dict):
        return value
    ((tag, raw),) = value.items()
    if tag == "$datetime":
        return datetime.datetime.fromisoformat(raw)
    if tag == "$date":
        return datetime.date.fromisoformat(raw)
    if tag == "$time":
        return datetime.time.fromisoformat(raw)
    if tag == "$decimal":
        return decimal.Decimal(raw)
    if tag == "$bytes":
        return base64.b64decode(raw)
    if tag == "$permission":
        return value
    raise ValueError(f"Unknown tag in fixture: {tag}")


def write(path: Path, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    # mtime=0: the same data gives the same bytes, so a regenerated file diffs cleanly.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(text.encode("utf-8"))


def read(path: Path = RELEASE_FIXTURE) -> dict:
    with gzip.open(path, "rb") as fh:
        data = json.loads(fh.read().decode("utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"{path.name}: format {data.get('format')!r}, expected {FORMAT}")
    return data
