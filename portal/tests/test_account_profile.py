"""My profile and family (read only, identity numbers masked) and the correction request,
which becomes a data-subject request for staff with the proposed values."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries import services
from beneficiaries.models import DataSubjectRequest, DsrKind
from core.models import ActivityLog
from notify.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def son(officer, applicant):
    return services.member_save(
        actor=officer,
        beneficiary=applicant,
        data={
            "relation": "son",
            "full_name": "عبدالرحمن",
            "gender": "male",
            "birth_date": datetime.date(2008, 4, 2),
            "id_type": "national_id",
            "id_number": "1000000008",
        },
    )


def test_it_shows_my_file_with_identity_numbers_masked(portal_client, applicant, son):
    page = portal_client.get(reverse("portal:profile")).content.decode()
    assert applicant.full_name in page
    assert applicant.masked_id in page
    assert applicant.id_number not in page
    assert "عبدالرحمن" in page
    assert "1*******08" in page
    assert "1000000008" not in page


def test_it_shows_nothing_of_another_beneficiary(portal_client, other_applicant):
    page = portal_client.get(reverse("portal:profile")).content.decode()
    assert other_applicant.full_name not in page
    assert other_applicant.mobile not in page


def _correct(client, **data):
    return client.post(reverse("portal:correction"), data)


def test_a_correction_goes_to_staff_with_the_proposed_values(portal_client, applicant, son):
    response = _correct(
        portal_client,
        mobile="0551234567",
        postal_code="١٢٣٤٥",
        member=str(son.public_id),
        member_change="تاريخ الميلاد 1429/03/25",
    )
    assert response.status_code == 302
    assert response.url == reverse("portal:my_data")
    dsr = DataSubjectRequest.objects.get()
    assert dsr.kind == DsrKind.CORRECTION
    assert dsr.channel.code == "website"
    assert dsr.recorded_by is None
    assert dsr.due_date == timezone.localdate() + datetime.timedelta(days=30)
    changes = dsr.proposed_changes
    assert changes["mobile"] == {
        "label": "رقم الجوال",
        "current": applicant.mobile,
        "proposed": "+966551234567",
    }
    assert changes["postal_code"]["proposed"] == "12345"
    assert changes[f"member:{son.public_id}"]["proposed"] == "تاريخ الميلاد 1429/03/25"
    assert ActivityLog.objects.get(action="beneficiaries.dsr.opened").actor is None
    sms = Message.objects.get(template_code="privacy.dsr_received")
    assert sms.recipient == applicant.mobile


def test_a_wrong_mobile_is_refused_at_the_field(portal_client):
    response = _correct(portal_client, mobile="0521234567")
    assert response.status_code == 200
    assert response.context["form"].errors["mobile"]
    assert not DataSubjectRequest.objects.exists()
    assert not Message.objects.filter(template_code="privacy.dsr_received").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("iban", "SA0380000000608010167518"), ("address_short", "RR12"), ("postal_code", "123")],
)
def test_the_staff_validators_apply(portal_client, field, value):
    response = _correct(portal_client, **{field: value})
    assert response.context["form"].errors[field]
    assert not DataSubjectRequest.objects.exists()


def test_an_empty_form_or_the_same_value_is_refused(portal_client, applicant):
    response = _correct(portal_client)
    assert response.context["form"].non_field_errors()
    response = _correct(portal_client, mobile=applicant.mobile)
    assert response.context["form"].errors["mobile"]
    assert not DataSubjectRequest.objects.exists()


def test_another_beneficiary_s_member_cannot_be_named(portal_client, officer, other_applicant):
    theirs = services.member_save(
        actor=officer,
        beneficiary=other_applicant,
        data={
            "relation": "son",
            "full_name": "ابنها",
            "gender": "male",
            "birth_date": datetime.date(2010, 1, 1),
        },
    )
    response = _correct(portal_client, member=str(theirs.public_id), member_change="الاسم خطأ")
    assert response.status_code == 200
    assert not DataSubjectRequest.objects.exists()


def test_the_profile_costs_a_fixed_number_of_queries(portal_client, officer, applicant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("portal:profile")
    portal_client.get(url)
    with CaptureQueriesContext(connection) as small:
        portal_client.get(url)
    for i in range(4):
        member = services.member_save(
            actor=officer,
            beneficiary=applicant,
            data={
                "relation": "daughter",
                "full_name": f"بنت {i}",
                "gender": "female",
                "birth_date": datetime.date(2010 + i, 1, 1),
            },
        )
        services.income_add(
            actor=officer,
            beneficiary=applicant,
            data={"kind": "alimony", "monthly_amount": 300, "member": member},
        )
    with CaptureQueriesContext(connection) as large:
        portal_client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
