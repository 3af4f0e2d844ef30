import random

import pytest

from beneficiaries.models import Beneficiary
from portal import demo

pytestmark = pytest.mark.django_db


def test_the_demo_applicant_is_registered_once(officer):
    for _ in range(2):
        summary = demo.seed_demo(rng=random.Random(1), actor=officer)
    assert demo.DEMO_ID in summary
    beneficiary = Beneficiary.objects.get(id_number=demo.DEMO_ID)
    assert beneficiary.members.count() == 2
    assert beneficiary.documents.get().state == "expiring"
    assert not beneficiary.consents.exists()
