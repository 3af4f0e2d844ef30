"""Demo letters for `make run`: a few incoming and outgoing letters at every stage, written
through the services (numbers, PDFs, timelines and all) by the demo relations officer.

Idempotent: once any letter exists, nothing is added.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from assistance.models import Status as RequestStatus
from assistance.models import SupportRequest
from beneficiaries.models import Beneficiary

from . import services
from .models import DispatchMethod, Letter, LetterTemplate

_INQUIRIES = [
    (
        "جمعية البر الخيرية",
        "قسم الخدمات الاجتماعية",
        "ص.ب 1234، الرياض 11411",
        "استفسار عن شروط الاستفادة من خدمات الوقف",
        "تستفسر الجمعية عن الفئات التي يخدمها الوقف وإجراءات إحالة الأسر إليه.",
    ),
    (
        "مدرسة الأمل الابتدائية",
        "",
        "حي النسيم، جدة",
        "الاستفسار عن برنامج الحقيبة المدرسية",
        "تسأل المدرسة عن موعد توزيع الحقائب المدرسية وآلية ترشيح الطلاب المحتاجين.",
    ),
]


def seed_demo(*, rng: random.Random, actor) -> str:
    """Add demo letters once; returns a one-line summary."""
    if Letter.objects.exists():
        return "Letters: already there, nothing added."
    actor = actor or User.objects.filter(role=Role.RELATIONS_OFFICER, is_active=True).first()
    if actor is None:
        return "Letters: no relations officer to write them, nothing added."
    colleagues = list(
        User.objects.filter(
            is_active=True, branch__isnull=True, role__in=[Role.MANAGER, Role.SOCIAL_RESEARCHER]
        )
    )
    today = timezone.localdate()
    with transaction.atomic():
        created = _seed(rng, actor, colleagues, today)
    return f"Letters: {created} added (incoming and outgoing, with PDFs)."


def _seed(rng: random.Random, actor, colleagues: list, today) -> int:
    templates = {t.code: t for t in LetterTemplate.objects.filter(is_active=True)}
    count = 0
    incoming = []
    for name, organisation, address, subject, summary in _INQUIRIES:
        incoming.append(
            services.letter_register_incoming(
                actor=actor,
                letter_date=today - timedelta(days=rng.randint(2, 12)),
                sender_reference=f"{rng.randint(100, 999)}/{rng.randint(1, 9)}",
                party_name=name,
                party_organisation=organisation,
                party_address=address,
                subject=subject,
                body=summary,
            )
        )
        count += 1
    # The first inquiry is answered and the answer sent; the second waits with a colleague.
    if "inquiry_reply" in templates:
        first = incoming[0]
        reply = services.letter_draft_create(
            actor=actor,
            template=templates["inquiry_reply"],
            party_name=first.party_name,
            party_organisation=first.party_organisation,
            party_address=first.party_address,
            in_reply_to=first,
            signatory_name=actor.display_name,
            signatory_title="إدارة علاقات المستفيدين",
        )
        reply = services.letter_issue(actor=actor, letter=reply)
        services.letter_mark_sent(
            actor=actor, letter=reply, method=DispatchMethod.POST, sent_on=today
        )
        count += 1
    if colleagues:
        services.letter_refer(
            actor=actor,
            letter=incoming[1],
            to=rng.choice(colleagues),
            note="نأمل الاطلاع والإفادة بالرد المناسب.",
        )
    # A request still waiting for documents gets a letter listing them (left as a draft).
    waiting = (
        SupportRequest.objects.filter(
            status__in=[RequestStatus.VERIFYING, RequestStatus.AWAITING_APPLICANT],
            checklist__document__isnull=True,
        )
        .select_related("beneficiary")
        .order_by("pk")
        .first()
    )
    if waiting is not None and "missing_documents" in templates:
        services.letter_draft_create(
            actor=actor,
            template=templates["missing_documents"],
            party_name=waiting.beneficiary.full_name,
            support_request=waiting,
            signatory_name=actor.display_name,
            signatory_title="إدارة علاقات المستفيدين",
        )
        count += 1
    # A letter to another body about a registered beneficiary, issued.
    beneficiary = Beneficiary.objects.order_by("pk").first()
    if beneficiary is not None and "beneficiary_to_body" in templates:
        letter = services.letter_draft_create(
            actor=actor,
            template=templates["beneficiary_to_body"],
            party_name="مدير مكتب الضمان الاجتماعي",
            party_organisation="وزارة الموارد البشرية والتنمية الاجتماعية",
            beneficiary=beneficiary,
            signatory_name=actor.display_name,
            signatory_title="إدارة علاقات المستفيدين",
        )
        services.letter_issue(actor=actor, letter=letter)
        count += 1
    return count
