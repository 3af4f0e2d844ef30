"""Storing what arrives: normalised, matched by phone, idempotent also under a race, logged."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from core.models import ActivityLog
from inbox import services
from inbox.models import InboundItem, ItemStatus, Source
from inbox.tests.conftest import receive
from tests_support.factories import make_beneficiary

pytestmark = pytest.mark.django_db


def test_it_stores_the_message_normalised_and_logs_it():
    item = receive(
        sender_phone="٠٥٩١١١٢٢٣٣",
        sender_email="  Nora@Example.COM ",
        sender_name="  نورة   سعد ",
        payload={"submission_id": "w-1"},
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW
    assert item.sender_phone == "+966591112233"
    assert item.sender_email == "Nora@example.com"
    assert item.sender_name == "نورة سعد"
    assert item.channel.code == "website"
    assert item.payload == {"submission_id": "w-1"}
    assert item.beneficiary is None and item.branch is None
    log = ActivityLog.objects.get(action="inbox.item.received")
    assert log.actor is None and log.data["item"] == str(item.public_id)


def test_the_same_sender_id_twice_stores_one_item():
    first, created = services.inbound_receive(
        source=Source.SMS,
        channel_code="phone",
        external_id="m-1",
        body="نص",
        sender_phone="0591112233",
    )
    again, created_again = services.inbound_receive(
        source=Source.SMS, channel_code="phone", external_id="m-1", body="نص آخر"
    )
    assert created and not created_again
    assert again.pk == first.pk and again.body == "نص"
    assert InboundItem.objects.count() == 1
    assert ActivityLog.objects.filter(action="inbox.item.received").count() == 1


def test_the_same_id_from_another_source_is_another_message():
    receive(source=Source.SMS, channel_code="phone", external_id="1001")
    receive(source=Source.WHATSAPP, channel_code="social_media", external_id="1001")
    assert InboundItem.objects.count() == 2


def test_a_new_message_is_two_lookups_and_two_inserts(django_assert_num_queries):
    # The channel, the files with this phone; then the item and its audit row (and the
    # savepoint around them). No lookup of the sender's id before the INSERT.
    with django_assert_num_queries(6) as captured:
        receive()
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    assert statements.count("SELECT") == 2 and statements.count("INSERT") == 2


def test_the_phone_of_exactly_one_file_identifies_the_sender(beneficiary):
    item = receive(sender_phone=beneficiary.mobile.replace("+966", "0"))
    assert item.beneficiary == beneficiary
    assert item.branch == beneficiary.branch
    log = ActivityLog.objects.get(action="inbox.item.received")
    assert log.subject_id == str(beneficiary.pk)  # on the file's timeline


def test_the_other_mobile_of_a_file_identifies_too(officer):
    b = make_beneficiary(officer, alt_mobile="+966591234567")
    assert receive(sender_phone="0591234567").beneficiary == b


def test_a_phone_shared_by_two_files_identifies_nobody(officer, beneficiary):
    make_beneficiary(officer, mobile=beneficiary.mobile)
    item = receive(sender_phone=beneficiary.mobile)
    assert item.beneficiary is None and item.branch is None


def test_an_invalid_phone_is_refused_at_its_field():
    with pytest.raises(ValidationError) as exc:
        receive(sender_phone="12345")
    assert "sender_phone" in exc.value.message_dict
    assert not InboundItem.objects.exists()


def test_an_unknown_channel_is_refused():
    with pytest.raises(ValidationError) as exc:
        receive(channel_code="pigeon")
    assert "channel" in exc.value.message_dict


def test_an_empty_message_is_refused():
    with pytest.raises(ValidationError) as exc:
        receive(body="   ")
    assert "body" in exc.value.message_dict


def test_the_database_keeps_one_row_per_source_and_sender_id(item):
    with pytest.raises(IntegrityError), transaction.atomic():
        InboundItem.objects.create(
            source=item.source, channel=item.channel, external_id=item.external_id, body="x"
        )


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (ItemStatus.TICKET, "inbound_ticket_set"),
        (ItemStatus.REQUEST, "inbound_request_set"),
        (ItemStatus.CLOSED, "inbound_closed_reason"),
    ],
)
def test_the_database_refuses_a_status_without_its_outcome(item, status, name):
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        InboundItem.objects.filter(pk=item.pk).update(status=status)
    assert name in str(exc.value) or "CHECK" in str(exc.value).upper()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL")
def test_two_deliveries_at_the_same_instant_store_one_item():
    from django.db import connections

    barrier = threading.Barrier(4)
    results = []

    def deliver():
        try:
            barrier.wait()
            item, created = services.inbound_receive(
                source=Source.SMS,
                channel_code="phone",
                external_id="same-instant",
                body="رسالة",
                sender_phone="0591112233",
            )
            results.append((item.pk, created))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert len({pk for pk, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, False, False, True]
    assert InboundItem.objects.count() == 1
