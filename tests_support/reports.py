"""A hand-counted fixture for the dashboard and the compliance report (reports/tests).

Everything happens in the Hijri year 1446 (7 July 2024 – 25 June 2025), plus one row of each
kind in 1447 that no 1446 figure may count. Rows are put straight into their state (test
set-up, not transitions: the services are tested in their apps). The expected figures are
written out in `reports/tests/test_dashboard_numbers.py`, counted by hand from the table
below.

Requests (branch · channel · applicant's categories):
  R1 head office · interview · B1 orphans+widows   submitted 01/08/2024, promised 15/08,
     approved 10/08 (9 days, on time), attested, awaiting enrolment
  R2 Jeddah · phone · B2 families in need           submitted 01/09/2024, promised 15/09,
     rejected 20/09 (19 days, late), attested
  R3 Jeddah · website · B3 orphans                   submitted 01/10/2024, promised 15/10,
     deferred 10/10 then approved 14/10 (13 days, on time), attested, enrolled
  R4 head office · phone · B1                         submitted 01/11/2024, promised 15/11,
     undecided, in research (overdue), NOT attested
  R5 Jeddah · interview · B2                          submitted 01/12/2024, promised 2099,
     before the committee (waiting), attested
  R6 Jeddah · phone · B3                              submitted 05/01/2025, promised 19/01,
     rejected 12/01 (7 days, on time), approved on appeal 01/03, attested
  R7 head office · phone · B1, submitted in 1447 (outside); R8 a draft (never counted)
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Branch, Role
from assistance.models import (
    AgendaItem,
    AidType,
    Attestation,
    ChecklistItem,
    Declaration,
    Enrolment,
    Meeting,
    Research,
    SupportRequest,
)
from beneficiaries.models import Category, DataSubjectRequest, DocumentType
from contact.models import Interaction, ReceptionVisit, Ticket, TicketCategory
from core.models import Channel
from reports.recount import recount
from surveys.models import Invitation, Response, SurveyVersion
from tests_support.factories import UserFactory, make_beneficiary


def at(day: dt.date | str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A Riyadh wall-clock time."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def branch_manager(branch):
    """A manager bound to the Jeddah branch."""
    return UserFactory(username="jeddah_manager", role=Role.MANAGER, branch=branch)


@pytest.fixture
def report_data(officer, manager, researcher, branch):
    head = Branch.objects.get(code="head-office")
    ch = {c.code: c for c in Channel.objects.all()}
    cat = {c.code: c for c in Category.objects.all()}
    b1 = make_beneficiary(
        officer, first_name="نورة", branch=head, categories=[cat["orphans"], cat["widows"]]
    )
    b2 = make_beneficiary(
        officer, first_name="سارة", branch=branch, categories=[cat["families_in_need"]]
    )
    b3 = make_beneficiary(officer, first_name="خالد", branch=branch, categories=[cat["orphans"]])
    aid = AidType.objects.first()
    declaration = Declaration.objects.create(
        version="r1", text_ar="أقر بصحة البيانات", rights_ar="حقوقك", effective_from=d("2024-01-01")
    )
    serial = iter(range(1, 100))

    def request(ben, br, channel, submitted, promised, status, *, attest=True):
        r = SupportRequest.objects.create(
            beneficiary=ben,
            branch=br,
            channel=ch[channel],
            need="حاجة",
            status=status,
            reference=f"REQ-1446-{next(serial):06d}",
            submitted_at=at(submitted),
            expected_decision_date=d(promised),
            created_by=officer,
        )
        if attest:
            Attestation.objects.create(
                request=r,
                method="drawn",
                declaration=declaration,
                declaration_text=declaration.text_ar,
                rights_text=declaration.rights_ar,
                rights_acknowledged=True,
                signature=ContentFile(b"png", name="s.png"),
                signature_type="image/png",
                signature_sha256=Attestation.digest(b"png"),
                signed_at=at(submitted),
                recorded_by=officer,
            )
        return r

    meetings = iter(range(1, 100))

    def decide(r, outcome, day):
        meeting = Meeting.objects.create(
            number=f"M-{next(meetings)}", date=d(day), created_by=manager
        )
        return AgendaItem.objects.create(
            meeting=meeting, request=r, aid_type=aid, outcome=outcome, decided_at=at(day)
        )

    r1 = request(b1, head, "interview", "2024-08-01", "2024-08-15", "approved")
    decide(r1, "approved", "2024-08-10")
    r2 = request(b2, branch, "phone", "2024-09-01", "2024-09-15", "rejected")
    decide(r2, "rejected", "2024-09-20")
    r3 = request(b3, branch, "website", "2024-10-01", "2024-10-15", "enrolled")
    decide(r3, "deferred", "2024-10-10")
    r3_decision = decide(r3, "approved", "2024-10-14")
    Enrolment.objects.create(
        request=r3,
        decision=r3_decision,
        aid_type=aid,
        instalments=1,
        starts_on=d("2024-10-20"),
        enrolled_by=manager,
    )
    r4 = request(b1, head, "phone", "2024-11-01", "2024-11-15", "in_research", attest=False)
    r5 = request(b2, branch, "interview", "2024-12-01", "2099-01-01", "in_committee")
    r6 = request(b3, branch, "phone", "2025-01-05", "2025-01-19", "approved")
    decide(r6, "rejected", "2025-01-12")
    decide(r6, "approved", "2025-03-01")
    r7 = request(b1, head, "phone", "2025-07-01", "2025-07-15", "rejected")
    decide(r7, "rejected", "2025-07-02")
    SupportRequest.objects.create(
        beneficiary=b1, branch=head, channel=ch["phone"], need="مسودة", created_by=officer
    )
    ChecklistItem.objects.create(
        request=r1, doc_type=DocumentType.objects.get(code="national_id"), verification="verified"
    )
    # P6.3: R1's referral reported on time, R4's past its due date.
    Research.objects.create(
        request=r1,
        researcher=researcher,
        reason="verification",
        referred_by=officer,
        due_date=d("2024-08-06"),
        assessment="مستحق",
        recommended_aid_type=aid,
        completed_at=at("2024-08-05"),
    )
    Research.objects.create(
        request=r4,
        researcher=researcher,
        reason="verification",
        referred_by=officer,
        due_date=d("2024-11-06"),
    )

    # Tickets: T1–T5 in 1446, T6 in 1447.
    tcat = {c.code: c for c in TicketCategory.objects.all()}
    tickets = iter(range(1, 100))

    def ticket(
        kind,
        category,
        br,
        channel,
        created,
        *,
        response_due,
        resolution_due,
        responded=None,
        resolved=None,
        owner=None,
        status="new",
        **extra,
    ):
        return Ticket.objects.create(
            reference=f"TKT-1446-{next(tickets):06d}",
            kind=kind,
            category=tcat[category],
            status=status,
            subject="موضوع",
            description="وصف",
            channel=ch[channel],
            branch=br,
            person_name=extra.pop("person_name", "" if extra.get("beneficiary") else "زائر"),
            created_at=created,
            first_response_due=response_due,
            resolution_due=resolution_due,
            first_responded_at=responded,
            resolved_at=resolved,
            owner=owner,
            **extra,
        )

    t1 = ticket(
        "complaint",
        "complaint_delay",
        head,
        "phone",
        at("2024-08-02", 9),
        response_due=at("2024-08-02", 13),
        responded=at("2024-08-02", 11),
        resolution_due=at("2024-08-09", 9),
        resolved=at("2024-08-05", 9),
        owner=manager,
        status="resolved",
    )
    t2 = ticket(
        "complaint",
        "complaint_service",
        branch,
        "website",
        at("2024-09-02", 9),
        response_due=at("2024-09-02", 17),
        responded=at("2024-09-03", 9),
        resolution_due=at("2024-09-09", 9),
        resolved=at("2024-09-12", 9),
        owner=manager,
        status="closed",
        closed_at=at("2024-09-12", 10),
    )
    t3 = ticket(
        "inquiry",
        "inquiry_procedures",
        branch,
        "phone",
        at("2024-10-05", 9),
        response_due=at("2024-10-05", 17),
        responded=at("2024-10-05", 13),
        resolution_due=at("2024-10-06", 9),
        status="in_progress",
    )
    t4 = ticket(
        "suggestion",
        "suggestion_services",
        head,
        "interview",
        at("2024-11-01", 9),
        response_due=at("2024-11-03", 9),
        responded=at("2024-11-02", 9),
        resolution_due=at("2024-11-10", 9),
        resolved=at("2024-11-08", 9),
        owner=manager,
        status="resolved",
        outcome="accepted",
    )
    t5 = ticket(
        "complaint",
        "complaint_delay",
        branch,
        "phone",
        at("2024-12-01", 9),
        response_due=at("2024-12-01", 17),
        resolution_due=at("2024-12-08", 9),
        beneficiary=b3,
    )
    ticket(
        "complaint",
        "complaint_delay",
        head,
        "phone",
        at("2025-07-01", 9),
        response_due=at("2025-07-01", 17),
        resolution_due=at("2025-07-08", 9),
    )

    # Contacts: interview 2, phone 3, website 1 in 1446; one phone call in 1447.
    def contact(channel, br, when, ben=None):
        return Interaction.objects.create(
            channel=ch[channel],
            branch=br,
            beneficiary=ben,
            person_name="" if ben else "متصل",
            subject="اتصال",
            summary="ملخص",
            occurred_at=when,
            recorded_by=officer,
        )

    contact("phone", head, at("2024-08-03"))
    contact("phone", head, at("2024-09-03"))
    contact("phone", branch, at("2024-10-03"))
    contact("interview", head, at("2024-11-03"))
    contact("interview", head, at("2024-12-03"))
    contact("website", branch, at("2025-01-03"), ben=b2)
    contact("phone", head, at("2025-07-03"))

    # Survey answers: Safar 1446 (head office) 5, Rabi al-Awwal (Jeddah) 3 — under the
    # minimum group of 5, hidden — and Rabi al-Thani (Jeddah, by phone) 6; one in 1447.
    version = SurveyVersion.objects.first()

    def answers(day, month, br, scores, channel=None):
        for csat, nps in scores:
            Response.objects.create(
                version=version,
                anonymous=True,
                via="link",
                answered_on=d(day),
                hijri_year=1446 if month else 1447,
                hijri_month=month or 1,
                event="decision",
                branch=br,
                service_channel=ch[channel] if channel else None,
                csat=csat,
                nps=nps,
            )

    answers("2024-08-20", 2, head, [(5, 10), (4, 9), (4, 8), (5, 6), (2, 3)])
    answers("2024-09-20", 3, branch, [(5, 10), (5, 10), (5, 10)])
    answers("2024-10-20", 4, branch, [(5, 10), (5, 10), (4, 9), (4, 7), (3, 7), (3, 0)], "phone")
    answers("2025-07-10", None, head, [(1, 0)])

    # Invitations sent in 1446: 10, of which 4 answered (3 expired, 3 unanswered).
    statuses = ["answered"] * 4 + ["expired"] * 3 + ["sent"] * 3
    for i, status in enumerate(statuses):
        Invitation.objects.create(
            version=version,
            beneficiary=b1,
            event="decision",
            event_key=f"decision:{i}",
            event_at=at("2024-08-15"),
            branch=head,
            token_hash=f"{i:064d}",
            status=status,
            send_after=at("2024-08-15"),
            sent_at=at("2024-08-15", 12),
            expires_at=at("2024-08-22"),
            answered_on=d("2024-08-16") if status == "answered" else None,
        )

    # Reception (P6.1): waits of 10 and 30 minutes, services of 20 and 10; one not served.
    ReceptionVisit.objects.create(
        branch=head,
        visitor_name="زائر",
        purpose="استفسار",
        arrived_at=at("2024-08-05", 9),
        served_at=at("2024-08-05", 9, 10),
        left_at=at("2024-08-05", 9, 30),
        recorded_by=officer,
    )
    ReceptionVisit.objects.create(
        branch=branch,
        visitor_name="زائر",
        purpose="استفسار",
        arrived_at=at("2024-09-10", 10),
        served_at=at("2024-09-10", 10, 30),
        left_at=at("2024-09-10", 10, 40),
        recorded_by=officer,
    )
    ReceptionVisit.objects.create(
        branch=head,
        visitor_name="زائر",
        purpose="استفسار",
        arrived_at=at("2024-10-01", 11),
        recorded_by=officer,
    )

    # PDPL: one answered in time, one open past its deadline.
    DataSubjectRequest.objects.create(
        beneficiary=b1,
        kind="copy",
        channel=ch["interview"],
        received_at=at("2024-08-01"),
        due_date=d("2024-08-31"),
        status="completed",
        closed_at=at("2024-08-20"),
    )
    DataSubjectRequest.objects.create(
        beneficiary=b2,
        kind="access",
        channel=ch["phone"],
        received_at=at("2024-09-01"),
        due_date=d("2024-10-01"),
    )
    # The pages read the daily figures: recount them, as the worker does every five minutes.
    recount()

    return SimpleNamespace(
        head=head,
        branch=branch,
        channels=ch,
        categories=cat,
        b1=b1,
        b2=b2,
        b3=b3,
        r1=r1,
        r2=r2,
        r3=r3,
        r4=r4,
        r5=r5,
        r6=r6,
        r7=r7,
        t1=t1,
        t2=t2,
        t3=t3,
        t4=t4,
        t5=t5,
    )
