"""Every screen: the happy path, the wrong method (405), an outsider (404), a wrong role
(403), and the htmx partial where there is one."""

import pytest
from django.urls import reverse

from contact import services
from contact.models import Interaction, ReceptionVisit, Ticket, TicketEvent, TicketStatus
from contact.tests.conftest import open_ticket
from notify.models import Message


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _html(response) -> str:
    return response.content.decode()


def _is_partial(response) -> bool:
    return "<html" not in _html(response)


# --- Contacts list ----------------------------------------------------------------------


def test_contacts_list(as_user, officer, beneficiary):
    services.interaction_log(
        actor=officer,
        channel="interview",
        subject="مراجعة الفرع",
        summary="…",
        beneficiary=beneficiary,
    )
    client = as_user(officer)
    page = client.get(reverse("contact:list"))
    assert page.status_code == 200
    assert "مراجعة الفرع" in _html(page)
    partial = client.get(reverse("contact:list"), {"channel": "phone"}, HTTP_HX_REQUEST="true")
    assert _is_partial(partial)
    assert "مراجعة الفرع" not in _html(partial)
    assert client.post(reverse("contact:list")).status_code == 405


def test_contacts_list_refuses_the_committee(as_user, committee):
    assert as_user(committee).get(reverse("contact:list")).status_code == 403


def test_contacts_list_needs_a_sign_in(client):
    response = client.get(reverse("contact:list"))
    assert response.status_code == 302 and "login" in response.url


def test_contacts_list_is_scoped(as_user, representative, other_rep, beneficiary):
    services.interaction_log(
        actor=representative,
        channel="interview",
        subject="زيارة جدة",
        summary="…",
        beneficiary=beneficiary,
    )
    assert "زيارة جدة" not in _html(as_user(other_rep).get(reverse("contact:list")))


def test_contacts_list_pages_by_keyset(as_user, officer, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "PAGE_SIZE": 2}
    for n in range(3):
        services.interaction_log(
            actor=officer,
            channel="interview",
            subject=f"موضوع {n}",
            summary="…",
            person_name="زائر",
        )
    client = as_user(officer)
    first = client.get(reverse("contact:list"))
    assert "موضوع 2" in _html(first) and "موضوع 0" not in _html(first)
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("contact:list"), {"after": cursor})
    assert "موضوع 0" in _html(second) and "موضوع 2" not in _html(second)
    assert not second.context["page"].has_next


def test_a_volunteer_sees_only_their_own_contacts(as_user, volunteer, officer):
    services.interaction_log(
        actor=officer, channel="interview", subject="خاص بالموظف", summary="…", person_name="س"
    )
    services.interaction_log(
        actor=volunteer,
        channel="volunteer",
        subject="نقلته متطوعة",
        summary="…",
        person_name="س",
        person_phone="0551231234",
    )
    html = _html(as_user(volunteer).get(reverse("contact:list")))
    assert "نقلته متطوعة" in html and "خاص بالموظف" not in html


# --- Quick log --------------------------------------------------------------------------


def test_quick_log_of_a_phone_call(as_user, officer):
    client = as_user(officer)
    assert client.get(reverse("contact:log")).status_code == 200
    response = client.post(
        reverse("contact:log"),
        {
            "channel": "phone",
            "direction": "in",
            "beneficiary": "",
            "person_name": "فهد العنزي",
            "person_phone": "0551234567",
            "subject": "موعد صرف السلة",
            "summary": "سأل عن موعد الصرف القادم",
            "duration_seconds": "٣:١٥",
        },
    )
    interaction = Interaction.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("contact:interaction", args=[interaction.public_id])
    assert interaction.duration_seconds == 195


def test_quick_log_then_a_ticket(as_user, officer, beneficiary):
    client = as_user(officer)
    response = client.post(
        reverse("contact:log"),
        {
            "channel": "interview",
            "direction": "in",
            "beneficiary": str(beneficiary.public_id),
            "subject": "شكوى تأخير",
            "summary": "تأخر صرف المساعدة",
            "then": "ticket",
        },
    )
    interaction = Interaction.objects.get()
    assert interaction.beneficiary == beneficiary
    assert response.url.endswith(f"?interaction={interaction.public_id}")
    form = client.get(response.url)
    assert form.status_code == 200
    assert "تأخر صرف المساعدة" in _html(form)
    assert beneficiary.full_name in _html(form)


