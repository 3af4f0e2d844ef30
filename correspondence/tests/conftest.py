import datetime

import pytest
from django.utils import timezone, translation

from accounts.models import Branch
from contact.models import Ticket, TicketCategory
from core.models import Channel
from correspondence import services
from correspondence.models import LetterTemplate


@pytest.fixture
def english():
    """Service messages are translated when raised: read them in English (the Arabic
    catalogue is merged separately)."""
    with translation.override("en"):
        yield


def register(actor, **overrides):
    data = {
        "letter_date": timezone.localdate() - datetime.timedelta(days=3),
        "sender_reference": "45/ج",
        "party_name": "سعد الغامدي",
        "party_organisation": "جمعية البر بجدة",
        "party_address": "حي الروضة، جدة",
        "subject": "استفسار عن خدمات الوقف",
        "body": "يستفسر عن شروط التقديم.",
    }
    data.update(overrides)
    return services.letter_register_incoming(actor=actor, **data)


def draft(actor, code="beneficiary_to_body", **overrides):
    data = {
        "template": LetterTemplate.objects.get(code=code),
        "party_name": "مدير مكتب الضمان الاجتماعي",
        "party_organisation": "وزارة الموارد البشرية والتنمية الاجتماعية",
        "signatory_name": "نورة العتيبي",
        "signatory_title": "مديرة علاقات المستفيدين",
    }
    data.update(overrides)
    return services.letter_draft_create(actor=actor, **data)


def make_ticket(
    branch: Branch, *, about_staff=False, beneficiary=None, reference="TKT-1448-000007"
):
    category, _created = TicketCategory.objects.get_or_create(
        code="letters-test", defaults={"name_ar": "عام", "first_response_hours": 8}
    )
    now = timezone.now()
    return Ticket.objects.create(
        reference=reference,
        kind="complaint" if about_staff else "inquiry",
        category=category,
        subject="شكوى" if about_staff else "استفسار",
        description="…",
        channel=Channel.objects.get(code="letter"),
        branch=branch,
        beneficiary=beneficiary,
        person_name="" if beneficiary else "زائر",
        about_staff=about_staff,
        first_response_due=now + datetime.timedelta(hours=8),
        resolution_due=now + datetime.timedelta(hours=40),
    )


@pytest.fixture
def incoming(officer, beneficiary):
    """An incoming letter about `beneficiary` (in the representative's branch)."""
    return register(officer, beneficiary=beneficiary)


@pytest.fixture
def letter_draft(officer, beneficiary):
    """A draft letter to another body about `beneficiary`."""
    return draft(officer, beneficiary=beneficiary)


@pytest.fixture
def issued(officer, letter_draft):
    return services.letter_issue(actor=officer, letter=letter_draft)


@pytest.fixture(autouse=True)
def _fast_pdf(request, monkeypatch):
    """Laying out a PDF takes about a second: tests that are not about the document get a
    stand-in. Ask for the `real_pdf` fixture to render the real letter."""
    if "real_pdf" in request.fixturenames:
        return
    from tests_support.factories import PDF_BYTES

    monkeypatch.setattr(
        "correspondence.documents.letter_pdf", lambda letter, enclosures=0: PDF_BYTES
    )


@pytest.fixture
def real_pdf():
    """Render letters with WeasyPrint (see `_fast_pdf`)."""
