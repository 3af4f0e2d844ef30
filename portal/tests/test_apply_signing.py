"""Step 3 of the apply wizard: the declaration is signed with a one-time code sent to the
mobile on file, and only once nothing else stops the submission. A wrong, expired or foreign
code signs nothing."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import services
from assistance.models import AidType, Attestation, Status
from beneficiaries.models import IncomeSource
from core.models import Channel
from notify.models import Message
from portal.models import OneTimeCode
from tests_support.factories import make_document
from tests_support.portal import portal_sign_in

pytestmark = pytest.mark.django_db


def _own_draft(beneficiary):
    return services.request_create(
        actor=None,
        beneficiary=beneficiary,
        channel=Channel.objects.get(code="website"),
        aid_types=[AidType.objects.get(code="food_basket")],
        need="نحتاج سلة غذائية",
        declares_no_income=True,
    )


@pytest.fixture
def complete_draft(officer, applicant):
    """The applicant's draft with everything but the signature."""
    applicant.id_expiry = datetime.date(2031, 1, 1)
    applicant.save(update_fields=["id_expiry"])
    make_document(officer, applicant, code="national_id")
    make_document(officer, applicant, code="family_register", expires_on=None)
    return _own_draft(applicant)


def _code(beneficiary) -> str:
    message = Message.objects.filter(
        recipient=beneficiary.mobile, template_code="portal.otp"
    ).latest("created_at")
    return re.search(r"\d{6}", message.body).group(0)


def _ask_code(client, draft):
    response = client.post(
        reverse("portal:apply_sign", args=[draft.public_id]), {"rights_acknowledged": "on"}
    )
    assert response.status_code == 302
    return response.url


def test_it_shows_the_declaration_and_the_rights(portal_client, complete_draft):
    response = portal_client.get(reverse("portal:apply_sign", args=[complete_draft.public_id]))
    text = response.content.decode()
    assert "أقر أنا مقدم الطلب" in text and "حقوقك" in text
    assert 'name="rights_acknowledged"' in text


def test_the_code_goes_to_the_mobile_on_file_for_this_request(portal_client, complete_draft):
    url = _ask_code(portal_client, complete_draft)
    row = OneTimeCode.objects.get()
    assert row.purpose == "sign" and row.subject_id == str(complete_draft.public_id)
    assert row.beneficiary == complete_draft.beneficiary
    assert url == reverse("portal:apply_code", args=[complete_draft.public_id, row.public_id])
    assert Message.objects.get(template_code="portal.otp").recipient == (
        complete_draft.beneficiary.mobile
    )


def test_no_code_without_the_acknowledgement(portal_client, complete_draft):
    response = portal_client.post(reverse("portal:apply_sign", args=[complete_draft.public_id]))
    assert response.status_code == 200
    assert "rights_acknowledged" in response.context["form"].errors
    assert not OneTimeCode.objects.exists()


def test_what_stops_submission_is_shown_with_where_to_fix_it_and_no_code_is_sent(
    portal_client, applicant
):
    draft = _own_draft(applicant)  # no documents, no identity expiry
    sign_url = reverse("portal:apply_sign", args=[draft.public_id])
    response = portal_client.get(sign_url)
    fixes = response.context["fixes"]
    sections = {fix["section"] for fix in fixes}
    assert {"documents", "applicant"} <= sections
    assert "attestation" not in sections  # the signature is what this page gives
    text = response.content.decode()
    assert reverse("portal:apply_documents", args=[draft.public_id]) in text
    assert reverse("portal:profile") in text
    assert 'name="rights_acknowledged"' not in text
    portal_client.post(sign_url, {"rights_acknowledged": "on"})
    assert not OneTimeCode.objects.exists()


def test_the_income_problem_points_back_to_step_one(portal_client, applicant, officer):
    applicant.id_expiry = datetime.date(2031, 1, 1)
    applicant.save(update_fields=["id_expiry"])
    draft = services.request_create(
        actor=None,
        beneficiary=applicant,
        channel=Channel.objects.get(code="website"),
        aid_types=[AidType.objects.get(code="food_basket")],
        need="x",
    )
    assert not IncomeSource.objects.filter(beneficiary=applicant).exists()
    response = portal_client.get(reverse("portal:apply_sign", args=[draft.public_id]))
    income = [fix for fix in response.context["fixes"] if fix["section"] == "income"]
    assert income and income[0]["url"] == reverse("portal:apply_details", args=[draft.public_id])


def test_a_wrong_code_signs_nothing(portal_client, complete_draft):
    url = _ask_code(portal_client, complete_draft)
    right = _code(complete_draft.beneficiary)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    response = portal_client.post(url, {"code": wrong})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT
    assert not Attestation.objects.exists()
    assert not Message.objects.filter(template_code="request.submitted").exists()


def test_an_expired_code_signs_nothing(portal_client, complete_draft):
    url = _ask_code(portal_client, complete_draft)
    row = OneTimeCode.objects.get()
    OneTimeCode.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1),
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    response = portal_client.post(url, {"code": _code(complete_draft.beneficiary)})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT and not Attestation.objects.exists()


def test_the_right_code_signs_and_sends(portal_client, complete_draft):
    url = _ask_code(portal_client, complete_draft)
    response = portal_client.post(url, {"code": _code(complete_draft.beneficiary)})
    assert response.url == reverse("portal:apply_done", args=[complete_draft.public_id])
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.SUBMITTED
    # The code is used: its page is gone.
    assert portal_client.get(url).status_code == 302  # the request is sent: to its page


def test_a_code_page_for_another_request_or_person_is_not_found(
    client, complete_draft, other_applicant
):
    portal_sign_in(client, complete_draft.beneficiary)
    url = _ask_code(client, complete_draft)
    challenge_id = url.rstrip("/").rsplit("/", 1)[1]
    other_draft = _own_draft(other_applicant)
    # The code of this request used on the page of another person's request.
    assert (
        client.get(
            reverse("portal:apply_code", args=[other_draft.public_id, challenge_id])
        ).status_code
        == 404
    )
    # Another person, signed in, on this request's code page.
    portal_sign_in(client, other_applicant)
    assert client.get(url).status_code == 404
    assert client.post(url, {"code": _code(complete_draft.beneficiary)}).status_code == 404
    assert not Attestation.objects.exists()


def test_a_code_for_the_applicant_s_other_draft_does_not_sign_this_one(
    portal_client, complete_draft, officer
):
    url = _ask_code(portal_client, complete_draft)
    challenge_id = url.rstrip("/").rsplit("/", 1)[1]
    from assistance.tests.conftest import make_draft

    desk_draft = make_draft(officer, complete_draft.beneficiary)
    assert (
        portal_client.get(
            reverse("portal:apply_code", args=[desk_draft.public_id, challenge_id])
        ).status_code
        == 404
    )


def test_signing_pages_refuse_other_methods_and_ask_to_sign_in(client, complete_draft):
    sign_url = reverse("portal:apply_sign", args=[complete_draft.public_id])
    response = client.get(sign_url)
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))
    portal_sign_in(client, complete_draft.beneficiary)
    assert client.put(sign_url).status_code == 405
    url = _ask_code(client, complete_draft)
    assert client.put(url).status_code == 405
    done = reverse("portal:apply_done", args=[complete_draft.public_id])
    assert client.post(done).status_code == 405
    assert client.get(done).status_code == 404  # not sent yet: nothing to show
