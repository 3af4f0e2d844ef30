"""The copy of everything held about a person (PDPL access and copy): theirs and nobody
else's, other people's identity numbers masked, staff shown by role, in a fixed number of
queries."""

import datetime
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assistance import services as assistance
from assistance.models import AidType
from beneficiaries import privacy, services
from contact import services as contact
from contact.models import Kind, TicketCategory
from core.models import Channel
from tests_support.factories import make_document

pytestmark = pytest.mark.django_db


def _fill(officer, b, tag: str):
    """A file with something in every part of the copy; `tag` marks every free text."""
    member = services.member_save(
        actor=officer,
        beneficiary=b,
        data={
            "relation": "son",
            "full_name": f"ابن {tag}",
            "gender": "male",
            "birth_date": datetime.date(2012, 3, 1),
            "id_type": "national_id",
            "id_number": "1000000008" if tag == "زمرد" else "1234567897",
        },
    )
    services.income_add(
        actor=officer,
        beneficiary=b,
        data={"kind": "salary", "monthly_amount": 3000, "note": f"دخل {tag}", "member": member},
    )
    services.obligation_add(
        actor=officer, beneficiary=b, data={"kind": "rent", "monthly_amount": 1200}
    )
    make_document(officer, b, member=member)
    assistance.request_create(
        actor=officer,
        beneficiary=b,
        channel=Channel.objects.get(code="interview"),
        aid_types=[AidType.objects.get(code="food_basket")],
        need=f"حاجة {tag}",
    )
    ticket = contact.ticket_open(
        actor=officer,
        kind=Kind.INQUIRY,
        category=TicketCategory.objects.get(code="inquiry_procedures"),
        subject=f"سؤال {tag}",
        description=f"نص السؤال {tag}",
        channel=Channel.objects.get(code="phone"),
        beneficiary=b,
    )
    contact.ticket_reply(actor=officer, ticket=ticket, body=f"جواب {tag}")
    contact.ticket_note(actor=officer, ticket=ticket, body=f"ملاحظة داخلية {tag}")
    contact.interaction_log(
        actor=officer,
        channel="interview",
        subject=f"مراجعة {tag}",
        summary=f"ملخص {tag}",
        beneficiary=b,
    )
    privacy.dsr_open(actor=officer, beneficiary=b, kind="copy", channel="phone")
    services.beneficiary_viewed(actor=officer, beneficiary=b)
    return member


def _dump(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def test_it_holds_my_data_and_none_of_anyone_else_s(officer, applicant, other_applicant):
    _fill(officer, applicant, "زمرد")
    _fill(officer, other_applicant, "ياقوت")
    data = privacy.subject_export(applicant)
    text = _dump(data)
    for mine in ("ابن زمرد", "دخل زمرد", "حاجة زمرد", "نص السؤال زمرد", "جواب زمرد", "ملخص زمرد"):
        assert mine in text, mine
    assert data["profile"]["mobile"] == applicant.mobile
    assert data["profile"]["id_number"] == applicant.id_number
    for theirs in (
        "ياقوت",
        other_applicant.full_name,
        other_applicant.id_number,
        other_applicant.mobile,
    ):
        assert theirs not in text, theirs
    assert len(data["support_requests"]) == 1
    assert len(data["tickets"]) == 1
    assert len(data["contacts"]) == 1
    assert len(data["data_requests"]) == 1
    assert data["messages"], "the SMS sent about the file are part of the copy"


def test_other_people_s_identity_numbers_are_masked(officer, applicant):
    member = _fill(officer, applicant, "زمرد")
    text = _dump(privacy.subject_export(applicant))
    assert member.id_number not in text
    assert "1*******08" in text


def test_staff_are_shown_by_role_and_internal_notes_are_left_out(officer, applicant):
    _fill(officer, applicant, "زمرد")
    data = privacy.subject_export(applicant)
    text = _dump(data)
    assert officer.display_name not in text
    assert "ملاحظة داخلية" not in text
    viewed = [h for h in data["history"] if h["action"] == "beneficiaries.beneficiary.viewed"]
    assert viewed
    assert viewed[0]["who"] == officer.get_role_display()
    assert officer.get_role_display() in viewed[0]["what"]


def test_it_costs_a_fixed_number_of_queries(officer, applicant):
    _fill(officer, applicant, "زمرد")
    privacy.subject_export(applicant)  # warm the content-type cache
    with CaptureQueriesContext(connection) as small:
        privacy.subject_export(applicant)
    for _ in range(3):
        member = services.member_save(
            actor=officer,
            beneficiary=applicant,
            data={
                "relation": "daughter",
                "full_name": "بنت",
                "gender": "female",
                "birth_date": datetime.date(2015, 1, 1),
            },
        )
        make_document(officer, applicant, member=member)
        services.income_add(
            actor=officer, beneficiary=applicant, data={"kind": "pension", "monthly_amount": 500}
        )
        privacy.dsr_open(
            actor=officer, beneficiary=applicant, kind="correction", channel="phone", details="x"
        )
        services.beneficiary_viewed(actor=officer, beneficiary=applicant)
    with CaptureQueriesContext(connection) as large:
        privacy.subject_export(applicant)
    assert len(large.captured_queries) == len(small.captured_queries)
