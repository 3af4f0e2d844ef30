"""The apply wizard, steps 1 and 2: a draft saved at each step, the documents of the checklist,
bad input answered at its field with nothing saved, and nobody else's draft reachable."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistance import services
from assistance.models import AidType, Status, SupportRequest
from assistance.tests.conftest import make_draft, make_ready_draft
from beneficiaries.models import Document
from core.models import ActivityLog, Channel
from tests_support.factories import PDF_BYTES, make_document
from tests_support.portal import portal_sign_in

pytestmark = pytest.mark.django_db


def _pdf():
    return SimpleUploadedFile("doc.pdf", PDF_BYTES, content_type="application/pdf")


def _own_draft(beneficiary, aid="food_basket"):
    return services.request_create(
        actor=None,
        beneficiary=beneficiary,
        channel=Channel.objects.get(code="website"),
        aid_types=[AidType.objects.get(code=aid)],
        need="نحتاج سلة غذائية",
    )


def _wizard_urls(draft):
    return [
        reverse("portal:apply_details", args=[draft.public_id]),
        reverse("portal:apply_documents", args=[draft.public_id]),
        reverse("portal:apply_sign", args=[draft.public_id]),
    ]


def test_it_asks_to_sign_in_first(client, applicant):
    draft = _own_draft(applicant)
    for url in [reverse("portal:apply"), *_wizard_urls(draft)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("portal:login"))


def test_it_refuses_other_methods(portal_client, applicant):
    draft = _own_draft(applicant)
    for url in [reverse("portal:apply"), *_wizard_urls(draft)]:
        assert portal_client.put(url).status_code == 405
        assert portal_client.delete(url).status_code == 405


def test_it_shows_step_one(portal_client):
    response = portal_client.get(reverse("portal:apply"))
    assert response.status_code == 200
    text = response.content.decode()
    assert AidType.objects.get(code="food_basket").name_ar in text
    assert 'name="need"' in text and "csrfmiddlewaretoken" in text


def test_bad_input_is_answered_at_the_field_and_nothing_is_saved(portal_client):
    response = portal_client.post(reverse("portal:apply"), {"need": "", "requested_amount": "-5"})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"aid_types", "need", "requested_amount"} <= set(form.errors)
    assert 'aria-invalid="true"' in response.content.decode()
    assert not SupportRequest.objects.exists()
    assert not ActivityLog.objects.filter(action__startswith="assistance.").exists()


def test_step_one_opens_a_draft_and_logs_it(portal_client, applicant):
    food = AidType.objects.get(code="food_basket")
    response = portal_client.post(
        reverse("portal:apply"),
        {"aid_types": [food.pk], "need": "إيجار متأخر", "requested_amount": "١٢٠٠"},
    )
    draft = SupportRequest.objects.get(beneficiary=applicant)
    assert response.url == reverse("portal:apply_documents", args=[draft.public_id])
    assert draft.requested_amount == 1200 and draft.channel.code == "website"
    entry = ActivityLog.objects.get(action="assistance.request.created")
    assert entry.actor is None and entry.data["via"] == "portal"


def test_a_draft_under_way_is_resumed_not_duplicated(portal_client, applicant):
    draft = _own_draft(applicant)
    response = portal_client.get(reverse("portal:apply"))
    assert response.url == reverse("portal:apply_details", args=[draft.public_id])
    listing = portal_client.get(reverse("portal:requests")).content.decode()
    assert reverse("portal:apply_documents", args=[draft.public_id]) in listing
    assert SupportRequest.objects.count() == 1


def test_step_one_again_changes_the_draft_and_its_checklist(portal_client, applicant):
    draft = _own_draft(applicant)
    page = portal_client.get(reverse("portal:apply_details", args=[draft.public_id]))
    assert "نحتاج سلة غذائية" in page.content.decode()
    cash = AidType.objects.get(code="one_off_cash")
    response = portal_client.post(
        reverse("portal:apply_details", args=[draft.public_id]),
        {"aid_types": [cash.pk], "need": "سداد دين"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.need == "سداد دين"
    assert "iban_certificate" in {i.doc_type.code for i in draft.checklist.all()}
    assert ActivityLog.objects.get(action="assistance.request.updated").data["via"] == "portal"


def test_step_two_lists_the_checklist_and_reuses_documents_in_the_file(
    portal_client, applicant, officer
):
    make_document(officer, applicant, code="family_register", expires_on=None)
    draft = _own_draft(applicant)
    response = portal_client.get(reverse("portal:apply_documents", args=[draft.public_id]))
    assert response.status_code == 200
    rows = {row["item"].doc_type.code: row for row in response.context["rows"]}
    assert rows["family_register"]["item"].document_id is not None
    assert rows["family_register"]["form"] is None  # already in the file: nothing to upload
    assert rows["national_id"]["form"] is not None
    assert response.context["missing"] == 1
    # The eligibility pre-check is shown as advice, as staff see it.
    assert response.context["eligibility"]
    assert 'id="eligibility-title"' in response.content.decode()


def test_step_two_uploads_a_document_into_the_file_and_the_checklist(portal_client, applicant):
    draft = _own_draft(applicant)
    response = portal_client.post(
        reverse("portal:apply_documents", args=[draft.public_id]),
        {
            "item": "national_id",
            "doc-national_id-upload": _pdf(),
            "doc-national_id-expires_on": "01/01/1452",  # Hijri
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(beneficiary=applicant)
    assert document.uploaded_by is None
    assert document.expires_on == datetime.date(2030, 5, 3)
    item = draft.checklist.get(doc_type__code="national_id")
    assert item.document_id == document.pk
    assert ActivityLog.objects.get(action="assistance.checklist.attached").data["via"] == "portal"
    assert ActivityLog.objects.filter(action="beneficiaries.document.uploaded").exists()


def test_step_two_refuses_a_file_that_is_not_a_document_and_saves_nothing(portal_client, applicant):
    draft = _own_draft(applicant)
    fake = SimpleUploadedFile("doc.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = portal_client.post(
        reverse("portal:apply_documents", args=[draft.public_id]),
        {
            "item": "national_id",
            "doc-national_id-upload": fake,
            "doc-national_id-expires_on": "01/01/2030",
        },
    )
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r["key"] == "national_id")
    assert "upload" in row["form"].errors
    assert not Document.objects.exists()
    assert draft.checklist.get(doc_type__code="national_id").document_id is None


def test_step_two_asks_for_the_expiry_date_at_its_field(portal_client, applicant):
    draft = _own_draft(applicant)
    response = portal_client.post(
        reverse("portal:apply_documents", args=[draft.public_id]),
        {"item": "national_id", "doc-national_id-upload": _pdf()},
    )
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r["key"] == "national_id")
    assert "expires_on" in row["form"].errors
    assert 'id="id_doc-national_id-expires_on_error"' in response.content.decode()
    assert not Document.objects.exists()


def test_step_two_refuses_an_item_the_draft_does_not_have(portal_client, applicant):
    draft = _own_draft(applicant)
    response = portal_client.post(
        reverse("portal:apply_documents", args=[draft.public_id]),
        {"item": "lease", "doc-lease-upload": _pdf()},
    )
    assert response.status_code == 404
    assert not Document.objects.exists()


def test_another_beneficiary_s_draft_is_not_found(client, applicant, other_applicant):
    draft = _own_draft(other_applicant)
    portal_sign_in(client, applicant)
    for url in _wizard_urls(draft):
        assert client.get(url).status_code == 404
        assert client.post(url, {"need": "x", "rights_acknowledged": "on"}).status_code == 404
    assert client.get(reverse("portal:apply_done", args=[draft.public_id])).status_code == 404
    draft.refresh_from_db()
    assert draft.need == "نحتاج سلة غذائية"


def test_a_draft_opened_at_the_desk_is_not_completed_on_the_portal(
    portal_client, applicant, officer
):
    draft = make_draft(officer, applicant)
    for url in _wizard_urls(draft):
        assert portal_client.get(url).status_code == 404


def test_a_sent_request_leaves_the_wizard_for_its_page(client, applicant, officer):
    # The officer records the consent with the rest of the file; then the applicant signs in.
    request = services.request_submit(actor=officer, request=make_ready_draft(officer, applicant))
    assert request.status == Status.SUBMITTED
    portal_sign_in(client, applicant)
    for url in _wizard_urls(request):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("portal:request", args=[request.public_id])
