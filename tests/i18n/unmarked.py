"""Finds interface text that does not go through the catalogues.

Templates: the text between tags, and the attributes people read (title, alt,
placeholder, aria-label…), outside {% translate %} and {% blocktranslate %}. Python: the
literal strings handed to the places a person reads them (messages, form labels and
help texts, validation errors, model verbose names, choices)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = ("templates", "assessments", "frameworks", "hsassess")
PYTHON_DIRS = ("assessments", "frameworks", "hsassess")

# Words that are the same in every language: the product's name, codes, units.
NOT_WORDS = {
    "hsassess",
    "PDF",
    "CSV",
    "XLSX",
    "JSON",
    "YAML",
    "ZIP",
    "SHA",
    "MB",
    "KB",
}
READ_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "aria-description", "summary")
TAG = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
ATTRIBUTE = re.compile(r"\s(" + "|".join(READ_ATTRIBUTES) + r")\s*=\s*(\"[^\"]*\"|'[^']*')", re.I)
ENTITY = re.compile(r"&[#\w]+;")
WORD = re.compile(r"[^\W\d_]{2,}")
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(ENTITY.sub(" ", text)) if w not in NOT_WORDS]


def template_findings(path: Path) -> list[str]:
    """Text and read attributes of one template that no translate tag covers."""
    source = path.read_text(encoding="utf-8")
    findings = []
    inside = 0  # within {% blocktranslate %} … {% endblocktranslate %}
    comment = 0
    html = []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans"):
                inside += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                inside -= 1
            elif name == "comment":
                comment += 1
            elif name == "endcomment":
                comment -= 1
            html.append(" ")
        elif token.token_type == TokenType.TEXT and not inside and not comment:
            html.append(token.contents)
        else:
            # Variables and translate tags: what they print is not literal text here.
            html.append("\x00")
    text = HIDDEN.sub(" ", "".join(html))
    for match in ATTRIBUTE.finditer(text):
        if words := _words(match.group(2).replace("\x00", " ")):
            findings.append(f"{path.relative_to(ROOT)}: {match.group(1)}={' '.join(words)!r}")
    for chunk in TAG.sub("\x00", text).split("\x00"):
        if words := _words(chunk):
            findings.append(f"{path.relative_to(ROOT)}: {' '.join(words)!r}")
    return findings


def templates() -> list[Path]:
    found = []
    for top in TEMPLATE_DIRS:
        found += list((ROOT / top).rglob("*.html"))
        found += list((ROOT / top).rglob("*.txt"))
    return sorted(p for p in found if "templates" in p.parts)


# Calls and keywords whose literal string a person reads.
READ_CALLS = {"success", "error", "warning", "info", "add_message", "ValidationError"}
READ_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "error_messages",
    "message",
    "label_suffix",
}
MARKERS = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "pgettext_lazy", "ngettext_lazy"}


def _is_plain_text(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(_words(node.value))
    )


def _is_log(func: ast.AST) -> bool:
    """logger.warning("…"): for the operator, in English, not the person at the page."""
    owner = func.value if isinstance(func, ast.Attribute) else None
    return isinstance(owner, ast.Name) and owner.id in {"logger", "log", "logging"}


def python_findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    findings = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in MARKERS or _is_log(func):
            continue
        texts = []
        if name in READ_CALLS:
            texts += [a for a in node.args if _is_plain_text(a)]
        texts += [
            k.value for k in node.keywords if k.arg in READ_KEYWORDS and _is_plain_text(k.value)
        ]
        for t in texts:
            findings.append(f"{path.relative_to(ROOT)}:{t.lineno}: {t.value!r}")
    return findings


def python_files() -> list[Path]:
    return sorted(
        p
        for top in PYTHON_DIRS
        for p in (ROOT / top).rglob("*.py")
        if "migrations" not in p.parts and "management" not in p.parts
    )
