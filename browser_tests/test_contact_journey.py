"""A phone call is logged, turned into an inquiry, answered from the knowledge base and
closed — and the answer's SMS is in the outbox (issue 4, tests)."""

import pytest

from browser_tests.conftest import login
from contact.models import Ticket, TicketCategory, TicketStatus
from notify.models import Message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_call_to_inquiry_answered_from_the_knowledge_base(page, live_server, officer, manager):
    from knowledge import services as knowledge
    from knowledge.models import ArticleCategory

    applying, _ = ArticleCategory.objects.get_or_create(
        code="applying", defaults={"name_ar": "التقديم والإجراءات"}
    )
    article = knowledge.article_create(
        actor=manager,
        publish=True,
        kind="faq",
        category=applying,
        audience="public",
        title="مواعيد استقبال طلبات التسجيل",
        summary="أيام العمل وساعاته",
        body="نستقبل طلبات التسجيل من الأحد إلى الخميس، من الثامنة صباحًا حتى الرابعة عصرًا.",
    )

    login(page, live_server, officer.username)
    page.goto(f"{live_server.url}/contact/log/?channel=phone")
    page.fill("#id_person_name", "خالد الزهراني")
    page.fill("#id_person_phone", "0551234567")
    page.fill("#id_subject", "مواعيد التسجيل")
    page.fill("#id_summary", "يسأل متى يمكنه التسجيل في الوقف")
    page.fill("#id_duration_seconds", "3:20")
    page.click("button[name=then][value=ticket]")

    page.wait_for_url("**/contact/tickets/new/**")
    assert page.input_value("#id_subject") == "مواعيد التسجيل"
    category = TicketCategory.objects.get(code="inquiry_procedures")
    page.select_option("#id_category", value=str(category.pk))
    page.click("form[method=post] .form-actions button[type=submit]")
    page.wait_for_url("**/contact/tickets/*/")
    ticket = Ticket.objects.get()
    page.fill("#kb", "التسجيل")
    page.wait_for_selector(f"#kb-results >> text={article.title}")
    page.click("#kb-results a.btn")
    page.wait_for_function("document.querySelector('#reply-box textarea').value.includes('الأحد')")
    page.click("#reply-box button")
    page.wait_for_url(f"**/contact/tickets/{ticket.public_id}/")

    page.fill("#id_resolution", "أُبلغ بمواعيد التسجيل.")
    page.click(f"form[action$='/tickets/{ticket.public_id}/resolve/'] button")
    page.wait_for_url(f"**/contact/tickets/{ticket.public_id}/")
    page.click(f"form[action$='/tickets/{ticket.public_id}/close/'] button")
    page.wait_for_url(f"**/contact/tickets/{ticket.public_id}/")

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.interaction is not None and ticket.interaction.duration_seconds == 200
    reply = Message.objects.get(template_code="ticket.reply")
    assert reply.recipient == "+966551234567"
    assert "الأحد إلى الخميس" in reply.body
    article.refresh_from_db()
    assert article.use_count == 1
