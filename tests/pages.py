"""Reading pages as a browser would: the data a page's edit form posts."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    """Collects what a browser would post from the page's method="post" forms: text
    inputs, hidden inputs, checked boxes, textareas and selected options."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_multiple = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "").lower() == "post":
                self._form = {}
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.setdefault(name, []).append(a.get("value") or "on")
            elif kind not in ("submit", "button", "reset", "file"):
                self._form.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in a
        elif tag == "option" and self._select and "selected" in a:
            self._form.setdefault(self._select, []).append(a.get("value") or "")

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea and self._form is not None:
                # Browsers drop the one newline that may follow <textarea>.
                value = self._form[self._textarea][-1]
                self._form[self._textarea][-1] = value.removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def form_data(response) -> dict[str, list[str]]:
    """The data of the page's first post form that is not the sign-out or language form."""
    assert response.status_code == 200, response.status_code
    parser = _FormParser()
    parser.feed(response.content.decode())
    switch = {"csrfmiddlewaretoken", "next", "language"}  # the footer's language switch
    forms = [f for f in parser.forms if set(f) != switch and set(f) != {"csrfmiddlewaretoken"}]
    assert forms, "no edit form on the page"
    return {k: list(v) for k, v in forms[0].items()}
