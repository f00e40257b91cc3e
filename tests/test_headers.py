"""Response headers: nothing private is cached, the Content-Security-Policy (django-csp)
and its report endpoint."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.cache import cache
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from assessments.review import services as workflow
from tests.factories import ThreatFactory

REPORT_URL = "/csp-report/"

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "report-uri": REPORT_URL,
    "report-to": "csp",
}


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


# --- Cache-Control ---------------------------------------------------------------------


def pages(assessment) -> list[str]:
    a = [assessment.pk]
    section = assessment.framework_version.sections.order_by("order").first()
    return [
        reverse("dashboard"),
        reverse("assessments:list"),
        reverse("assessments:create"),
        reverse("assessments:import"),
        reverse("assessments:detail", args=a),
        reverse("assessments:edit", args=a),
        reverse("assessments:section", args=[assessment.pk, section.key]),
        reverse("assessments:groups", args=a),
        reverse("assessments:threats", args=a),
        reverse("assessments:responses", args=a),
        reverse("assessments:submit", args=a),
        reverse("frameworks:list"),
    ]


def downloads(assessment) -> list[str]:
    a = [assessment.pk]
    return [
        reverse("assessments:export_json", args=a),
        reverse("assessments:threats_csv", args=a),
        reverse("assessments:threats_xlsx", args=a),
        reverse("assessments:brief", args=a),
        reverse("assessments:brief", args=a) + "?variant=public",
    ]


def test_every_page_and_download_for_a_signed_in_person_is_never_stored(
    client, login, fake_render, assessment, practitioner
):
    ThreatFactory(assessment=assessment)
    login(practitioner)

    for url in pages(assessment) + downloads(assessment):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store, private", url


def test_the_approved_brief_and_the_review_page_are_never_stored(
    client, login, fake_render, assessment, practitioner, supervisor
):
    workflow.assessment_submit(assessment=assessment, user=practitioner)
    review = login(supervisor).get(reverse("assessments:review", args=[assessment.pk]))
    workflow.assessment_approve(assessment=assessment, user=supervisor)
    frozen = assessment.frozen_briefs.get()

    responses = [
        review,
        client.get(reverse("assessments:brief", args=[assessment.pk])),
        client.get(reverse("assessments:frozen_brief", args=[assessment.pk, frozen.pk])),
    ]

    for response in responses:
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store, private"


def test_admin_pages_are_never_stored(client, db):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)
    client.force_login(admin)

    for url in ("/admin/", "/admin/frameworks/frameworkversion/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store, private", url


def test_static_files_keep_their_own_caching_for_a_signed_in_person(client, login, practitioner):
    login(practitioner)

    response = client.get(static("css/app.css"))
    response.close()  # WhiteNoise streams the file

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]


# --- Content-Security-Policy -----------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_send_the_policy_and_where_to_report(client, login, practitioner, signed_in):
    if signed_in:
        login(practitioner)
    response = client.get("/accounts/login/" if not signed_in else "/assessments/")

    assert directives(response) == POLICY
    assert response["Reporting-Endpoints"] == f'csp="{REPORT_URL}"'


def test_downloads_send_the_policy_too(client, login, assessment, practitioner):
    response = login(practitioner).get(reverse("assessments:export_json", args=[assessment.pk]))

    assert directives(response) == POLICY


# --- the report endpoint ---------------------------------------------------------------


@pytest.fixture
def reporter(db):
    """A browser sending a report: not signed in, no CSRF token."""
    cache.clear()
    return Client(enforce_csrf_checks=True)


def csp_logged(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "hsassess.csp"]


def post_report(client, body: bytes | str, content_type="application/csp-report", **extra):
    return client.post(REPORT_URL, body, content_type=content_type, **extra)


CSP_REPORT = {
    "csp-report": {
        "document-uri": "https://hsassess.example.org/assessments/7/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://evil.example.com/x.js",
        "source-file": "https://hsassess.example.org/assessments/7/",
        "line-number": 12,
    }
}

REPORTING_API_BATCH = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://hsassess.example.org/",
        "body": {
            "documentURL": "https://hsassess.example.org/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://tracker.example.net/p.gif",
            "disposition": "enforce",
        },
    },
    {"type": "deprecation", "body": {"id": "something-old"}},
]


def test_a_report_uri_report_is_logged_without_sign_in_or_csrf_token(reporter, caplog):
    with caplog.at_level(logging.WARNING, logger="hsassess.csp"):
        response = post_report(reporter, json.dumps(CSP_REPORT))

    assert response.status_code == 204
    (record,) = csp_logged(caplog)
    message = record.getMessage()
    assert "'https://evil.example.com/x.js'" in message
    assert "script-src-elem" in message
    assert "/assessments/7/" in message


def test_a_reporting_api_batch_logs_its_csp_violations_only(reporter, caplog):
    with caplog.at_level(logging.WARNING, logger="hsassess.csp"):
        response = post_report(
            reporter, json.dumps(REPORTING_API_BATCH), content_type="application/reports+json"
        )

    assert response.status_code == 204
    (record,) = csp_logged(caplog)
    assert "tracker.example.net" in record.getMessage()


def test_a_forged_report_cannot_forge_log_lines(reporter, caplog):
    forged = {"csp-report": {"blocked-uri": "x\nCRITICAL admin signed in from 1.2.3.4"}}

    with caplog.at_level(logging.WARNING, logger="hsassess.csp"):
        post_report(reporter, json.dumps(forged))

    assert "\n" not in csp_logged(caplog)[0].getMessage()


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00binary",
        b"[" * 5000 + b"]" * 5000,
        b'{"csp-report": ' + b"9" * 5000 + b"}",
        b'{"csp-report": "a string"}',
        b"42",
        b"null",
    ],
    ids=["empty", "text", "binary", "deep", "huge-int", "wrong-shape", "number", "null"],
)
def test_anything_else_is_a_bad_request_never_an_error(reporter, caplog, body):
    with caplog.at_level(logging.WARNING, logger="hsassess.csp"):
        response = post_report(reporter, body)

    assert response.status_code == 400
    assert not csp_logged(caplog)


def test_a_large_report_is_refused_unread(reporter, caplog):
    body = json.dumps({"csp-report": {"blocked-uri": "x" * 20_000}})

    with caplog.at_level(logging.WARNING, logger="hsassess.csp"):
        response = post_report(reporter, body)

    assert response.status_code == 413
    assert not csp_logged(caplog)


def test_reports_from_one_address_are_rate_limited(reporter, caplog):
    with caplog.at_level(logging.WARNING, logger="hsassess.csp"):
        statuses = [post_report(reporter, json.dumps(CSP_REPORT)).status_code for _ in range(25)]
        elsewhere = post_report(reporter, json.dumps(CSP_REPORT), REMOTE_ADDR="192.0.2.44")

    assert statuses[:20] == [204] * 20
    assert set(statuses[20:]) == {429}
    assert elsewhere.status_code == 204
    assert len(csp_logged(caplog)) == 21


def test_the_report_endpoint_takes_only_posts(reporter):
    assert reporter.get(REPORT_URL).status_code == 405
