"""Household members, income and obligations through their screens."""

import pytest
from django.urls import reverse

from beneficiaries.models import HouseholdMember, IncomeSource, Obligation

pytestmark = pytest.mark.django_db


def test_adds_a_member_with_hijri_birth_date_and_arabic_digits(client, officer, beneficiary):
    client.force_login(officer)
    response = client.post(
        reverse("beneficiaries:member_add", args=[beneficiary.public_id]),
        {
            "relation": "son",
            "full_name": "عبدالرحمن محمد",
            "gender": "male",
            "birth_date": "١٠/٠٩/١٤٣٥هـ",
            "id_type": "national_id",
            "id_number": "١٢٣٤٥٦٧٨٩٧",
            "schooling": "intermediate",
        },
    )
    assert response.status_code == 302
    member = HouseholdMember.objects.get()
    assert member.id_number == "1234567897"
    assert member.birth_date.year == 2014


def test_member_with_the_applicants_identity_is_refused(client, officer, beneficiary):
    client.force_login(officer)
    response = client.post(
        reverse("beneficiaries:member_add", args=[beneficiary.public_id]),
        {
            "relation": "son",
            "full_name": "سعد",
            "gender": "male",
            "birth_date": "01/01/2010",
            "id_type": "national_id",
            "id_number": beneficiary.id_number,
        },
    )
    assert "id_number" in response.context["form"].errors
    assert not HouseholdMember.objects.exists()


def test_income_and_obligation_totals(client, officer, beneficiary):
    client.force_login(officer)
    client.post(
        reverse("beneficiaries:income_add", args=[beneficiary.public_id]),
        {"kind": "social_security", "monthly_amount": "٢٬٥٠٠٫٥٠"},
    )
    client.post(
        reverse("beneficiaries:obligation_add", args=[beneficiary.public_id]),
        {"kind": "rent", "monthly_amount": "1000"},
    )
    assert IncomeSource.objects.get().monthly_amount == pytest.approx(2500.50)
    assert Obligation.objects.count() == 1
    response = client.get(reverse("beneficiaries:detail", args=[beneficiary.public_id]))
    totals = response.context["totals"]
    assert totals["net"] == pytest.approx(1500.50) and totals["per_capita"] == pytest.approx(
        1500.50
    )


def test_a_negative_amount_is_refused(client, officer, beneficiary):
    client.force_login(officer)
    response = client.post(
        reverse("beneficiaries:income_add", args=[beneficiary.public_id]),
        {"kind": "salary", "monthly_amount": "-5"},
    )
    assert "monthly_amount" in response.context["form"].errors
    assert not IncomeSource.objects.exists()


def test_removing_a_member_needs_the_right_branch(client, other_rep, officer, beneficiary):
    from beneficiaries import services

    member = services.member_save(
        actor=officer,
        beneficiary=beneficiary,
        data={
            "relation": "son",
            "full_name": "سعد",
            "gender": "male",
            "birth_date": beneficiary.birth_date.replace(year=2010),
        },
    )
    client.force_login(other_rep)
    url = reverse("beneficiaries:member_remove", args=[beneficiary.public_id, member.public_id])
    assert client.post(url).status_code == 404
    assert HouseholdMember.objects.exists()


def test_consent_is_recorded_once_per_version(client, officer, beneficiary):
    from beneficiaries.models import Consent, PrivacyNotice
    from core.models import Channel

    client.force_login(officer)
    url = reverse("beneficiaries:consent_add", args=[beneficiary.public_id])
    data = {
        "notice": PrivacyNotice.objects.get(version="1.0").pk,
        "channel": Channel.objects.get(code="interview").pk,
        "acknowledged": "on",
    }
    assert client.post(url, data).status_code == 302
    consent = Consent.objects.get()
    assert consent.recorded_by == officer and consent.channel.code == "interview"
    response = client.post(url, data)
    assert response.status_code == 200 and Consent.objects.count() == 1
