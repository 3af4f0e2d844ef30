"""An outgoing letter as an Arabic PDF on the organisation's letterhead (DESIGN.md §3
"Documents").

The letterhead, the vendored fonts, the page footer and the renderer that fetches nothing but
those fonts are core.pdf's, shared with every printed document, so every letter the
organisation prints looks the same. The template is `correspondence/pdf/letter.html`,
rendered in Arabic whatever the reader's language.

An issued letter's PDF is rendered once, by `services.letter_issue`, and stored; only a draft
is rendered on demand, with a «مسودة» watermark and no number.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext

from core.hijri import format_gregorian, format_hijri
from core.pdf import letterhead_context, render_pdf

from .models import Letter


def letter_pdf(letter: Letter, *, enclosures: int = 0) -> bytes:
    """The letter, A4: number, Hijri and Gregorian dates, enclosures, addressee, subject,
    text and signature block. A draft (no number yet) is dated today and watermarked."""
    day = letter.letter_date or timezone.localdate()
    with translation.override("ar"):
        context = letterhead_context(
            reference=letter.reference or gettext("Draft"), branch=letter.branch
        )
        context.update(
            {
                "letter": letter,
                "is_draft": not letter.reference,
                "hijri_date": format_hijri(day),
                "gregorian_date": format_gregorian(day),
                "enclosures": enclosures,
            }
        )
        return render_pdf("correspondence/pdf/letter.html", context)
