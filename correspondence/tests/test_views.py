"""Every screen of the register: the happy path, the wrong method (405), a role that may not
(403), a user outside the letter's branch (404), and htmx partials."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import ActivityLog
from correspondence import services
from correspondence.models import Letter, LetterStatus, LetterTemplate
from correspondence.tests.conftest import draft, register
from notify.models import Message
from tests_support.factories import UserFactory, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def far_manager(other_branch):
    """A manager tied to another branch: may do everything, but not to these letters."""
    return UserFactory(username="far_manager", role=Role.MANAGER, branch=other_branch)


@pytest.fixture
def attachment(officer, incoming):
    return services.attachment_add(actor=officer, letter=incoming, uploads=[pdf_upload()])[0]


def url(name, letter=None, *extra):
    args = [letter.public_id, *extra] if letter is not None else []
    return reverse(f"correspondence:{name}", args=args)


# (url name, the letter fixture, allowed methods, a role refused) for every screen.
SCREENS = [
    ("list", None, {"GET"}, "volunteer"),
    ("register_incoming", None, {"GET", "POST"}, "service_officer"),
    ("draft", None, {"GET", "POST"}, "service_officer"),
    ("detail", "incoming", {"GET"}, "volunteer"),
    ("edit", "letter_draft", {"GET", "POST"}, "service_officer"),
    ("pdf", "issued", {"GET"}, "volunteer"),
    ("issue", "letter_draft", {"POST"}, "representative"),
    ("mark_sent", "issued", {"POST"}, "service_officer"),
    ("refer", "incoming", {"POST"}, "service_officer"),
    ("file", "incoming", {"POST"}, "service_officer"),
    ("discard", "letter_draft", {"POST"}, "service_officer"),
    ("attach", "incoming", {"POST"}, "service_officer"),
    ("attachment", "incoming", {"GET"}, "service_officer"),
]


def _url_for(request, name, fixture):
    if fixture is None:
        return url(name)
    letter = request.getfixturevalue(fixture)
    if name == "attachment":
        return url(name, letter, request.getfixturevalue("attachment").public_id)
    return url(name, letter)


@pytest.mark.parametrize(("name", "fixture", "methods", "refused"), SCREENS)
def test_wrong_method_is_405(request, client, manager, name, fixture, methods, refused):
    target = _url_for(request, name, fixture)
    client.force_login(manager)
    wrong = "post" if "POST" not in methods else "put"
    assert getattr(client, wrong)(target).status_code == 405


@pytest.mark.parametrize(("name", "fixture", "methods", "refused"), SCREENS)
def test_wrong_role_is_403(request, client, name, fixture, methods, refused):
    target = _url_for(request, name, fixture)
    client.force_login(request.getfixturevalue(refused))
    method = "get" if "GET" in methods else "post"
    assert getattr(client, method)(target).status_code == 403


@pytest.mark.parametrize(("name", "fixture", "methods", "refused"), SCREENS)
def test_outsider_is_404(request, client, far_manager, name, fixture, methods, refused):
    if fixture is None:
        pytest.skip("not about one letter")
    target = _url_for(request, name, fixture)
    client.force_login(far_manager)
    method = "get" if "GET" in methods else "post"
    assert getattr(client, method)(target).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, incoming):
    response = client.get(url("detail", incoming))
    assert response.status_code == 302 and "login" in response.url


# --- The register ---------------------------------------------------------------------


def test_the_register_lists_and_filters(client, officer, beneficiary, letter_draft):
    old = register(
        officer, subject="طلب إفادة", letter_date=datetime.date(2025, 9, 15), party_name="أحمد"
    )
    new = register(officer, subject="دعوة لحضور اجتماع", party_organisation="أمانة جدة")
    client.force_login(officer)

    def listed(**params):
        response = client.get(url("list"), params)
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    assert listed() == [new, old, letter_draft]
    assert listed(direction="out") == [letter_draft]
    assert listed(status="registered") == [new, old]
    assert listed(q=old.reference) == [old]
    assert listed(q="أمانه") == [new]  # ة typed as ه: the search folds Arabic
    assert listed(q="إفاده") == [old]
    assert listed(date_from="23/03/1447", date_to="23/03/1447") == [old]  # Hijri range
    assert listed(date_from="2025-09-16") == [new]
    response = client.get(url("list"), {"date_from": "2025-09-20", "date_to": "2025-09-01"})
    assert "date_to" in response.context["form"].errors


def test_referred_to_me(client, officer, manager, incoming):
    services.letter_refer(actor=officer, letter=incoming, to=manager)
    register(officer)
    client.force_login(manager)
    page = client.get(url("list"), {"mine": "on"}).context["page"]
    assert list(page.object_list) == [incoming]


def test_the_register_answers_htmx_with_its_rows(client, officer, incoming):
    client.force_login(officer)
    response = client.get(url("list"), headers={"HX-Request": "true"})
    assert response.templates[0].name == "correspondence/_register.html"
    assert incoming.reference in response.content.decode()


def test_the_register_pages_in_a_fixed_number_of_queries(client, officer, beneficiary):
    register(officer, beneficiary=beneficiary)
    client.force_login(officer)
    client.get(url("list"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("list"))
    for _ in range(4):
        register(officer, beneficiary=beneficiary)
    with CaptureQueriesContext(connection) as more:
        client.get(url("list"))
    assert len(more) == len(few)


# --- Registering and drafting ---------------------------------------------------------


def test_registering_an_incoming_letter(client, representative, beneficiary):
    client.force_login(representative)
    response = client.post(
        url("register_incoming"),
        {
            "letter_date": "23/03/1447",
            "sender_reference": "١٢/٣",
            "party_name": "خالد الحربي",
            "subject": "طلب مساعدة في سداد الإيجار",
            "body": "يطلب مساعدة.",
            "beneficiary": beneficiary.id_number,
            "attachments": [pdf_upload("scan.pdf")],
        },
    )
    letter = Letter.objects.get()
    assert response.status_code == 302 and response.url == url("detail", letter)
    assert letter.status == LetterStatus.REGISTERED and letter.reference.startswith("IN-")
    assert letter.letter_date == datetime.date(2025, 9, 15)  # typed Hijri, stored Gregorian
    assert letter.beneficiary == beneficiary and letter.attachments.count() == 1
    assert letter.created_by == representative


def test_registering_reports_errors_at_their_fields(client, officer):
    client.force_login(officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        url("register_incoming"),
        {"letter_date": tomorrow.isoformat(), "subject": "", "beneficiary": "1000000008"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"letter_date", "subject", "beneficiary"} <= set(errors)
    assert not Letter.objects.exists()
    response = client.post(url("register_incoming"), {"letter_date": "2025-09-15", "subject": "س"})
    assert "party_name" in response.context["form"].errors  # no sender at all
    assert not Letter.objects.exists()


def test_registering_from_a_file_prefills_the_beneficiary(client, officer, beneficiary, other_rep):
    client.force_login(officer)
    response = client.get(url("register_incoming"), {"beneficiary": beneficiary.public_id})
    assert response.context["form"].initial["beneficiary"] == beneficiary.id_number
    client.force_login(other_rep)
    response = client.get(url("register_incoming"), {"beneficiary": beneficiary.public_id})
    assert response.status_code == 404


def test_drafting_previews_without_saving_then_saves(client, officer, beneficiary):
    client.force_login(officer)
    template = LetterTemplate.objects.get(code="beneficiary_to_body")
    data = {
        "template": template.pk,
        "party_name": "مدير الجمعية",
        "beneficiary": beneficiary.id_number,
        "signatory_name": "نورة",
        "signatory_title": "المديرة",
        "branch": "",
    }
    response = client.post(url("draft"), data | {"preview": "1"})
    assert response.status_code == 200 and not Letter.objects.exists()
    assert beneficiary.full_name in response.context["preview"]["body"]
    htmx = client.post(url("draft"), data | {"preview": "1"}, headers={"HX-Request": "true"})
    assert htmx.templates[0].name == "correspondence/_draft_form.html"
    assert beneficiary.masked_id in htmx.content.decode()

    response = client.post(url("draft"), data)
    letter = Letter.objects.get()
    assert response.url == url("detail", letter)
    assert letter.status == LetterStatus.DRAFT and letter.reference is None
    assert letter.signatory_name == "نورة"


def test_drafting_from_a_request_prefills_it_and_the_template(client, officer, beneficiary):
    from assistance.tests.conftest import make_draft

    request = make_draft(officer, beneficiary)
    request.reference = "REQ-1448-000009"
    request.save(update_fields=["reference"])
    client.force_login(officer)
    response = client.get(
        url("draft"), {"request": request.public_id, "template": "missing_documents"}
    )
    initial = response.context["form"].initial
    assert initial["support_request"] == "REQ-1448-000009"
    assert initial["beneficiary"] == beneficiary.id_number
    assert initial["party_name"] == beneficiary.full_name
    assert initial["template"].code == "missing_documents"


def test_drafting_reports_what_the_template_needs_at_the_field(client, officer):
    client.force_login(officer)
    template = LetterTemplate.objects.get(code="beneficiary_to_body")
    response = client.post(url("draft"), {"template": template.pk, "party_name": "جهة"})
    assert response.status_code == 200
    assert "beneficiary" in response.context["form"].errors
    assert not Letter.objects.exists()


def test_drafting_the_answer_to_an_incoming_letter(client, officer, incoming):
    client.force_login(officer)
    response = client.get(url("draft"), {"reply_to": incoming.public_id})
    initial = response.context["form"].initial
    assert initial["party_name"] == incoming.party_name
    assert initial["template"].code == "inquiry_reply"
    assert initial["beneficiary"] == incoming.beneficiary.id_number
    data = {
        "template": initial["template"].pk,
        "party_name": incoming.party_name,
        "beneficiary": incoming.beneficiary.id_number,
    }
    response = client.post(f"{url('draft')}?reply_to={incoming.public_id}", data)
    reply = Letter.objects.get(direction="out")
    assert reply.in_reply_to == incoming
    assert incoming.sender_reference in reply.subject


def test_answering_an_outgoing_letter_or_a_letter_outside_is_404(
    client, officer, other_rep, issued, incoming
):
    client.force_login(officer)
    assert client.get(url("draft"), {"reply_to": issued.public_id}).status_code == 404
    client.force_login(other_rep)
    assert client.get(url("draft"), {"reply_to": incoming.public_id}).status_code == 404


def test_editing_a_draft(client, representative, letter_draft):
    client.force_login(representative)
    response = client.get(url("edit", letter_draft))
    assert response.context["form"].initial["body"] == letter_draft.body
    data = {
        "party_name": "مدير المكتب",
        "subject": "موضوع معدل",
        "body": "نص معدل",
        "beneficiary": letter_draft.beneficiary.id_number,
    }
    preview = client.post(url("edit", letter_draft), data | {"preview": "1"})
    assert preview.context["preview"]["subject"] == "موضوع معدل"
    letter_draft.refresh_from_db()
    assert letter_draft.subject != "موضوع معدل"
    response = client.post(url("edit", letter_draft), data)
    assert response.status_code == 302
    letter_draft.refresh_from_db()
    assert (letter_draft.subject, letter_draft.body) == ("موضوع معدل", "نص معدل")


# --- The letter page and its actions --------------------------------------------------


def test_the_letter_page(client, officer, incoming, attachment):
    client.force_login(officer)
    response = client.get(url("detail", incoming))
    assert response.status_code == 200
    content = response.content.decode()
    assert incoming.reference in content and incoming.subject in content
    assert "refer_form" in response.context and "file_form" in response.context
    assert [e.action for e in response.context["history"]] == [
        "correspondence.attachment.added",
        "correspondence.letter.registered",
    ]


def test_the_letter_page_in_a_fixed_number_of_queries(client, officer, incoming):
    client.force_login(officer)
    client.get(url("detail", incoming))
    with CaptureQueriesContext(connection) as few:
        client.get(url("detail", incoming))
    for _ in range(3):
        services.attachment_add(actor=officer, letter=incoming, uploads=[pdf_upload()])
    with CaptureQueriesContext(connection) as more:
        client.get(url("detail", incoming))
    assert len(more) == len(few)


def test_issuing_from_the_page(client, officer, letter_draft):
    client.force_login(officer)
    response = client.post(url("issue", letter_draft))
    assert response.status_code == 302
    letter_draft.refresh_from_db()
    assert letter_draft.status == LetterStatus.ISSUED and letter_draft.pdf


def test_a_representative_drafts_but_does_not_issue(representative, beneficiary):
    from django.core.exceptions import PermissionDenied

    letter = draft(representative, beneficiary=beneficiary)
    with pytest.raises(PermissionDenied):
        services.letter_issue(actor=representative, letter=letter)


def test_recording_the_dispatch(client, representative, issued):
    client.force_login(representative)
    today = timezone.localdate()
    response = client.post(
        url("mark_sent", issued), {"method": "post", "sent_on": today.isoformat(), "note": "RR1"}
    )
    assert response.status_code == 302
    issued.refresh_from_db()
    assert (issued.status, issued.dispatch_method, issued.sent_on) == ("sent", "post", today)
    # A second time is refused, shown as a message.
    response = client.post(
        url("mark_sent", issued), {"method": "hand", "sent_on": today.isoformat()}, follow=True
    )
    assert list(response.context["messages"])
    issued.refresh_from_db()
    assert issued.dispatch_method == "post"


def test_the_dispatch_form_reports_a_bad_date(client, officer, issued):
    client.force_login(officer)
    response = client.post(url("mark_sent", issued), {"method": "post", "sent_on": "xx"})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.status == LetterStatus.ISSUED


def test_referring_from_the_page_emails_the_colleague(client, officer, manager, incoming):
    manager.email = "manager@example.org"
    manager.save()
    client.force_login(officer)
    response = client.post(url("refer", incoming), {"to": manager.pk, "note": "للإفادة"})
    assert response.status_code == 302
    incoming.refresh_from_db()
    assert incoming.status == LetterStatus.REFERRED and incoming.referred_to == manager
    message = Message.objects.get(template_code="letter.referred")
    assert message.recipient == "manager@example.org"
    assert incoming.reference in message.body and incoming.subject not in message.body


def test_filing_from_the_page(client, representative, incoming):
    client.force_login(representative)
    response = client.post(url("file", incoming), {"note": "للعلم فقط"})
    assert response.status_code == 302
    incoming.refresh_from_db()
    assert incoming.status == LetterStatus.FILED and incoming.filing_note == "للعلم فقط"


def test_discarding_a_draft(client, officer, letter_draft):
    client.force_login(officer)
    response = client.post(url("discard", letter_draft))
    assert response.status_code == 302 and response.url == url("list")
    assert not Letter.objects.filter(pk=letter_draft.pk).exists()
    assert ActivityLog.objects.filter(action="correspondence.letter.discarded").exists()


def test_downloading_the_issued_pdf_is_logged(client, service_officer, issued):
    client.force_login(service_officer)
    response = client.get(url("pdf", issued))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="{issued.reference}.pdf"' in response["Content-Disposition"]
    entry = ActivityLog.objects.get(action="correspondence.letter.pdf_downloaded")
    assert entry.actor == service_officer and entry.subject_id == str(issued.beneficiary_id)


def test_an_incoming_letter_has_no_pdf(client, officer, incoming):
    client.force_login(officer)
    assert client.get(url("pdf", incoming)).status_code == 404
