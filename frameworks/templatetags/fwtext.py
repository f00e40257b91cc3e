"""Framework text in templates, in the reader's language (frameworks/i18n.py).

{% fwtext prompt "text" %} writes the prompt's text escaped; when it is not in the
active language (no translation yet) it is wrapped in lang="<its language>" dir="auto"
and followed by a small marker naming its language, titled "Not yet translated into …".
{{ prompt|fw:"text" }} gives the plain text, unmarked, for attributes, options and
other tags' arguments.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from frameworks import i18n

register = template.Library()


def marked(value: str, used: str, wanted: str):
    """The text, escaped; marked as being in `used` when that is not `wanted`."""
    if used == wanted or not str(value).strip():
        return format_html("{}", value)
    return format_html(
        '<span lang="{}" dir="auto">{}</span> <small class="fallback-marker" lang="{}" '
        'title="{}">({})</small>',
        used,
        value,
        wanted,
        _("Not yet translated into %(language)s") % {"language": i18n.language_name(wanted)},
        i18n.language_name(used),
    )


@register.simple_tag
def fwtext(obj, field: str, language: str | None = None):
    if obj is None or obj == "":
        return ""
    wanted = i18n.language_code(language)
    value, used = i18n.text(obj, field, wanted)
    return marked(value, used, wanted)


@register.filter
def fw(obj, field: str) -> str:
    """The plain text (no marker) in the active language, for attributes and options."""
    if obj is None or obj == "":
        return ""
    return i18n.text(obj, field)[0]


@register.simple_tag
def fwexamples(dimension) -> list:
    """A dimension's example threats in the active language: (text, marker) pairs use
    the same marking as fwtext."""
    wanted = i18n.language_code()
    examples, used = i18n.example_list(dimension, wanted)
    return [marked(example, used, wanted) for example in examples]
