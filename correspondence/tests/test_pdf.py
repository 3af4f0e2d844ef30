"""The outgoing letter as an Arabic PDF on the letterhead: number, Hijri and Gregorian dates,
subject, text and signature block, Arabic shaped by the layout engine; a draft's preview is
watermarked and carries no number."""

from __future__ import annotations

import io
import re
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from assistance.tests.test_documents_pdf import has_word, pdf_text
from core.hijri import format_gregorian, format_hijri
from correspondence import services
from correspondence.documents import letter_pdf
from correspondence.tests.conftest import draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_pdf")]


def test_the_issued_letter_carries_number_dates_subject_text_and_signature(officer, beneficiary):
    letter = draft(officer, beneficiary=beneficiary)
    with translation.override("en"):  # an Arabic document whatever the reader's language
        letter = services.letter_issue(actor=officer, letter=letter)
    with letter.pdf.open("rb") as handle:
        text = pdf_text(handle.read())

    today = timezone.localdate()
    assert letter.reference in text
    assert format_hijri(today)[:10] in text and format_gregorian(today)[:10] in text
    assert text.index(format_hijri(today)[:10]) < text.index(format_gregorian(today)[:10])
    for word in ("الضمان", "الاجتماعي", "العتيبي", "التحيات", "نورة", "مفاتيح"):
        assert has_word(text, word), word
    assert beneficiary.masked_id in text and beneficiary.id_number not in text
    assert "مسودة" not in text


def _arabic_glyph_forms(content: bytes) -> tuple[dict[str, set[str]], set[str]]:
    """For the Arabic fonts of the PDF: each letter → the glyph ids drawn for it, and the
    ligatures (one glyph for several letters), read from the fonts' ToUnicode maps."""
    forms: dict[str, set[str]] = defaultdict(set)
    ligatures: set[str] = set()
    page = PdfReader(io.BytesIO(content)).pages[0]
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        if "Arabic" not in str(font["/BaseFont"]) or "/ToUnicode" not in font:
            continue
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for glyph, code in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>", cmap):
            text = "".join(chr(int(code[i : i + 4], 16)) for i in range(0, len(code), 4))
            if len(text) == 1:
                forms[text].add(glyph)
            elif all("\u0600" <= ch <= "\u06ff" for ch in text):
                ligatures.add(text)
    return forms, ligatures


def test_arabic_is_shaped_not_printed_as_isolated_letters(officer, beneficiary):
    letter = draft(officer, beneficiary=beneficiary)
    forms, ligatures = _arabic_glyph_forms(letter_pdf(letter))
    # Joined letters are drawn with their initial, medial and final forms: the same letter
    # comes from several glyphs. Printed unshaped, each letter would have one glyph.
    contextual = [letter for letter, glyphs in forms.items() if len(glyphs) >= 2]
    assert len(contextual) >= 10, contextual
    assert {"م", "ع", "ي"} <= set(contextual)
    assert "لا" in ligatures  # lam-alef is one glyph in shaped Arabic


def test_a_draft_preview_is_watermarked_and_unnumbered(client, officer, letter_draft):
    client.force_login(officer)
    response = client.get(reverse("correspondence:pdf", args=[letter_draft.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    assert has_word(text, "مسودة")
    assert "OUT-" not in text
    letter_draft.refresh_from_db()
    assert not letter_draft.pdf  # a preview is never stored


def test_the_recipient_block_and_enclosures(officer, beneficiary):
    from tests_support.factories import pdf_upload

    letter = draft(officer, beneficiary=beneficiary, party_address="ص.ب 4455 الرياض")
    services.attachment_add(actor=officer, letter=letter, uploads=[pdf_upload(), pdf_upload()])
    letter = services.letter_issue(actor=officer, letter=letter)
    with letter.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert has_word(text, "وزارة") and "4455" in text
    with translation.override("ar"):
        label = str(translation.gettext("Enclosures"))
    assert f":{label}2" in text  # two enclosures (the label's colon comes first, RTL)
    assert text.count("\f") <= 1  # one page
