"""The request form and the submission receipt as PDFs (DESIGN.md §3 "Documents").

Text is read back from the PDF with pypdf when it is installed, else with poppler's
`pdftotext`. Extracted Arabic may come out in presentation forms or in visual order, so the
checks compare NFKC-normalised text and also accept a word reversed.
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import unicodedata
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from assistance.documents import receipt_pdf, request_form_pdf
from assistance.models import AidType, Attestation, Declaration, SupportRequest
from beneficiaries import services as registry
from core.hijri import format_gregorian, format_hijri
from core.models import Channel
from core.pdf import css_string

pytestmark = pytest.mark.django_db

SUBMITTED_AT = datetime.datetime(2025, 9, 15, 10, 30, tzinfo=datetime.UTC)  # 13:30 Riyadh
DECISION_DATE = datetime.date(2025, 9, 29)


def pdf_text(content: bytes) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        if not shutil.which("pdftotext"):
            pytest.skip("Neither pypdf nor poppler's pdftotext is installed.")
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
            input=content,
            capture_output=True,
            check=True,
        )
        text = result.stdout.decode("utf-8")
    else:
        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    # NFKC folds presentation forms back to letters; pdftotext adds bidi embedding marks (Cf).
    text = unicodedata.normalize("NFKC", text)
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def has_word(text: str, word: str) -> bool:
    """The word appears in logical or visual (reversed) order, or as a token with the same
    letters: a ligature's text may be mapped back in the wrong order (العتيبي → العتييب)."""
    word = unicodedata.normalize("NFKC", word)
    if word in text or word[::-1] in text:
        return True
    return any(sorted(token) == sorted(word) for token in text.split())


def make_request(officer, beneficiary, **kwargs) -> SupportRequest:
    request = SupportRequest.objects.create(
        beneficiary=beneficiary,
        branch=beneficiary.branch,
        channel=Channel.objects.get(code="interview"),
        need="إيجار المسكن متأخر منذ ثلاثة أشهر",
        requested_amount=Decimal("4500"),
        created_by=officer,
        **kwargs,
    )
    aid_type, _ = AidType.objects.get_or_create(
        code="rent-help", defaults={"name_ar": "مساعدة إيجار", "kind": "cash"}
    )
    request.aid_types.add(aid_type)
    return request


def submitted_request(officer, beneficiary) -> SupportRequest:
    return make_request(
        officer,
        beneficiary,
        status="submitted",
        reference="REQ-1447-000001",
        submitted_at=SUBMITTED_AT,
        expected_decision_date=DECISION_DATE,
    )


def add_household(representative, beneficiary) -> None:
    registry.member_save(
        actor=representative,
        beneficiary=beneficiary,
        data={
            "relation": "son",
            "full_name": "خالد محمد العتيبي",
            "birth_date": datetime.date(2012, 1, 10),
            "gender": "male",
            "schooling": "intermediate",
        },
    )
    registry.income_add(
        actor=representative,
        beneficiary=beneficiary,
        data={"kind": "social_security", "monthly_amount": Decimal("2400")},
    )
    registry.obligation_add(
        actor=representative,
        beneficiary=beneficiary,
        data={"kind": "rent", "monthly_amount": Decimal("1500")},
    )


def sign(request, officer) -> Attestation:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 100), "white")
    ImageDraw.Draw(image).line([(10, 80), (120, 20), (200, 70), (290, 30)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    png = buffer.getvalue()
    declaration = Declaration.objects.create(
        version="t1",
        text_ar="أقر بأن جميع البيانات المذكورة صحيحة",
        rights_ar="من حقك معرفة سبب القرار",
        effective_from=datetime.date(2025, 1, 1),
    )
    return Attestation.objects.create(
        request=request,
        method="drawn",
        declaration=declaration,
        declaration_text=declaration.text_ar,
        rights_text=declaration.rights_ar,
        rights_acknowledged=True,
        signature=ContentFile(png, name="signature.png"),
        signature_type="image/png",
        signature_sha256=Attestation.digest(png),
        signed_at=SUBMITTED_AT,
        recorded_by=officer,
    )


def test_draft_request_form(officer, representative, beneficiary):
    add_household(representative, beneficiary)
    request = make_request(officer, beneficiary)

    with translation.override("en"):  # the document is Arabic whatever the active language
        content = request_form_pdf(request)

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert has_word(text, "العتيبي")
    assert has_word(text, "خالد")  # the household member
    assert beneficiary.id_number in text  # in full: the applicant signs this form
    assert format_hijri(beneficiary.birth_date)[:10] in text  # 02/07/1400
    assert format_gregorian(beneficiary.birth_date)[:10] in text
    assert format_hijri(timezone.localdate())[:10] in text  # printed on
    assert "4,500.00" in text  # amount asked for
    assert "2,400.00" in text and "1,500.00" in text  # income and obligation
    assert "450.00" in text  # (2400 - 1500) / 2 per person
    assert "REQ-" not in text


def test_signed_request_form_embeds_the_signature(officer, beneficiary):
    request = submitted_request(officer, beneficiary)
    sign(request, officer)

    content = request_form_pdf(SupportRequest.objects.get(pk=request.pk))

    text = pdf_text(content)
    assert "REQ-1447-000001" in text
    assert "23/03/1447" in text and "15/09/2025" in text  # submitted, Riyadh time
    assert "13:30" in text
    assert has_word(text, "صحيحة")  # the declaration text that was signed
    assert b"/Image" in content


def test_receipt(officer, beneficiary):
    request = submitted_request(officer, beneficiary)

    content = receipt_pdf(request)

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "REQ-1447-000001" in text
    assert "23/03/1447" in text  # submitted on, Hijri
    assert format_hijri(DECISION_DATE)[:10] in text  # 07/04/1447: the promised date
    assert "29/09/2025" in text
    assert beneficiary.masked_id in text
    assert beneficiary.id_number not in text
    assert has_word(text, "العتيبي")
    assert text.count("\f") <= 1  # one page


def test_text_in_page_css_cannot_break_out():
    assert css_string('x"</style>\\') == '"x\\22 \\3c /style\\3e \\\\"'
