"""The public home, services, and channels pages: no sign-in, configuration only."""

import pytest
from django.urls import reverse

from accounts.models import Branch
from assistance.models import AidType, AssistancePolicy, EligibilityRule
from beneficiaries.models import Category
from core.models import Channel, City
from tests_support.factories import BranchFactory

pytestmark = pytest.mark.django_db

PAGES = ["portal:index", "portal:services", "portal:channels"]


@pytest.mark.parametrize("name", PAGES)
def test_it_serves_the_page_without_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("name", PAGES)
def test_it_rejects_post(client, name):
    assert client.post(reverse(name)).status_code == 405


def test_it_shows_who_is_served_and_with_what(client):
    AidType.objects.filter(code="marriage").update(is_active=False)
    html = client.get(reverse("portal:index")).content.decode()
    assert Category.objects.get(code="widows").name_ar in html
    assert AidType.objects.get(code="food_basket").name_ar in html
    assert AidType.objects.get(code="marriage").name_ar not in html
    for name in ("portal:login", "portal:apply", "portal:kb", "portal:status", "portal:contact"):
        assert f'href="{reverse(name)}"' in html


def test_it_lists_each_aid_with_its_documents_rules_and_the_decision_period(client):
    policy = AssistancePolicy.current()
    policy.decision_period_days = 10
    policy.save()
    rule = EligibilityRule.objects.create(
        name="في منطقة الخدمة", kind="service_area", aid_type=AidType.objects.get(code="rent")
    )
    rule.cities.set([City.objects.get(code="jeddah")])
    html = client.get(reverse("portal:services")).content.decode()
    # Documents for every request, by category, and by aid type (lease for rent).
    assert "الهوية الوطنية / الإقامة" in html
    assert "شهادة وفاة الأب" in html
    assert 'id="aid-rent"' in html
    rent = html[html.index('id="aid-rent"') :]
    rent = rent[: rent.index("</article>")]
    assert "عقد الإيجار" in rent
    assert City.objects.get(code="jeddah").name_ar in rent
    # The sufficiency line table and the promise.
    assert "2500" in html
    assert ">10<" not in html  # the period is in a sentence, not a bare number
    assert " 10 " in html
    assert 'scope="col"' in html


def test_it_lists_the_eight_channels_and_the_active_branches(client):
    BranchFactory(code="jeddah", name_ar="فرع جدة", phone="0126000000", address="حي الروضة")
    BranchFactory(code="closed", name_ar="فرع مغلق", is_active=False)
    html = client.get(reverse("portal:channels")).content.decode()
    assert Channel.objects.filter(is_active=True).count() == 8
    for channel in Channel.objects.all():
        assert f'id="channel-{channel.code}"' in html
        assert channel.name_ar in html
    assert "فرع جدة" in html and "0126000000" in html and "حي الروضة" in html
    assert Branch.objects.get(code="head-office").name_ar in html
    assert "فرع مغلق" not in html


@pytest.mark.parametrize(("name", "queries"), [("portal:index", 3), ("portal:services", 7)])
def test_it_reads_a_fixed_number_of_queries(client, name, queries, django_assert_num_queries):
    # More configuration rows cost no more queries.
    BranchFactory.create_batch(3)
    for code in ("renovation", "furniture"):
        EligibilityRule.objects.create(
            name=code, kind="min_age", value=18, aid_type=AidType.objects.get(code=code)
        )
    with django_assert_num_queries(queries):
        client.get(reverse(name))