def test_quick_log_shows_errors_at_their_fields(as_user, officer):
    response = as_user(officer).post(
        reverse("contact:log"),
        {
            "channel": "phone",
            "direction": "in",
            "person_name": "فهد",
            "subject": "س",
            "summary": "…",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["duration_seconds"]
    assert not Interaction.objects.exists()


def test_quick_log_finds_the_beneficiary_without_javascript(as_user, officer, beneficiary):
    page = as_user(officer).get(reverse("contact:log"), {"q": beneficiary.mobile})
    assert beneficiary.full_name in _html(page)
    assert str(beneficiary.public_id) in _html(page)


def test_quick_log_ignores_a_file_out_of_scope(as_user, other_rep, beneficiary):
    client = as_user(other_rep)
    page = client.get(reverse("contact:log"), {"beneficiary": beneficiary.public_id})
    assert beneficiary.full_name not in _html(page)
    response = client.post(
        reverse("contact:log"),
        {
            "channel": "interview",
            "direction": "in",
            "beneficiary": str(beneficiary.public_id),
            "subject": "س",
            "summary": "…",
        },
    )
    assert response.status_code == 200
    assert not Interaction.objects.exists()


def test_quick_log_by_a_volunteer(as_user, volunteer):
    client = as_user(volunteer)
    page = client.get(reverse("contact:log"))
    assert page.status_code == 200
    assert 'name="q"' not in _html(page)  # no registry search for volunteers
    response = client.post(
        reverse("contact:log"),
        {
            "person_name": "أم سعد",
            "person_phone": "0551239876",
            "subject": "تحتاج سلة غذائية",
            "summary": "أسرة من خمسة أفراد",
        },
    )
    assert response.status_code == 302
    assert Interaction.objects.get().channel.code == "volunteer"


def test_quick_log_refuses_the_committee_and_put(as_user, committee, officer):
    assert as_user(committee).get(reverse("contact:log")).status_code == 403
    assert as_user(officer).put(reverse("contact:log")).status_code == 405


def test_the_search_partial(as_user, officer, volunteer, beneficiary):
    response = as_user(officer).get(
        reverse("contact:find"), {"q": beneficiary.first_name}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and _is_partial(response)
    assert beneficiary.full_name in _html(response)
    assert as_user(officer).post(reverse("contact:find")).status_code == 405
    assert as_user(volunteer).get(reverse("contact:find"), {"q": "محمد"}).status_code == 403


def test_the_channel_details_partial(as_user, officer, volunteer):
    response = as_user(officer).get(
        reverse("contact:details"), {"channel": "letter"}, HTTP_HX_REQUEST="true"
    )
    assert 'name="letter_reference"' in _html(response)
    assert 'name="duration_seconds"' not in _html(response)
    assert as_user(officer).post(reverse("contact:details")).status_code == 405
    assert as_user(volunteer).get(reverse("contact:details")).status_code == 403


# --- A contact's page --------------------------------------------------------------------


@pytest.fixture
def jeddah_contact(representative, beneficiary):
    return services.interaction_log(
        actor=representative,
        channel="interview",
        subject="مراجعة",
        summary="راجع لتحديث بياناته",
        beneficiary=beneficiary,
    )


def test_contact_page(as_user, representative, jeddah_contact, other_rep, committee):
    url = reverse("contact:interaction", args=[jeddah_contact.public_id])
    assert as_user(representative).get(url).status_code == 200
    assert as_user(representative).post(url).status_code == 405
    assert as_user(other_rep).get(url).status_code == 404
    assert as_user(committee).get(url).status_code == 403


def test_identify_a_contact(as_user, officer, volunteer, beneficiary, other_rep):
    interaction = services.interaction_log(
        actor=volunteer,
        channel="volunteer",
        subject="طلب مساعدة",
        summary="…",
        person_name="س",
        person_phone="0551231234",
    )
    url = reverse("contact:identify", args=[interaction.public_id])
    assert as_user(officer).get(url).status_code == 405
    assert as_user(volunteer).post(url, {"beneficiary": beneficiary.public_id}).status_code == 403
    assert as_user(other_rep).post(url, {"beneficiary": beneficiary.public_id}).status_code == 404
    response = as_user(officer).post(url, {"beneficiary": beneficiary.public_id})
    assert response.status_code == 302
    interaction.refresh_from_db()
    assert interaction.beneficiary == beneficiary


# --- Reception --------------------------------------------------------------------------


def test_the_desk(as_user, representative, researcher):
    client = as_user(representative)
    page = client.get(reverse("contact:desk"))
    assert page.status_code == 200
    poll = client.get(reverse("contact:desk"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="desk")
    assert _is_partial(poll)
    assert client.post(reverse("contact:desk")).status_code == 405
    assert as_user(researcher).get(reverse("contact:desk")).status_code == 403


def test_check_in_serve_and_end(as_user, representative, other_rep, researcher):
    client = as_user(representative)
    assert client.get(reverse("contact:check_in")).status_code == 405
    assert (
        as_user(researcher).post(reverse("contact:check_in"), {"purpose": "س"}).status_code == 403
    )
    client = as_user(representative)
    bad = client.post(reverse("contact:check_in"), {"purpose": "س", "beneficiary": ""})
    assert bad.status_code == 200 and bad.context["form"].errors["visitor_name"]
    response = client.post(
        reverse("contact:check_in"),
        {"beneficiary": "", "visitor_name": "أبو خالد", "visitor_phone": "", "purpose": "استفسار"},
    )
    assert response.status_code == 302
    visit = ReceptionVisit.objects.get()
    assert "أبو خالد" in _html(client.get(reverse("contact:desk")))

    start = reverse("contact:visit_start", args=[visit.public_id])
    assert client.get(start).status_code == 405
    assert as_user(other_rep).post(start).status_code == 404
    assert as_user(researcher).post(start).status_code == 403
    assert as_user(representative).post(start).status_code == 302

    end = reverse("contact:visit_end", args=[visit.public_id])
    client = as_user(representative)
    assert client.get(end).status_code == 200
    assert client.put(end).status_code == 405
    assert as_user(other_rep).get(end).status_code == 404
    response = as_user(representative).post(end, {"subject": "", "summary": "أجبنا عن استفساره"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.interaction.summary == "أجبنا عن استفساره"


def test_waiting_times_page(as_user, quality, researcher):
    assert as_user(quality).get(reverse("contact:visit_stats")).status_code == 200
    assert as_user(quality).post(reverse("contact:visit_stats")).status_code == 405
    assert as_user(researcher).get(reverse("contact:visit_stats")).status_code == 403


# --- Tickets ----------------------------------------------------------------------------


def test_the_queue(as_user, officer, ticket, committee):
    client = as_user(officer)
    page = client.get(reverse("contact:tickets"))
    assert page.status_code == 200 and ticket.reference in _html(page)
    for view in ("mine", "unassigned", "overdue", "closed"):
        assert client.get(reverse("contact:tickets"), {"view": view}).status_code == 200
    partial = client.get(reverse("contact:tickets"), {"kind": "complaint"}, HTTP_HX_REQUEST="true")
    assert _is_partial(partial) and ticket.reference not in _html(partial)
    found = client.get(reverse("contact:tickets"), {"q": ticket.reference.lower()})
    assert found.url == reverse("contact:ticket", args=[ticket.public_id])
    assert client.post(reverse("contact:tickets")).status_code == 405
    assert as_user(committee).get(reverse("contact:tickets")).status_code == 403


def test_the_queue_s_query_count_does_not_grow(
    as_user, officer, django_assert_max_num_queries, settings
):
    for _ in range(10):
        open_ticket(officer)
    client = as_user(officer)
    with django_assert_max_num_queries(12):
        client.get(reverse("contact:tickets"))


def test_open_a_ticket(as_user, officer, researcher):
    client = as_user(officer)
    assert client.get(reverse("contact:ticket_new")).status_code == 200
    assert client.put(reverse("contact:ticket_new")).status_code == 405
    assert as_user(researcher).get(reverse("contact:ticket_new")).status_code == 403
    from contact.models import TicketCategory

    data = {
        "kind": "inquiry",
        "category": TicketCategory.objects.get(code="inquiry_services").pk,
        "priority": "normal",
        "subject": "برامج رمضان",
        "description": "يسأل عن برنامج إفطار صائم",
        "channel": "phone",
        "beneficiary": "",
        "person_name": "",
        "person_phone": "",
        "reply_channel": "sms",
        "take": "on",
    }
    bad = as_user(officer).post(reverse("contact:ticket_new"), data)
    assert bad.status_code == 200 and "person_name" in bad.context["form"].errors
    data |= {"person_name": "ريم", "person_phone": "0551234567"}
    response = as_user(officer).post(reverse("contact:ticket_new"), data)
    ticket = Ticket.objects.get()
    assert response.url == reverse("contact:ticket", args=[ticket.public_id])
    assert ticket.owner == officer


def test_ticket_page(as_user, officer, ticket, other_rep, committee):
    url = reverse("contact:ticket", args=[ticket.public_id])
    page = as_user(officer).get(url)
    assert page.status_code == 200
    assert ticket.reference in _html(page)
    assert as_user(officer).post(url).status_code == 405
    assert as_user(other_rep).get(url).status_code == 404
    assert as_user(committee).get(url).status_code == 403


@pytest.fixture
def article(manager):
    from knowledge import services as knowledge
    from knowledge.models import ArticleCategory

    return knowledge.article_create(
        actor=manager,
        publish=True,
        kind="faq",
        category=ArticleCategory.objects.get(code="applying"),
        audience="public",
        title="مواعيد استقبال الطلبات",
        summary="أيام العمل وساعاته",
        body="نستقبل الطلبات من الأحد إلى الخميس، من الثامنة صباحًا حتى الرابعة عصرًا.",
    )


def test_insert_an_answer_from_the_knowledge_base(as_user, officer, ticket, article):
    client = as_user(officer)
    url = reverse("contact:ticket", args=[ticket.public_id])
    search = client.get(url, {"kb": "مواعيد"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="kb-results")
    assert _is_partial(search) and article.title in _html(search)
    # Without JavaScript: the whole page, the reply box filled.
    page = client.get(url, {"insert": article.public_id})
    assert article.body in _html(page)
    assert str(article.public_id) in _html(page)
    # With htmx: just the reply box.
    box = client.get(
        url, {"insert": article.public_id}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="reply-box"
    )
    assert _is_partial(box) and 'id="reply-box"' in _html(box) and article.body in _html(box)
    # Sent with the article: its use is counted.
    response = client.post(
        reverse("contact:ticket_reply", args=[ticket.public_id]),
        {"body": article.body, "article": article.public_id},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.use_count == 1
    assert Message.objects.filter(template_code="ticket.reply").exists()


def test_an_unknown_article_is_not_inserted(as_user, officer, ticket):
    import uuid

    page = as_user(officer).get(
        reverse("contact:ticket", args=[ticket.public_id]), {"insert": uuid.uuid4()}
    )
    assert page.status_code == 200
    assert page.context["inserted"] is None


ACTIONS = [
    ("contact:ticket_reply", {"body": "الجواب"}, {"body": ""}),
    ("contact:ticket_note", {"body": "ملاحظة"}, {"body": ""}),
    ("contact:ticket_wait", {"note": "ننتظر المستند"}, None),
    ("contact:ticket_resolve", {"resolution": "تمت الإجابة"}, {"resolution": ""}),
    ("contact:ticket_take", {}, None),
]


@pytest.mark.parametrize(("name", "good", "bad"), ACTIONS)
def test_ticket_actions(as_user, officer, ticket, other_rep, committee, name, good, bad):
    url = reverse(name, args=[ticket.public_id])
    assert as_user(officer).get(url).status_code == 405
    assert as_user(other_rep).post(url, good).status_code == 404
    assert as_user(committee).post(url, good).status_code == 403
    events = TicketEvent.objects.count()
    if bad is not None:
        response = as_user(officer).post(url, bad)
        assert response.status_code == 200  # the page again, the error at its field
        assert TicketEvent.objects.count() == events
    response = as_user(officer).post(url, good)
    assert response.status_code == 302
    assert TicketEvent.objects.count() == events + 1


def test_a_form_error_is_shown_at_its_field(as_user, officer, ticket):
    response = as_user(officer).post(
        reverse("contact:ticket_resolve", args=[ticket.public_id]), {"resolution": ""}
    )
    assert response.status_code == 200
    assert response.context["resolve_form"].errors["resolution"]


def test_resume_outcome_close_and_reopen(as_user, officer, ticket, committee):
    client = as_user(officer)
    services.ticket_wait(actor=officer, ticket=ticket)
    assert (
        client.post(reverse("contact:ticket_resume", args=[ticket.public_id]), {"note": "رد"})
    ).status_code == 302
    client.post(reverse("contact:ticket_resolve", args=[ticket.public_id]), {"resolution": "تم"})
    close = reverse("contact:ticket_close", args=[ticket.public_id])
    assert client.get(close).status_code == 405
    assert as_user(committee).post(close).status_code == 403
    assert as_user(officer).post(close).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    reopen = reverse("contact:ticket_reopen", args=[ticket.public_id])
    bad = as_user(officer).post(reopen, {"reason": ""})
    assert bad.status_code == 200 and bad.context["reopen_form"].errors["reason"]
    assert as_user(officer).post(reopen, {"reason": "لم يصله الرد"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS


def test_outcome_of_a_suggestion(as_user, officer):
    from contact.models import TicketCategory

    suggestion = open_ticket(
        officer,
        kind="suggestion",
        category=TicketCategory.objects.get(code="suggestion_services"),
    )
    url = reverse("contact:ticket_outcome", args=[suggestion.public_id])
    bad = as_user(officer).post(url, {"outcome": "declined", "reason": ""})
    assert bad.status_code == 200 and bad.context["outcome_form"].errors["reason"]
    assert as_user(officer).post(url, {"outcome": "accepted"}).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.outcome == "accepted"


def test_assign(as_user, manager, officer, ticket, other_rep):
    url = reverse("contact:ticket_assign", args=[ticket.public_id])
    assert as_user(manager).get(url).status_code == 405
    assert as_user(other_rep).post(url, {"owner": officer.pk}).status_code == 404
    bad = as_user(manager).post(url, {"owner": other_rep.pk})  # not a choice for this ticket
    assert bad.status_code == 200 and bad.context["assign_form"].errors["owner"]
    assert as_user(manager).post(url, {"owner": officer.pk}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.owner == officer
