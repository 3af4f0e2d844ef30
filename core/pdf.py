"""Printing to PDF, shared by every app that prints (DESIGN.md §3 "Documents"): request
forms, committee minutes and decision letters (assistance), letters (correspondence), a
beneficiary's copy of their data (beneficiaries).

Templates are rendered in Arabic by the caller (``translation.override("ar")``) and laid out by
WeasyPrint, which shapes Arabic through Pango/HarfBuzz. The fonts are the project's vendored
IBM Plex Sans Arabic files, given to WeasyPrint as ``file://`` URLs, so the output does not
depend on the fonts the machine happens to have. WeasyPrint fetches nothing else: the URL
fetcher below allows only those font files and ``data:`` URIs (an embedded signature), so no
text typed by a user can make the renderer read a local file or call out to the network.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop
from fontTools.ttLib import woff2
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.hijri import format_dual

# The default organisation name, marked so that makemessages puts it in the catalogue: the
# letterhead shows it in Arabic («وقف مفاتيح الخير»).
gettext_noop("Waqf Mafatih Al-Khair")

_FONT_FILES = {
    "arabic_400": "vendor/fonts/ibm-plex-sans-arabic-arabic-400-normal.woff2",
    "arabic_600": "vendor/fonts/ibm-plex-sans-arabic-arabic-600-normal.woff2",
    "latin_400": "vendor/fonts/ibm-plex-sans-arabic-latin-400-normal.woff2",
    "latin_600": "vendor/fonts/ibm-plex-sans-arabic-latin-600-normal.woff2",
}


def organisation_name() -> str:
    """The organisation's name in the active language (Arabic on the documents).

    ``MUSTAFID["ORGANISATION_NAME_AR"]`` wins when set; otherwise the configured name is
    looked up in the translation catalogue.
    """
    configured = settings.MUSTAFID.get("ORGANISATION_NAME_AR")
    if configured and (translation.get_language() or "ar").startswith("ar"):
        return configured
    return gettext(settings.MUSTAFID["ORGANISATION_NAME"])


def css_string(value: str) -> str:
    """A CSS string literal that no typed text can break out of (nor out of <style>)."""
    escaped = str(value).replace("\\", "\\\\")
    for char in '"<>&\n\r':
        escaped = escaped.replace(char, f"\\{ord(char):x} ")
    return f'"{escaped}"'


def _page_counter_css() -> str:
    """«"صفحة " counter(page) " من " counter(pages)», in whatever order the translation has."""
    label = gettext("Page %(page)s of %(pages)s") % {"page": "\0page\0", "pages": "\0pages\0"}
    parts = []
    for index, piece in enumerate(label.split("\0")):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def dual_datetime(moment) -> str:
    """«23/03/1447هـ — 15/09/2025م، 10:30» in Riyadh time."""
    local = timezone.localtime(moment)
    return f"{format_dual(local.date())}، {local:%H:%M}"


def _font_urls() -> dict[str, str]:
    urls = {}
    for key, relative in _FONT_FILES.items():
        found = finders.find(relative)
        path = Path(found) if found else Path(settings.STATIC_ROOT) / relative
        urls[key] = path.resolve().as_uri()
    return urls


@cache
def _font_as_ttf(url: str) -> bytes:
    """The vendored WOFF2 font at `url` (a file:// URL) as plain TrueType, decompressed once
    per process. Given the WOFF2 file, WeasyPrint decompresses it on every PDF, in Python
    (fontTools): for the four faces that cost 0.35–1.4 s a PDF, more than laying out a
    one-page letter (bench/reports.py, the compliance PDF)."""
    out = BytesIO()
    woff2.decompress(url2pathname(urlsplit(url).path), out)
    return out.getvalue()


class _LocalOnlyFetcher(URLFetcher):
    """Fetches the vendored fonts and inline images only: nothing a user typed is fetched."""

    def __init__(self, allowed_urls):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self._allowed_urls = frozenset(allowed_urls)

    def fetch(self, url, headers=None):
        if url in self._allowed_urls:
            return URLFetcherResponse(url, _font_as_ttf(url), {"Content-Type": "font/ttf"})
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"Refusing to fetch {url!r} while rendering a PDF.")


def render_pdf(template_name: str, context: dict) -> bytes:
    """Lay out `template_name` as a PDF, fetching nothing but the vendored fonts."""
    html = render_to_string(template_name, context)
    base_url = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    return HTML(
        string=html, base_url=base_url, url_fetcher=_LocalOnlyFetcher(context["fonts"].values())
    ).write_pdf()


def letterhead_context(*, reference: str, branch) -> dict:
    """The letterhead every printed document shares (committee documents here, letters in
    correspondence): organisation, branch, page footer, fonts. Call inside
    ``translation.override("ar")``."""
    name = organisation_name()
    css = {
        "page_counter": mark_safe(_page_counter_css()),  # noqa: S308
        "organisation_name": mark_safe(css_string(name)),  # noqa: S308
        "reference": mark_safe(css_string(reference or gettext("Mustafid"))),  # noqa: S308
    }
    return {
        "branch": branch,
        "organisation_name": name,
        "css": css,
        "printed_at": dual_datetime(timezone.now()),
        "fonts": _font_urls(),
    }
