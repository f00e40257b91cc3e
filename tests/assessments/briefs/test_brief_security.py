"""Safe rendering: markup typed into any text field is shown as text on the pages and in
the PDF, and the PDF renderer fetches nothing but the app's own static files (no file:,
no network, no attachments), proven with a real listener on 127.0.0.1.

PDF renders here: one brief through the view, one raw page through the app's renderer
and one raw page through WeasyPrint's default fetcher as a control, which shows the
same markup *does* reach the listener and attach files when nothing stops it.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import weasyprint
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils.html import escape
from pypdf import PdfReader
from pypdf.generic import StreamObject

from assessments.briefs import render as briefs
from assessments.briefs.fetcher import BRIEF_ORIGIN, StaticOnlyFetcher
from assessments.models import Membership
from assessments.review import services as workflow
from frameworks.models import Prompt
from tests.factories import (
    AnswerFactory,
    ComponentTagFactory,
    IndicatorFactory,
    MembershipFactory,
    PopulationGroupFactory,
    ResponseFactory,
    ThreatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- a listener that records every connection -------------------------------------------------


@dataclass
class Listener:
    port: int
    hits: list[str] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def listener():
    """A TCP server on an ephemeral port of 127.0.0.1, in a thread. Every connection is
    recorded with its request line and answered with an empty 200, so a renderer that
    did fetch would not hang."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    state = Listener(port=server.getsockname()[1])
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    request = conn.recv(4096).decode("latin-1")
                except OSError:
                    request = ""
                state.hits.append(request.split("\r\n", 1)[0] or "(connected)")
                with contextlib.suppress(OSError):
                    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield state
    stop.set()
    thread.join(timeout=2)
    server.close()


def test_the_listener_records_a_connection(listener):
    # Without this the "no connection" assertions below could pass on a dead listener.
    with socket.create_connection(("127.0.0.1", listener.port), timeout=2) as conn:
        conn.sendall(b"GET /probe HTTP/1.0\r\n\r\n")
        assert conn.recv(100).startswith(b"HTTP/1.0 200")

    assert listener.hits == ["GET /probe HTTP/1.0"]


# --- payloads ---------------------------------------------------------------------------------


def payloads(port: int) -> list[str]:
    return [
        "<script>alert(1)</script>",
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/hostname">',
        f"<style>@import url(http://127.0.0.1:{port}/x)</style>",
        f'<img src="http://127.0.0.1:{port}/img">',
    ]


RAW_MARKERS = [
    "<script>alert",
    '<img src="file:',
    '<link rel="attachment"',
    "<style>@import",
    '<img src="http://127.0.0.1',
]


@dataclass
class Planted:
    """Where each labelled payload went: label -> text stored in that field."""

    values: dict[str, str]

    def value(self, label: str) -> str:
        return self.values[label]


def _plant(assessment, supervisor, port: int) -> Planted:
    """A payload in every text field. Each value starts with its field's label, so the
    PDF check names the field that failed; short fields get one payload each (in turn),
    long text fields get all five."""
    marks = payloads(port)
    everything = " ".join(marks)
    values: dict[str, str] = {}
    turn = itertools.count()

    def one(label: str) -> str:
        values[label] = f"[{label}] {marks[next(turn) % len(marks)]}"
        return values[label]

    def all_(label: str) -> str:
        values[label] = f"[{label}] {everything}"
        return values[label]

    a = assessment
    a.title = one("title")
    a.country = one("country")
    a.area = one("area")
    a.population_focus = one("population_focus")
    a.key_points = "\n".join(f"[key_point{i}] {mark}" for i, mark in enumerate(marks))
    for i, mark in enumerate(marks):
        values[f"key_point{i}"] = f"[key_point{i}] {mark}"
    a.full_clean()
    a.save()

    version = a.framework_version
    for key in ("reflexive-assumptions", "reflexive-position", "sources-list"):
        prompt = Prompt.objects.get(section__version=version, key=key)
        AnswerFactory(assessment=a, prompt=prompt, text=all_(f"answer:{key}"))
    # An answer the brief does not print, still shown on its section page.
    situation = Prompt.objects.get(section__version=version, key="context-situation")
    AnswerFactory(assessment=a, prompt=situation, text=all_("answer:context-situation"))

    group = PopulationGroupFactory(
        assessment=a,
        name=one("group.name"),
        description=all_("group.description"),
        ethnicity=one("group.ethnicity"),
    )
    threat = ThreatFactory(
        assessment=a,
        title=one("threat.title"),
        description=all_("threat.description"),
        source_actor=one("threat.source_actor"),
        root_causes=all_("threat.root_causes"),
        severity=4,  # serious, so its root causes and indicators are in the brief
    )
    threat.affected_groups.add(group)
    ComponentTagFactory(threat=threat, rationale=all_("tag.rationale"))
    IndicatorFactory(
        threat=threat,
        name=one("indicator.name"),
        threshold=one("indicator.threshold"),
        source=one("indicator.source"),
    )
    response = ResponseFactory(
        assessment=a,
        title=one("response.title"),
        description=all_("response.description"),
        actor=one("response.actor"),
        timeframe=one("response.timeframe"),
        do_no_harm_risk=all_("response.do_no_harm_risk"),
        groups=[group],
    )
    response.threats.add(threat)

    # Comments and the review trail carry text too.
    workflow.assessment_submit(assessment=a, user=a.owner)
    workflow.assessment_comment(assessment=a, user=supervisor, text=all_("comment"))
    workflow.assessment_return(assessment=a, user=supervisor, note=all_("return_note"))
    return Planted(values)


