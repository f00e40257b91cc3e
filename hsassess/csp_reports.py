"""Where browsers report what the Content-Security-Policy blocked: logged, never stored.

Anyone can post here, signed in or not and without a CSRF token (browsers send reports
without either), so the endpoint takes little: a small body, a few reports a minute per
address, only the fields worth reading, each cut short and logged with %r so a forged
report cannot forge log lines. Whatever arrives, the answer is a 4xx or a 204, never a
500.
"""

from __future__ import annotations

import json
import logging

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hsassess.signin import client_ip

logger = logging.getLogger("hsassess.csp")

MAX_BYTES = 16 * 1024
PER_MINUTE = 20  # reports logged per address and minute; more are refused unread
REPORTS_PER_REQUEST = 5  # the Reporting API batches; log only the first few
FIELD_CHARS = 300

# In the order the log line names them: the report-uri format's names, then the
# Reporting API's.
FIELDS = {
    "blocked": ("blocked-uri", "blockedURL"),
    "document": ("document-uri", "documentURL"),
    "directive": ("effective-directive", "violated-directive", "effectiveDirective"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "sample": ("script-sample", "sample"),
}


@csrf_exempt
@login_not_required
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    if _over_rate(request):
        return HttpResponse(status=429)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if declared > MAX_BYTES:
        return HttpResponse(status=413)
    body = request.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        return HttpResponse(status=413)
    reports = _reports(body)
    if reports is None:
        return HttpResponse(status=400)
    for report in reports[:REPORTS_PER_REQUEST]:
        logger.warning(
            "Content-Security-Policy blocked %r on %r (directive %r, source %r line %r, sample %r)",
            *(_field(report, name) for name in FIELDS),
        )
    return HttpResponse(status=204)


def _over_rate(request: HttpRequest) -> bool:
    key = f"csp-report:{client_ip(request)}"
    cache.add(key, 0, timeout=60)
    try:
        return cache.incr(key) > PER_MINUTE
    except ValueError:  # expired between add and incr: count this one as the first
        cache.set(key, 1, timeout=60)
        return False


def _reports(body: bytes) -> list[dict] | None:
    """The violation reports in either format, or None for anything else."""
    try:
        document = json.loads(body.decode("utf-8"))
    # ValueError: not JSON, or an integer too long to convert; RecursionError: too deep.
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if isinstance(document, dict) and isinstance(document.get("csp-report"), dict):
        return [document["csp-report"]]  # report-uri: one report per request
    if isinstance(document, list):  # report-to: a batch of reports of several types
        return [
            item["body"]
            for item in document
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    return None


def _field(report: dict, name: str) -> str:
    for key in FIELDS[name]:
        value = report.get(key)
        if value not in (None, ""):
            return str(value)[:FIELD_CHARS]
    return ""
