"""Pages of a long list without counting it: "Newer" and "Older" links instead of
"Page 3 of 5,000".

Django's Paginator counts every matching row to number the pages; at 100,000
assessments the count costs more than the page. A Window reads one row more than it
shows, which is all it needs to know whether there is a next page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Window:
    object_list: Sequence
    number: int
    has_next: bool
    per_page: int

    @property
    def start_index(self) -> int:
        """1-based position of the first row shown (0 on an empty page)."""
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __len__(self) -> int:
        return len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)


# Past this, a number is junk rather than a page anyone reached by clicking "Older".
MAX_PAGE = 100_000


def page_number(raw) -> int:
    """The page asked for; anything but a whole number from 1 to MAX_PAGE is the first."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def window(qs: QuerySet, raw_number, *, per_page: int) -> Window:
    """One page of `qs` (which must be ordered) from one query; a page past the end
    (an old link, a hand-typed number) shows the first page instead of nothing."""
    number = page_number(raw_number)
    start = (number - 1) * per_page
    rows = list(qs[start : start + per_page + 1])
    if not rows and number > 1:
        number, rows = 1, list(qs[: per_page + 1])
    return Window(
        object_list=rows[:per_page], number=number, has_next=len(rows) > per_page, per_page=per_page
    )
