"""Hostile input: strings, numbers, ids of other objects and lists, and form data built
from a form's real field names with these mixed in, plus keys the form never asked for."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import strategies as st

ROLES = (
    "owner",
    "collaborator",
    "peer",
    "outsider",
    "supervisor",
    "superuser",
    "anonymous",
)

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1",
    "1; DROP TABLE assessments_assessment; --",
    "1 UNION SELECT password FROM auth_user",
    "%",
    "_",
    "\\",
    "{{ request.user.password }}",
    "{% debug %}",
    "%(status)s %s %d %n",
    "{0} {}",
    "../../../../etc/passwd",
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",
    "javascript:alert(1)",
    "=cmd|' /C calc'!A0",
    "\u202egnp.exe",
    "\u200f\u0627\u0644\u0623\u0645\u0646 \u0627\u0644\u0625\u0646\u0633\u0627\u0646\u064a",
    "\u05e9\u05dc\u05d5\u05dd",
    "\ufeff",
    "\u2028\u2029",
    "\U0001d573\U0001d59a",
    "\U0001f469\U0001f3fd\u200d\U0001f692",
    "\r\nSet-Cookie: x=1",
    "\x07\x08\x1b[31m\x7f",
    " ",
    "",
    "null",
    "None",
    "true",
    "on",
    "[]",
    "{}",
    "NaN",
    "-Infinity",
    "1e309",
    "0x10",
    "-0",
    "\u0663",  # ARABIC-INDIC DIGIT THREE
    "\uff12",  # FULLWIDTH DIGIT TWO
    "\U0001d7d1",  # MATHEMATICAL BOLD DIGIT THREE
    "\u00b2",
    " 3 ",
    "3.0",
    "2024-02-30",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2024-13-01",
    "-2024-01-01",
)

SPECIAL_INTS = (0, 1, -1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**30)

# Text without NUL (the database refuses it; forms refuse it with a message) and without
# lone surrogates (they cannot be sent as UTF-8 at all).
CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
text = st.text(CHARS, max_size=40)
numbers = st.one_of(st.sampled_from(SPECIAL_INTS), st.integers(-(10**6), 10**6), st.integers()).map(
    str
)
# Boundaries of the forms' and the database's limits, in characters of several widths.
huge = st.builds(
    lambda unit, n: unit * n,
    st.sampled_from(["x", "\u00e9", "\U0001f642", "<", "&", "\u0628", "\u202e", " "]),
    st.sampled_from(
        [100, 101, 120, 121, 199, 200, 201, 300, 301, 2000, 2001, 5000, 5001, 20_000, 20_001]
    ),
)
# Rarely, more than DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB): a 400, never a 500.
too_big = st.just("y" * (2 * 1024 * 1024 + 10))


def weighted(*choices: tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """one_of with weights (one_of picks its branches about evenly, repeats or not)."""
    branches = [i for i, (weight, _) in enumerate(choices) for _ in range(weight)]
    return st.sampled_from(branches).flatmap(lambda i: choices[i][1])


def scalar(ids: list[int] = ()) -> st.SearchStrategy[str]:
    parts = [st.sampled_from(PAYLOADS), text, numbers, huge]
    if ids:
        parts.append(st.sampled_from(ids).map(str))
    return st.one_of(*parts)


def hostile(ids: list[int] = ()) -> st.SearchStrategy:
    """One value as a form posts it: a string, or a list of them (a repeated key)."""
    one = scalar(ids)
    return st.one_of(one, st.lists(one, min_size=2, max_size=4))


EXTRA_KEYS = (
    "csrfmiddlewaretoken",
    "id",
    "pk",
    "owner",
    "team",
    "status",
    "assessment",
    "framework_version",
    "approved_at",
    "is_superuser",
    "collaborators",
    "version",
    "next",
    "back",
    "action",
    "decision",
    "_method",
    "keep_theirs_context-situation",
    "text_context-situation",
    "indicators-TOTAL_FORMS",
    "indicators-0-threat",
    "tag_1",
)


def extra_keys() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(EXTRA_KEYS), text)


@st.composite
def form_data(
    draw, fields: dict[str, st.SearchStrategy], ids: list[int] = (), valid_only: bool = False
) -> dict:
    """A post of the form's own fields plus keys it never asked for. How many of its
    fields are bad (hostile or left out) is drawn first: none, one, a few or any, so that
    many examples get through the form to the service, and each field is probed with
    the others valid."""
    names = list(fields)
    level = "none" if valid_only else draw(st.sampled_from(["one", "none", "few", "any"]))
    if level == "none":
        bad = set()
    elif level == "one":
        bad = {draw(st.sampled_from(names), label="bad field")}
    elif level == "few":
        bad = set(draw(st.lists(st.sampled_from(names), max_size=3), label="bad fields"))
    else:
        bad = {name for name in names if draw(st.booleans(), label=f"{name} bad")}
    data = {}
    for name, valid in fields.items():
        if name not in bad:
            value = draw(valid, label=name)
        elif draw(st.booleans(), label=f"{name} left out"):
            continue
        else:
            value = draw(hostile(ids), label=name)
        if value != []:
            data[name] = value
    if not valid_only:
        extras = draw(st.dictionaries(extra_keys(), hostile(ids), max_size=4), label="extra")
        for key, value in extras.items():
            data.setdefault(key, value)
    return data


def choice(values) -> st.SearchStrategy[str]:
    return st.sampled_from([str(v) for v in values])


def optional(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), strategy)


plain_text = st.text(CHARS, min_size=1, max_size=60)
# Text a form accepts, hostile all the same: markup, formulas, RTL, control characters.
valid_text = st.one_of(plain_text, st.sampled_from([p for p in PAYLOADS if p.strip()]))
dates = st.dates().map(lambda d: d.isoformat())
checkbox = st.sampled_from(["on", "", "true", "false", "1", "0"])


def no_nul_bytes(max_size: int) -> st.SearchStrategy[bytes]:
    return st.binary(max_size=max_size).map(lambda b: b.replace(b"\x00", b""))


def raw_query() -> st.SearchStrategy[str]:
    """A query string as sent on the wire, percent-escapes of invalid UTF-8 included."""
    pair = st.tuples(no_nul_bytes(12), no_nul_bytes(30)).map(
        lambda kv: f"{quote(kv[0], safe='')}={quote(kv[1], safe='%')}"
    )
    tricky = st.sampled_from(["%", "%%", "%FF%FE", "a=%E2%82", "&&&", "=", "a[]=1&a[]=2", ";"])
    return st.lists(st.one_of(pair, tricky), max_size=6).map("&".join)


RAW_CONTENT_TYPES = (
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=bogus-charset",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/json",
    "text/plain",
    "",
)


def raw_body() -> st.SearchStrategy[tuple[str, bytes]]:
    body = st.one_of(
        no_nul_bytes(200),
        st.sampled_from(
            [
                b'--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--xyz--\r\n',
                b'--xyz\r\nContent-Disposition: form-data; name="f"; filename="../../x"\r\n'
                b"Content-Type: text/plain\r\n\r\nbody\r\n--xyz--\r\n",
                b"--xyz\r\nContent-Disposition: form-data\r\n\r\n\r\n--xyz",
                b'{"title": "json"}',
                b"title=%FF%FE&version=%C0%80",
                b"a=" + b"b" * 100 + b"&" * 50,
            ]
        ),
    )
    return st.tuples(st.sampled_from(RAW_CONTENT_TYPES), body)


# --- JSON documents (the assessment import) -----------------------------------------

json_leaf = st.one_of(
    st.none(),
    # Lone surrogates: json.dumps sends them as \udXXX escapes.
    st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3),
    st.booleans(),
    st.integers(),
    st.sampled_from(SPECIAL_INTS),
    st.floats(),  # NaN and Infinity too: json.loads accepts them
    text,
    st.sampled_from(PAYLOADS),
    huge,
)
json_value = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(text, children, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def mutated(draw, node, depth: int = 0):
    """`node` (a JSON document) with a few things changed somewhere inside it: a value
    replaced, a key removed or added, an item dropped or repeated."""
    if isinstance(node, dict) and node and depth < 6:
        action = draw(st.sampled_from(["descend", "descend", "replace", "drop", "add"]))
        node = dict(node)
        key = draw(st.sampled_from(sorted(node)))
        if action == "descend":
            node[key] = draw(mutated(node[key], depth + 1))
        elif action == "drop":
            del node[key]
        elif action == "add":
            node[draw(text)] = draw(json_value)
        else:
            node[key] = draw(json_value)
        return node
    if isinstance(node, list) and node and depth < 6:
        action = draw(st.sampled_from(["descend", "descend", "replace", "drop", "repeat"]))
        node = list(node)
        i = draw(st.integers(0, len(node) - 1))
        if action == "descend":
            node[i] = draw(mutated(node[i], depth + 1))
        elif action == "drop":
            del node[i]
        elif action == "repeat":
            node.append(node[i])
        else:
            node[i] = draw(json_value)
        return node
    return draw(json_value)


# Files that are not an export at all, by name (the bytes are too long to print).
NASTY_FILES = {
    "empty": b"",
    "BOM": b"\xef\xbb\xbf{}",
    "UTF-16 with NUL": b"\xff\xfe{\x00}",
    "not JSON": b"not json",
    "a number too big for a float": b"1e999999",
    "an escaped lone surrogate": b'"\\ud800"',
    "a repeated key": b'{"format": "hsassess-assessment/1", "format": null}',
    "over 5 MB": b" " * (5 * 1024 * 1024 + 1),
    # json.loads raises RecursionError and ValueError for these, not JSONDecodeError.
    "arrays nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "objects nested 50,000 deep": b'{"a": ' * 50_000 + b"1" + b"}" * 50_000,
    "an integer of 5,000 digits": b'{"format": 1' + b"1" * 5000 + b"}",
}
FILENAMES = (
    "export.json",
    "EXPORT.JSON",
    "x.json.exe",
    "x.txt",
    ".json",
    " .json",
    "../../../etc/passwd.json",
    "‮nosj.json",
    "a" * 300 + ".json",
)
