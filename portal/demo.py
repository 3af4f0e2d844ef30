"""A demo beneficiary for `make run` to sign in to the portal with: a widow with two children
and a social-security income, her ID document on file and expiring soon, no privacy consent
yet (so the first sign-in shows the notice), ready to apply for support.

Everything goes through the registry's services, as staff would have registered her.
Idempotent: a second run finds her and adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Branch
from beneficiaries import services
from beneficiaries.models import Beneficiary, Category, DocumentType
from core.models import City

DEMO_ID = "1000000008"  # a valid national ID (Luhn), DOMAIN.md §1
DEMO_MOBILE = "+966500000008"

# The smallest well-formed PDF: the registry checks uploads on their content.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_demo(*, rng: random.Random, actor) -> str:
    done = f"Portal: sign in at /portal/login/ with the identity number {DEMO_ID}; " + (
        "the one-time code is written to var/outbox.jsonl."
    )
    if actor is None or Beneficiary.objects.filter(id_number=DEMO_ID).exists():
        return done
    today = timezone.localdate()
    beneficiary = services.beneficiary_create(
        actor=actor,
        data={
            "first_name": "نورة",
            "father_name": "عبدالله",
            "grandfather_name": "سعد",
            "family_name": "القحطاني",
            "id_type": "national_id",
            "id_number": DEMO_ID,
            "id_expiry": today + timedelta(days=20),
            "gender": "female",
            "birth_date": date(1986, 3, 14),
            "marital_status": "widowed",
            "mobile": DEMO_MOBILE,
            "city": City.objects.get(code="riyadh"),
            "district": "النسيم",
            "branch": Branch.objects.get(code="head-office"),
        },
        categories=[Category.objects.get(code="widows"), Category.objects.get(code="orphans")],
    )
    for name, relation, gender, born, schooling in (
        ("ريم محمد سعد القحطاني", "daughter", "female", date(2014, 9, 2), "primary"),
        ("فهد محمد سعد القحطاني", "son", "male", date(2017, 1, 20), "primary"),
    ):
        services.member_save(
            actor=actor,
            beneficiary=beneficiary,
            data={
                "relation": relation,
                "full_name": name,
                "birth_date": born,
                "gender": gender,
                "schooling": schooling,
            },
        )
    services.income_add(
        actor=actor,
        beneficiary=beneficiary,
        data={"kind": "social_security", "monthly_amount": Decimal("1850.00")},
    )
    services.document_upload(
        actor=actor,
        beneficiary=beneficiary,
        doc_type=DocumentType.objects.get(code="national_id"),
        upload=SimpleUploadedFile("هوية.pdf", _PDF, content_type="application/pdf"),
        issued_on=today - timedelta(days=3630),
        expires_on=today + timedelta(days=20),
    )
    return done
