"""Letter templates: the seeded ones, placeholders filled from the letter's links, unknown or
unsafe placeholders refused where a manager types them (the admin), a link a template needs
reported at the field that gives it, and no full identity number in any letter."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assistance.models import SupportRequest
from core.hijri import format_dual
from correspondence import services
from correspondence.models import PLACEHOLDERS, LetterTemplate, template_placeholders
from correspondence.tests.conftest import draft, register

pytestmark = pytest.mark.django_db


def test_three_templates_are_seeded_and_valid():
    templates = {t.code: t for t in LetterTemplate.objects.all()}
    assert {"inquiry_reply", "missing_documents", "beneficiary_to_body"} <= set(templates)
    for template in templates.values():
        template.full_clean()
        assert set(template.placeholders) <= set(PLACEHOLDERS)
    assert "{beneficiary_id_masked}" in templates["beneficiary_to_body"].body_ar


@pytest.mark.parametrize(
    "text",
    [
        "السيد {recipient_nam}",  # a typo
        "{beneficiary.id_number}",  # attribute access would reach into the object
        "{beneficiary_name.__class__}",
        "{recipient_name[0]}",
        "{recipient_name!r}",
        "{today_hijri:>20}",
        "{}",
        "{0}",
    ],
)
def test_an_unknown_or_unsafe_placeholder_is_refused(text, english):
    with pytest.raises(ValidationError) as exc:
        template_placeholders(text)
    assert exc.value.code == "template_unknown_placeholder"
    assert "{recipient_name}" in exc.value.messages[0]  # the available ones are listed


def test_an_unmatched_brace_is_refused_and_a_doubled_one_is_literal():
    with pytest.raises(ValidationError) as exc:
        template_placeholders("نص {recipient_name")
    assert exc.value.code == "template_braces"
    assert template_placeholders("{{نص}} {recipient_name}") == ["recipient_name"]


def test_the_admin_refuses_an_unknown_placeholder_at_the_field(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:correspondence_lettertemplate_add"),
        {
            "name_ar": "قالب",
            "code": "new-template",
            "subject_ar": "الموضوع",
            "body_ar": "السيد {recipient_nam} المحترم",
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "body_ar" in response.context["adminform"].form.errors
    assert "{recipient_nam}" in response.content.decode()
    assert not LetterTemplate.objects.filter(code="new-template").exists()


def test_the_admin_lists_the_placeholders(client, admin_user):
    client.force_login(admin_user)
    template = LetterTemplate.objects.get(code="inquiry_reply")
    response = client.get(reverse("admin:correspondence_lettertemplate_change", args=[template.pk]))
    content = response.content.decode()
    assert all("{" + name + "}" in content for name in PLACEHOLDERS)


def test_a_reply_quotes_the_senders_reference_and_date(officer):
    incoming = register(officer, sender_reference="77/ب")
    letter = draft(
        officer,
        code="inquiry_reply",
        party_name=incoming.party_name,
        party_organisation=incoming.party_organisation,
        in_reply_to=incoming,
    )
    assert letter.subject == "الرد على خطابكم رقم 77/ب"
    assert "77/ب" in letter.body and format_dual(incoming.letter_date) in letter.body
    assert letter.in_reply_to == incoming and letter.template.code == "inquiry_reply"


def test_the_reply_template_needs_the_letter_it_answers(officer, english):
    with pytest.raises(ValidationError) as exc:
        draft(officer, code="inquiry_reply")
    assert "Draft the answer" in exc.value.message_dict["template"][0]


def test_the_letter_about_a_beneficiary_masks_the_identity_number(officer, beneficiary):
    letter = draft(officer, beneficiary=beneficiary)
    assert beneficiary.id_number not in letter.body
    assert beneficiary.masked_id in letter.body
    assert beneficiary.full_name in letter.subject and beneficiary.full_name in letter.body


def test_a_template_about_a_beneficiary_needs_one_at_the_beneficiary_field(officer, english):
    with pytest.raises(ValidationError) as exc:
        draft(officer)
    assert set(exc.value.message_dict) == {"beneficiary"}
    assert "identity number" in exc.value.message_dict["beneficiary"][0]


def test_the_missing_documents_letter_lists_what_the_request_lacks(officer, beneficiary):
    from assistance.models import Status
    from assistance.tests.conftest import make_draft

    request = make_draft(officer, beneficiary)
    with pytest.raises(ValidationError) as exc:  # a draft request has no reference yet
        draft(officer, code="missing_documents", support_request=request)
    assert set(exc.value.message_dict) == {"support_request"}

    SupportRequest.objects.filter(pk=request.pk).update(reference="REQ-1448-000042")
    request.refresh_from_db()
    assert request.status == Status.DRAFT
    letter = draft(officer, code="missing_documents", support_request=request)
    assert letter.subject == "استكمال مستندات طلب الدعم رقم REQ-1448-000042"
    assert "- الهوية الوطنية / الإقامة\n- سجل الأسرة" in letter.body
    assert letter.beneficiary == beneficiary  # taken from the request
    assert letter.branch == beneficiary.branch


def test_today_and_the_branch_are_filled(officer, beneficiary):
    template = LetterTemplate.objects.create(
        code="dates",
        name_ar="تواريخ",
        subject_ar="خطاب {today_hijri}",
        body_ar="{today_hijri} — {today_gregorian} — {branch_name} — {organisation_name}",
    )
    subject, body = services.preview_from_template(
        actor=officer, template=template, party_name="جهة", beneficiary=beneficiary
    )
    from django.utils import timezone

    from core.hijri import format_gregorian, format_hijri

    today = timezone.localdate()
    assert subject == f"خطاب {format_hijri(today)}"
    assert body.startswith(f"{format_hijri(today)} — {format_gregorian(today)} — فرع جدة")


def test_an_inactive_template_cannot_be_used(officer, beneficiary):
    LetterTemplate.objects.filter(code="beneficiary_to_body").update(is_active=False)
    with pytest.raises(ValidationError) as exc:
        draft(officer, beneficiary=beneficiary)
    assert "template" in exc.value.message_dict


def test_a_full_identity_number_typed_into_a_draft_is_refused(officer, letter_draft, beneficiary):
    with pytest.raises(ValidationError) as exc:
        services.letter_draft_update(
            actor=officer, letter=letter_draft, body=f"رقم الهوية {beneficiary.id_number}"
        )
    assert set(exc.value.message_dict) == {"body"}
    assert beneficiary.masked_id in exc.value.message_dict["body"][0]
    # Arabic-Indic digits are the same number.
    arabic = beneficiary.id_number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    with pytest.raises(ValidationError):
        services.letter_draft_update(actor=officer, letter=letter_draft, subject=arabic)
    # Ten digits that are not an identity number (a phone, an account) are fine.
    services.letter_draft_update(actor=officer, letter=letter_draft, body="هاتف 0551234567")
