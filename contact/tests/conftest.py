import datetime
from zoneinfo import ZoneInfo

import pytest

from contact import services
from contact.models import Kind, ReplyChannel, TicketCategory
from core.models import Channel

RIYADH = ZoneInfo("Asia/Riyadh")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """List counts are cached for a few minutes; each test starts without them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Personas are created with a password; a slow hash is not what these tests test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(year, month, day, hour=0, minute=0) -> datetime.datetime:
    """An aware moment in Riyadh time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=RIYADH)


def open_ticket(actor, **overrides):
    """An inquiry by SMS from an unidentified caller, unless overridden."""
    data = {
        "actor": actor,
        "kind": Kind.INQUIRY,
        "category": TicketCategory.objects.get(code="inquiry_procedures"),
        "subject": "الاستفسار عن مواعيد التسجيل",
        "description": "يسأل عن أوقات استقبال طلبات التسجيل في الفرع",
        "channel": Channel.objects.get(code="phone"),
        "person_name": "خالد الزهراني",
        "person_phone": "0551234567",
        "reply_channel": ReplyChannel.SMS,
    }
    data.update(overrides)
    return services.ticket_open(**data)


def open_staff_complaint(actor, staff_member=None, **overrides):
    data = {
        "kind": Kind.COMPLAINT,
        "category": TicketCategory.objects.get(code="complaint_staff"),
        "subject": "سوء تعامل موظف الاستقبال",
        "description": "تعامل الموظف بأسلوب غير لائق أثناء المراجعة",
        "staff_member": staff_member,
    }
    data.update(overrides)
    return open_ticket(actor, **data)


@pytest.fixture
def ticket(officer):
    return open_ticket(officer)
