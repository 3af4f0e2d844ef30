import random

import pytest

from inbox.demo import MESSAGES, seed_demo
from inbox.models import InboundItem, ItemStatus, Source

pytestmark = pytest.mark.django_db


def test_the_demo_adds_each_source_once_and_identifies_by_phone(officer, beneficiary):
    summary = seed_demo(rng=random.Random(1), actor=officer)
    assert summary.startswith(f"{len(MESSAGES)} inbound messages added")
    assert {i.source for i in InboundItem.objects.all()} == {
        Source.WEB_FORM,
        Source.SOCIAL,
        Source.SMS,
        Source.WHATSAPP,
    }
    assert InboundItem.objects.filter(beneficiary=beneficiary).exists()
    assert InboundItem.objects.filter(status=ItemStatus.CLOSED).count() == 1
    again = seed_demo(rng=random.Random(2), actor=officer)
    assert again.startswith("0 inbound messages added")
    assert InboundItem.objects.count() == len(MESSAGES)
