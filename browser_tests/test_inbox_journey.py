"""An SMS reply arrives through the signed webhook while nobody is looking; a relations
officer finds it in the inbox, identifies the sender from the registry, and turns it into an
inquiry — whose acknowledgement SMS is in the outbox."""

import json
import time

import httpx
import pytest

from api import credentials, services
from api.models import ApiClient
from browser_tests.conftest import login
from contact.models import Ticket
from core.models import Channel
from inbox.models import InboundItem, ItemStatus
from notify.models import Message
from tests_support.factories import make_beneficiary

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_an_sms_becomes_an_inquiry(page, live_server, officer):
    b = make_beneficiary(officer, first_name="هيفاء", family_name="الدوسري")
    gateway = ApiClient(name="SMS", source="sms", channel=Channel.objects.get(code="phone"))
    issued = services.api_client_create(actor=None, client=gateway)
    body = json.dumps(
        {"message_id": "sms-1", "phone": "0598765432", "text": "متى موعد توزيع السلال؟"}
    ).encode()
    stamp = str(int(time.time()))
    response = httpx.post(
        f"{live_server.url}/api/v1/webhooks/sms/",
        content=body,
        headers={
            "Authorization": f"Bearer {issued.token}",
            "Content-Type": "application/json",
            credentials.TIMESTAMP_HEADER: stamp,
            credentials.SIGNATURE_HEADER: credentials.sign(issued.webhook_secret, stamp, body),
        },
    )
    assert response.status_code == 201

    login(page, live_server, officer.username)
    page.goto(f"{live_server.url}/inbox/")
    page.locator(".count-badge").get_by_text("1").wait_for()
    page.click("text=متى موعد توزيع السلال؟")

    # The phone is not on file: search the registry by name and pick the file.
    page.fill("#q", "هيفاء الدوسري")
    page.locator("#candidates").get_by_text(b.full_name).wait_for()
    page.click("#candidates button")
    page.locator("#sender").get_by_role("link", name=b.full_name).wait_for()

    page.select_option("#id_ticket-kind", "inquiry")
    page.select_option("#id_ticket-category", label="الاستفسار عن الخدمات والبرامج")
    page.select_option("#id_ticket-reply_channel", "sms")
    page.click("#actions form[action$='/ticket/'] button")
    page.locator(".messages").get_by_text("TKT-").wait_for()

    item = InboundItem.objects.get()
    ticket = Ticket.objects.get()
    assert item.status == ItemStatus.TICKET and item.ticket == ticket
    assert ticket.beneficiary == b and ticket.channel.code == "phone"
    assert Message.objects.filter(channel="sms", recipient="+966598765432").exists()
