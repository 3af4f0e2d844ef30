"""After the decision: appeal within the window, enrolment with a schedule, deliveries that
never exceed the decision (P6.6–P6.7)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assistance import committee, enrolment
from assistance.models import AidType, Delivery, Status
from core.models import Channel
from tests_support.factories import PDF_BYTES

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _decide(item, members, choice, **kwargs):
    for member in members:
        committee.vote_cast(actor=member, item=item, choice=choice, **kwargs)
    item.refresh_from_db()
    item.request.refresh_from_db()
    return item


@pytest.fixture
def approved(manager, meeting, researched, members):
    item = committee.agenda_add(actor=manager, meeting=meeting, request=researched)
    return _decide(item, members, "approve").request


@pytest.fixture
def rejected(manager, meeting, researched, members):
    item = committee.agenda_add(actor=manager, meeting=meeting, request=researched)
    return _decide(item, members, "reject", note="الدخل كاف").request


def test_appeal_within_the_window_goes_back_to_the_committee(officer, manager, rejected, members):
    committee.appeal_lodge(
        actor=officer,
        request=rejected,
        grounds="تغير الدخل",
        channel=Channel.objects.get(code="letter"),
    )
    rejected.refresh_from_db()
    assert rejected.status == Status.APPEALED
    later = committee.meeting_create(
        actor=manager,
        number="30/1448",
        day=TODAY(),
        quorum=2,
        rule="majority",
        chair=members[0],
        members=members,
    )
    item = committee.agenda_add(actor=manager, meeting=later, request=rejected)
    assert item.request.status == Status.IN_COMMITTEE


def test_appeal_after_the_window_is_refused(officer, rejected):
    item = rejected.agenda_items.get()
    type(item).objects.filter(pk=item.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=60)
    )
    with pytest.raises(ValidationError) as exc:
        committee.appeal_lodge(
            actor=officer, request=rejected, grounds="x", channel=Channel.objects.get(code="phone")
        )
    assert "هـ" in " ".join(exc.value.messages)
    rejected.refresh_from_db()
    assert rejected.status == Status.REJECTED


def test_an_approved_request_cannot_be_appealed(officer, approved):
    with pytest.raises(ValidationError):
        committee.appeal_lodge(
            actor=officer, request=approved, grounds="x", channel=Channel.objects.get(code="phone")
        )


@pytest.fixture
def enrolled(officer, approved):
    return enrolment.enrolment_create(actor=officer, request=approved, starts_on=TODAY())


def test_enrolment_takes_the_decision(enrolled):
    assert (enrolled.amount_per_instalment, enrolled.instalments) == (Decimal("800.00"), 12)
    assert enrolled.total == Decimal("9600.00")
    assert enrolled.request.status == Status.ENROLLED
    assert enrolled.due_date(2).month == (TODAY().month % 12) + 1


def test_deliveries_move_the_request_and_never_exceed_the_decision(
    service_officer, enrolled, beneficiary
):
    beneficiary.iban = "SA0380000000608010167519"
    beneficiary.save(update_fields=["iban"])
    enrolment.delivery_record(
        actor=service_officer,
        enrolment=enrolled,
        method="bank_transfer",
        delivered_on=TODAY(),
        amount=Decimal("800"),
        transfer_reference="TRX-1",
    )
    enrolled.request.refresh_from_db()
    assert enrolled.request.status == Status.IN_SERVICE
    with pytest.raises(ValidationError) as exc:
        enrolment.delivery_record(
            actor=service_officer,
            enrolment=enrolled,
            method="voucher",
            delivered_on=TODAY(),
            amount=Decimal("9000"),
            voucher_code="V-2",
        )
    assert "amount" in exc.value.message_dict
    assert Delivery.objects.count() == 1


def test_the_last_instalment_closes_the_request(
    service_officer, officer, manager, members, researched
):
    m = committee.meeting_create(
        actor=manager,
        number="31/1448",
        day=TODAY(),
        quorum=2,
        rule="majority",
        chair=members[0],
        members=members,
    )
    item = committee.agenda_add(actor=manager, meeting=m, request=researched)
    committee.proposal_update(
        actor=manager,
        item=item,
        aid_type=AidType.objects.get(code="food_basket"),
        amount=None,
        months=1,
    )
    _decide(item, members[:2], "approve")
    enrolled = enrolment.enrolment_create(actor=officer, request=item.request, starts_on=TODAY())
    receipt = SimpleUploadedFile("receipt.pdf", PDF_BYTES)
    with pytest.raises(ValidationError):
        enrolment.delivery_record(
            actor=service_officer,
            enrolment=enrolled,
            method="in_kind",
            delivered_on=TODAY(),
            amount=Decimal("100"),
            receipt=receipt,
        )
    enrolment.delivery_record(
        actor=service_officer,
        enrolment=enrolled,
        method="in_kind",
        delivered_on=TODAY(),
        receipt=SimpleUploadedFile("receipt.pdf", PDF_BYTES),
    )
    enrolled.request.refresh_from_db()
    assert enrolled.request.status == Status.CLOSED
    with pytest.raises(ValidationError):
        enrolment.delivery_record(
            actor=service_officer,
            enrolment=enrolled,
            method="in_kind",
            delivered_on=TODAY(),
            receipt=SimpleUploadedFile("receipt.pdf", PDF_BYTES),
        )


def test_only_service_roles_deliver(officer, enrolled):
    with pytest.raises(PermissionDenied):
        enrolment.delivery_record(
            actor=officer,
            enrolment=enrolled,
            method="voucher",
            delivered_on=TODAY(),
            amount=Decimal("800"),
            voucher_code="V",
        )


def test_a_transfer_needs_an_iban_on_file(service_officer, enrolled):
    with pytest.raises(ValidationError):
        enrolment.delivery_record(
            actor=service_officer,
            enrolment=enrolled,
            method="bank_transfer",
            delivered_on=TODAY(),
            amount=Decimal("800"),
            transfer_reference="T",
        )


def test_service_screens(client, officer, service_officer, approved):
    client.force_login(officer)
    day = TODAY().strftime("%d/%m/%Y")
    client.post(reverse("assistance:enrol", args=[approved.public_id]), {"starts_on": day})
    approved.refresh_from_db()
    assert approved.status == Status.ENROLLED
    client.force_login(service_officer)
    page = client.get(reverse("assistance:detail", args=[approved.public_id]))
    assert "delivery-form" in page.content.decode()
    client.post(
        reverse("assistance:deliver", args=[approved.public_id]),
        {"method": "voucher", "delivered_on": day, "amount": "٨٠٠", "voucher_code": "V-100"},
    )
    assert Delivery.objects.get().voucher_code == "V-100"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_officers_delivering_at_once_cannot_exceed_the_decision(service_officer, enrolled):
    from django.db import connections

    from assistance.models import Enrolment

    Enrolment.objects.filter(pk=enrolled.pk).update(instalments=1)
    outcomes = []

    def deliver(code):
        try:
            enrolment.delivery_record(
                actor=service_officer,
                enrolment=enrolled,
                method="voucher",
                delivered_on=TODAY(),
                amount=Decimal("800"),
                voucher_code=code,
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(f"V-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Delivery.objects.count() == 1
