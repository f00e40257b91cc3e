"""Reading the bytes of an export.json, for the import page and `manage.py
import_assessment` alike. The bytes are scanned before the parser sees them: Python's
json module recurses once per level (RecursionError past ~1,000, and the checks after it
recurse too) and converts a number of any length (ValueError past 4,300 digits), and
neither error says anything a person could act on. Each message says what is wrong in
the file's terms."""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.limits import JSON_DEPTH, NUMBER_DIGITS

# A JSON string (its escapes included); possessive, so an unclosed one costs one pass.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _STEP)
_LONG_NUMBER = re.compile(rb"[0-9]{%d}" % (NUMBER_DIGITS + 1))


def _outside_strings(raw: bytes) -> bytes:
    return _STRING.sub(b'""', raw)


def _depth(structure: bytes) -> int:
    """How deep the brackets of `structure` (strings removed) nest, without recursion."""
    brackets = structure.translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def read_json(raw: bytes) -> Any:
    """The document in `raw`, or ValidationError with a message for a person."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("This is not a JSON document: byte %(n)d is not UTF-8 text.") % {"n": exc.start + 1}
        ) from exc
    structure = _outside_strings(raw)
    if _depth(structure) > JSON_DEPTH:
        raise ValidationError(
            _("This is not an export that can be read: it is nested more than %(n)d levels deep.")
            % {"n": JSON_DEPTH}
        )
    if _LONG_NUMBER.search(structure):
        raise ValidationError(
            _("This is not an export that can be read: a number has more than %(n)d digits.")
            % {"n": NUMBER_DIGITS}
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("This is not a JSON document (line %(line)d, column %(col)d).")
            % {"line": exc.lineno, "col": exc.colno}
        ) from exc
    except (RecursionError, ValueError) as exc:  # the scan above should leave none
        raise ValidationError(_("This is not a JSON document that can be read.")) from exc
