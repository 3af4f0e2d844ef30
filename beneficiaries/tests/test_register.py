"""Registering and editing a beneficiary: validation in Arabic at the field, nothing half
saved, duplicates caught exactly (database too) and fuzzily (staff decide, recorded)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Branch
from beneficiaries.models import Beneficiary, DuplicateDecision, NameToken
from core.models import ActivityLog, City
from tests_support.factories import make_beneficiary, national_id

pytestmark = pytest.mark.django_db


def _post_data(**overrides):
    data = {
        "first_name": "فاطِمة",
        "father_name": "أحمد",
        "grandfather_name": "عبد الله",
        "family_name": "الشمري",
        "id_type": "national_id",
        "id_number": "١٠١٢٣٤٥٦٧٢",  # 1012345672 in Arabic-Indic digits
        "nationality": "SA",
        "gender": "female",
        "birth_date": "١٥/٠٣/١٤٠٥",  # Hijri, Arabic-Indic digits
        "marital_status": "widowed",
        "mobile": "٠٥٠١٢٣٤٥٦٧",
        # As the browser sends the form: the channel's default and both consents ticked.
        "preferred_channel": "sms",
        "accepts_surveys": "on",
        "accepts_outreach": "on",
        "city": City.objects.get(code="riyadh").pk,
        "branch": Branch.objects.get(code="head-office").pk,
        "categories": [],
        "iban": "SA03 8000 0000 6080 1016 7519",
    }
    data.update(overrides)
    return data


def _create(client, **overrides):
    return client.post(reverse("beneficiaries:create"), _post_data(**overrides))


def test_registers_with_normalised_values_and_an_audit_row(client, representative):
    client.force_login(representative)
    response = _create(client)
    assert response.status_code == 302
    b = Beneficiary.objects.get()
    assert b.id_number == "1012345672"
    assert b.mobile == "+966501234567"
    assert b.iban == "SA0380000000608010167519"
    assert b.birth_date == datetime.date(1984, 12, 7)  # 15/03/1405 AH
    assert b.branch == representative.branch  # forced to the representative's branch
    assert b.first_name == "فاطِمة"  # displayed as typed
    assert b.name_key == "فاطمه احمد عبدالله الشمري"
    assert set(NameToken.objects.filter(beneficiary=b).values_list("token", flat=True)) == {
        "فاطمه",
        "احمد",
        "عبدالله",
        "الشمري",
        "شمري",
    }
    log = ActivityLog.objects.get(action="beneficiaries.beneficiary.created")
    assert log.actor == representative and log.target_id == str(b.pk)
    assert response.url == reverse("beneficiaries:detail", args=[b.public_id])


@pytest.mark.parametrize(
    ("field", "value", "arabic"),
    [
        ("id_number", "1234567890", "خانة التحقق"),
        ("id_number", "3000000004", "يبدأ"),
        ("mobile", "0521234567", "جوال سعودي"),
        ("iban", "SA0380000000608010167518", "الآيبان"),
        ("birth_date", "01/01/2999", "المستقبل"),
        ("first_name", "محمد2", "أرقام"),
    ],
)
def test_bad_input_gets_an_arabic_message_at_its_field_and_saves_nothing(
    client, officer, field, value, arabic
):
    client.force_login(officer)
    response = _create(client, **{field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert arabic in " ".join(errors[field]), errors[field]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Beneficiary.objects.exists()
    assert not ActivityLog.objects.exists()


def test_an_iqama_holder_cannot_be_saudi(client, officer):
    client.force_login(officer)
    response = _create(client, id_type="iqama", id_number="2000000006", nationality="SA")
    assert "nationality" in response.context["form"].errors


def test_duplicate_identity_number_is_refused_at_the_field(client, officer):
    existing = make_beneficiary(officer, id_number="1012345672")
    client.force_login(officer)
    response = _create(client, first_name="نورة", family_name="القحطاني")
    assert "مسجّل" in " ".join(response.context["form"].errors["id_number"])
    assert Beneficiary.objects.get() == existing


def test_duplicate_identity_number_is_a_database_constraint(officer):
    b = make_beneficiary(officer)
    clone = Beneficiary.objects.get(pk=b.pk)
    clone.pk = None
    clone.public_id = None
    clone.mobile = "+966551111111"
    import uuid

    clone.public_id = uuid.uuid4()
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_similar_person_is_shown_and_saved_only_after_confirmation(client, officer):
    existing = make_beneficiary(
        officer,
        first_name="فاطمه",
        father_name="احمد",
        grandfather_name="عبدالله",
        family_name="الشمري",
        birth_date=datetime.date(1984, 12, 7),
    )
    client.force_login(officer)
    response = _create(client)
    assert response.status_code == 200
    assert not response.context["form"].errors, response.context["form"].errors
    candidates = response.context["candidates"]
    assert [c.beneficiary for c in candidates] == [existing]
    assert "تاريخ الميلاد نفسه" in candidates[0].reasons
    assert Beneficiary.objects.count() == 1

    response = _create(client, confirm_distinct="on")
    assert response.status_code == 302
    new = Beneficiary.objects.exclude(pk=existing.pk).get()
    decision = DuplicateDecision.objects.get()
    assert (decision.beneficiary, decision.candidate, decision.decided_by) == (
        new,
        existing,
        officer,
    )
    assert ActivityLog.objects.filter(
        action="beneficiaries.beneficiary.confirmed_distinct"
    ).exists()


def test_candidate_in_another_branch_is_named_without_a_link(client, other_rep, representative):
    existing = make_beneficiary(
        representative,
        first_name="فاطمة",
        father_name="أحمد",
        grandfather_name="عبدالله",
        family_name="الشمري",
        birth_date=datetime.date(1984, 12, 7),
    )
    client.force_login(other_rep)
    response = _create(client)
    (candidate,) = response.context["candidates"]
    assert candidate.beneficiary == existing and not candidate.visible
    assert (
        reverse("beneficiaries:detail", args=[existing.public_id]) not in response.content.decode()
    )


def test_edit_logs_changed_fields_without_values(client, officer):
    b = make_beneficiary(officer, health_notes="")
    client.force_login(officer)
    data = _post_data(
        id_number=b.id_number,
        first_name=b.first_name,
        father_name=b.father_name,
        grandfather_name=b.grandfather_name,
        family_name=b.family_name,
        gender=b.gender,
        birth_date=b.birth_date.strftime("%d/%m/%Y"),
        mobile=b.mobile,
        branch=b.branch_id,
        health_notes="سكري",
        categories=[c.pk for c in b.categories.all()],
    )
    response = client.post(reverse("beneficiaries:edit", args=[b.public_id]), data)
    assert response.status_code == 302, response.context["form"].errors
    log = ActivityLog.objects.filter(action="beneficiaries.beneficiary.updated").get()
    assert "health_notes" in log.data["field_codes"]
    assert "سكري" not in str(log.data)


def test_representative_cannot_move_a_file_to_another_branch(representative, other_branch):
    from django.core.exceptions import PermissionDenied

    from beneficiaries import services

    b = make_beneficiary(representative)
    services.beneficiary_update(actor=representative, beneficiary=b, data={"branch": other_branch})
    b.refresh_from_db()
    assert b.branch == representative.branch
    with pytest.raises(PermissionDenied):
        other = make_beneficiary(
            type(representative).objects.create(username="o2", role="officer"),
            branch=other_branch,
            id_number=national_id(),
        )
        services.beneficiary_update(actor=representative, beneficiary=other, data={})
