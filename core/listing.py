"""Sorting and pagination for staff tables, shared by every list screen.

Our own rather than django-tables2: our tables are plain templates with RTL-aware markup, and
the one thing we need — a whitelist of sort keys mapped to indexed columns, and a page of an
already-ranked id list for search results — is a few lines here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


@dataclass
class Sort:
    key: str
    descending: bool
    columns: dict[str, str]

    @classmethod
    def from_request(cls, request: HttpRequest, columns: dict[str, str], default: str) -> Sort:
        raw = request.GET.get("sort", default)
        descending = raw.startswith("-")
        key = raw.lstrip("-")
        if key not in columns:
            key, descending = default.lstrip("-"), default.startswith("-")
        return cls(key, descending, columns)

    @property
    def order_by(self) -> list[str]:
        column = self.columns[self.key]
        return [f"-{column}" if self.descending else column, "-pk" if self.descending else "pk"]

    def link(self, key: str) -> str:
        """The sort value a column header links to: toggles when already sorted by it."""
        if key == self.key:
            return key if self.descending else f"-{key}"
        return key


def paginate(request: HttpRequest, object_list, per_page: int) -> Page:
    return Paginator(object_list, per_page).get_page(request.GET.get("page"))
