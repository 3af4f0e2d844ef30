"""The list and the beneficiary page run a fixed number of queries whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries import services
from tests_support.factories import make_beneficiary, make_document

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow_household(officer, b, n):
    for i in range(n):
        member = services.member_save(
            actor=officer,
            beneficiary=b,
            data={
                "relation": "son",
                "full_name": f"ابن {i}",
                "gender": "male",
                "birth_date": b.birth_date.replace(year=2005 + i),
            },
        )
        services.income_add(
            actor=officer,
            beneficiary=b,
            data={"kind": "salary", "monthly_amount": 100, "member": member},
        )
        services.obligation_add(
            actor=officer, beneficiary=b, data={"kind": "rent", "monthly_amount": 50}
        )
        make_document(officer, b, member=member)


def test_list_query_count_does_not_grow(client, officer):
    client.force_login(officer)
    make_beneficiary(officer)
    small = _count(client, reverse("beneficiaries:list"))
    for _ in range(15):
        make_beneficiary(officer)
    assert _count(client, reverse("beneficiaries:list")) == small
    assert _count(client, reverse("beneficiaries:list") + "?q=محمد") <= small + 3


def test_detail_query_count_does_not_grow(client, officer):
    client.force_login(officer)
    b = make_beneficiary(officer)
    url = reverse("beneficiaries:detail", args=[b.public_id])
    _count(client, url)  # warm the content-type cache
    small = _count(client, url)
    _grow_household(officer, b, 6)
    assert _count(client, url) == small
