import itertools

import pytest

from inbox import services
from inbox.models import Source

_ids = itertools.count(1)


def receive(**overrides):
    """One inbound message through the service, as the API stores it; returns the item."""
    fields = {
        "source": Source.WEB_FORM,
        "channel_code": "website",
        "external_id": f"ext-{next(_ids)}",
        "body": "السلام عليكم، متى يبدأ توزيع السلال الغذائية؟",
        "sender_name": "نورة سعد",
        "sender_phone": "0591112233",
        "subject": "استفسار عن السلة الغذائية",
    }
    fields.update(overrides)
    item, _created = services.inbound_receive(**fields)
    return item


@pytest.fixture
def item(db):
    """A new, unidentified website message (no branch yet)."""
    return receive()


@pytest.fixture
def branch_item(beneficiary):
    """A new SMS from the mobile of `beneficiary`: identified and in `branch`."""
    return receive(
        source=Source.SMS, channel_code="phone", sender_phone=beneficiary.mobile, subject=""
    )