# Fields the brief prints (comments stay on the review pages; every answer is in the
# brief's context narrative).
NOT_IN_BRIEF = {"comment"}


def _squash(text: str) -> str:
    """Line wrapping may break anywhere there was a space; compare without whitespace."""
    return "".join(text.split())


def _pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _assert_nothing_embedded(reader: PdfReader) -> None:
    catalog = reader.trailer["/Root"]
    names = catalog.get("/Names")
    names = names.get_object() if names is not None else {}
    assert "/EmbeddedFiles" not in names
    assert "/JavaScript" not in names
    assert "/AA" not in catalog
    assert reader.attachments == {}
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"


@pytest.fixture
def reviewer(team):
    return MembershipFactory(
        team=team, user=UserFactory(username="rita"), role=Membership.Role.SUPERVISOR
    ).user


def test_payloads_in_every_field_are_text_on_the_pages_and_in_the_pdf(
    client, login, listener, assessment, practitioner, reviewer
):
    planted = _plant(assessment, reviewer, listener.port)
    base = f"/assessments/{assessment.pk}"

    # The pages: every payload escaped, none of them live markup.
    login(practitioner)
    pages = {
        url: client.get(url)
        for url in [
            f"{base}/",
            f"{base}/groups/",
            f"{base}/threats/",
            f"{base}/responses/",
            f"{base}/sections/context/",
            f"{base}/sections/reflexive/",
            "/",
            "/assessments/",
        ]
    }
    pages[f"{base}/review/"] = login(reviewer).get(f"{base}/review/")
    for url, response in pages.items():
        assert response.status_code == 200, url
        html = response.content.decode()
        for marker in RAW_MARKERS:
            assert marker not in html, (url, marker)
    overview = pages[f"{base}/"].content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overview
    for label in ("title", "country", "area", "key_point0", "threat.title", "comment"):
        assert escape(planted.value(label)) in overview, label
    assert escape(planted.value("return_note")) in overview
    assert escape(planted.value("group.name")) in pages[f"{base}/groups/"].content.decode()
    assert escape(planted.value("response.actor")) in pages[f"{base}/responses/"].content.decode()
    section = pages[f"{base}/sections/context/"].content.decode()
    assert escape(planted.value("answer:context-situation")) in section

    # The PDF: every printed field shows its payload as literal text.
    response = login(practitioner).get(f"{base}/brief.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = _pdf_text(reader)
    squashed = _squash(text)
    assert "<script>alert(1)</script>" in squashed
    for label, value in planted.values.items():
        if label in NOT_IN_BRIEF:
            continue
        assert _squash(value) in squashed, f"{label} is not shown as text in the brief"
    assert reader.metadata.title == planted.value("title")

    # Nothing was fetched, nothing attached, no local file read.
    assert listener.hits == []
    _assert_nothing_embedded(reader)
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    if hostname:
        assert hostname not in text.split()


# --- the renderer itself, given live markup ---------------------------------------------------


def _hostile_page(port: int, secret: Path) -> str:
    """What the template would produce if escaping ever failed, and a few more ways in."""
    return f"""<!doctype html><html lang="en"><head><title>Hostile</title>
<link rel="stylesheet" href="/static/css/brief.css">
<link rel="stylesheet" href="http://127.0.0.1:{port}/sheet.css">
<link rel="attachment" href="file:///etc/hostname">
<link rel="attachment" href="{secret.as_uri()}">
<style>@import url(http://127.0.0.1:{port}/x);
@font-face {{ font-family: Leak; src: url({secret.as_uri()}); }}
body {{ background: url(http://127.0.0.1:{port}/bg) }}</style>
</head><body><h1>Hostile page</h1>
<script>alert(1)</script>
<img src="file:///etc/passwd" alt="passwd">
<img src="http://127.0.0.1:{port}/img" alt="net">
<img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E" alt="data">
<object data="http://127.0.0.1:{port}/object"></object>
<embed src="{secret.as_uri()}">
<iframe src="http://127.0.0.1:{port}/frame"></iframe>
<svg width="10" height="10"><image href="http://127.0.0.1:{port}/svg"/></svg>
<p><a rel="attachment" href="{secret.as_uri()}">attached</a></p>
</body></html>"""


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("TOPSECRET-4f1c9a attachment content\n")
    return path


def _all_stream_bytes(reader: PdfReader) -> bytes:
    """Every stream of the PDF, decompressed (embedded files are Flate-compressed)."""
    chunks = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            chunks.append(obj.get_data())
    return b"".join(chunks)


def test_the_renderer_fetches_only_static_files_even_from_live_markup(
    monkeypatch, listener, secret
):
    fetchers = []

    class Recording(StaticOnlyFetcher):
        def __init__(self):
            super().__init__()
            self.served = []
            fetchers.append(self)

        def fetch(self, url, headers=None):
            response = super().fetch(url, headers)
            self.served.append(url)
            return response

    monkeypatch.setattr(briefs, "StaticOnlyFetcher", Recording)

    pdf = briefs.html_to_pdf(_hostile_page(listener.port, secret))

    reader = PdfReader(io.BytesIO(pdf))
    assert "Hostile page" in _pdf_text(reader)
    assert listener.hits == []
    _assert_nothing_embedded(reader)
    assert b"TOPSECRET-4f1c9a" not in _all_stream_bytes(reader)
    (fetcher,) = fetchers
    assert fetcher.served == [f"{BRIEF_ORIGIN}/static/css/brief.css"]
    # Every other URL reached the fetcher and was refused there, before any I/O.
    network = {f"{listener.origin}/{p}" for p in ("sheet.css", "x", "bg", "img", "object", "svg")}
    local = {"file:///etc/passwd", "file:///etc/hostname", secret.as_uri()}
    assert network | local <= set(fetcher.refused)


def test_control_without_the_fetcher_the_same_markup_leaks(listener, secret):
    # WeasyPrint's own fetcher follows file: and http: URLs: this is what the restricted
    # fetcher prevents, and it shows the checks above can see a leak.
    page = _hostile_page(listener.port, secret).replace("/static/css/brief.css", "")

    pdf = weasyprint.HTML(string=page, base_url=secret.parent.as_uri() + "/").write_pdf()

    reader = PdfReader(io.BytesIO(pdf))
    assert "GET /x HTTP/1.1" in listener.hits
    assert "GET /img HTTP/1.1" in listener.hits
    assert set(reader.attachments) == {"hostname", "secret.txt"}
    assert b"TOPSECRET-4f1c9a" in _all_stream_bytes(reader)


# --- StaticOnlyFetcher ----------------------------------------------------------------------


def test_fetcher_serves_the_brief_stylesheet_from_the_brief_origin():
    fetcher = StaticOnlyFetcher()

    response = fetcher.fetch(f"{BRIEF_ORIGIN}/static/css/brief.css")

    assert response.read() == Path(finders.find("css/brief.css")).read_bytes()
    assert response.content_type == "text/css"
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "{listener}/x",
        "{listener}/static/css/brief.css",
        f"{BRIEF_ORIGIN}/static/../../../../etc/passwd",
        f"{BRIEF_ORIGIN}/static/css/../../hsassess/settings.py",
        f"{BRIEF_ORIGIN}/static/css/%2e%2e/%2e%2e/hsassess/settings.py",
        f"{BRIEF_ORIGIN}/static/..%2f..%2fhsassess/settings.py",
        "data:text/css,body{background:red}",
        "https://evil.example/static/css/brief.css",
        "http://brief.hsassess.invalid/static/css/brief.css",
        "https://brief.hsassess.invalid@evil.example/static/css/brief.css",
        f"{BRIEF_ORIGIN}/static/css/brief.css?v=1",
        f"{BRIEF_ORIGIN}/etc/passwd",
        f"{BRIEF_ORIGIN}/static/css/missing.css",
    ],
)
def test_fetcher_refuses_everything_else(listener, url):
    url = url.replace("{listener}", listener.origin)
    fetcher = StaticOnlyFetcher()

    with pytest.raises(ValueError):
        fetcher.fetch(url)

    assert fetcher.refused == [url]
    assert listener.hits == []


@pytest.mark.parametrize(
    "url",
    [f"{BRIEF_ORIGIN}/static//etc/passwd", f"{BRIEF_ORIGIN}/static/%2Fetc%2Fpasswd"],
)
def test_fetcher_refuses_an_absolute_path_under_static(url):
    # Refused today because the staticfiles finders raise on a path outside their roots.
    fetcher = StaticOnlyFetcher()

    with pytest.raises((ValueError, SuspiciousFileOperation)):
        fetcher.fetch(url)
