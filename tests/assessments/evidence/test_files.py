"""What may be attached to a source: decided by the content, within a size limit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.evidence.files import check_attachment

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("map.PNG", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("notes.txt", b"Notes from the market, 3 March: prices up.\n", "text/plain"),
        ("arabic.txt", "ملاحظات\n".encode(), "text/plain"),
    ],
)
def test_accepted_files(name, data, content_type):
    attachment = check_attachment(SimpleUploadedFile(name, data))

    assert attachment.content_type == content_type
    assert attachment.data == data
    assert len(attachment.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("report.pdf", EXE, "is not a PDF, PNG or JPEG image, or plain UTF-8 text"),
        ("notes.txt", b"caf\xe9 latin-1", "is not a PDF"),
        ("notes.txt", b"text with a \x00 byte", "is not a PDF"),
        ("report.pdf", b"just text", "does not hold what its name says"),
        ("photo.png", JPEG, "does not hold what its name says"),
        ("setup.exe", PDF, "does not hold what its name says"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_refused_files_say_why(name, data, says):
    with pytest.raises(ValidationError) as refused:
        check_attachment(SimpleUploadedFile(name, data))

    assert says in refused.value.messages[0]


def test_a_file_over_the_limit_is_refused(settings):
    settings.EVIDENCE_FILE_MAX_BYTES = 1000

    with pytest.raises(ValidationError) as refused:
        check_attachment(SimpleUploadedFile("big.txt", b"a" * 1001))

    assert "the limit is 1000" in refused.value.messages[0]
