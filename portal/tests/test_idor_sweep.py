"""Every portal URL, tried with another beneficiary's references, finds nothing (404) and
writes nothing; signed out, every personal URL asks to sign in.

The sweep reads the URL patterns themselves, so a page added later is swept too: each of its
parameters is filled with every reference the other beneficiary has (requests, drafts,
tickets, documents, data requests, meetings of their decision, their one-time codes), alone
and beside the signed-in applicant's own references.
"""

import itertools

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from assistance import committee
from assistance import services as assistance
from assistance.models import AidType
from assistance.tests.conftest import make_ready_draft
from beneficiaries import privacy
from contact import services as contact
from contact.models import TicketCategory
from core.models import ActivityLog, Channel
from notify.models import Message
from portal import otp, urls
from portal.models import Purpose
from portal.session import STATUS_KEY
from tests_support.factories import UserFactory, make_document
from tests_support.portal import portal_sign_in

pytestmark = pytest.mark.django_db

# Public by design: anyone may read a published article or policy, and a code page knows
# nothing but its own random id.
PUBLIC = {"kb_article", "kb_vote", "policy", "policy_file", "login_code", "status_code"}


def _references(officer, manager, beneficiary) -> dict[str, object]:
    """One of each kind of object a portal URL can name, for `beneficiary`."""
    website = Channel.objects.get(code="website")
    submitted = assistance.request_submit(
        actor=officer, request=make_ready_draft(officer, beneficiary)
    )
    draft = assistance.request_create(
        actor=None,
        beneficiary=beneficiary,
        channel=website,
        aid_types=[AidType.objects.get(code="food_basket")],
        need="نحتاج سلة غذائية",
    )
    members = [UserFactory(role="committee") for _ in range(3)]
    meeting = committee.meeting_create(
        actor=manager,
        number=f"{beneficiary.pk}/1448",
        day=timezone.localdate(),
        quorum=3,
        rule="majority",
        chair=members[0],
        secretary=members[1],
        members=members,
    )
    ticket = contact.ticket_open(
        actor=None,
        kind="inquiry",
        category=TicketCategory.objects.filter(kind="inquiry").first(),
        subject="موعد التوزيع",
        description="متى توزع السلال؟",
        channel="website",
        beneficiary=beneficiary,
    )
    dsr = privacy.dsr_open(
        actor=None, beneficiary=beneficiary, kind="copy", channel=website, details="نسخة"
    )
    code = otp.otp_issue(
        purpose=Purpose.SIGN,
        typed=str(draft.public_id),
        beneficiary=beneficiary,
        ip_address=None,
        subject_id=str(draft.public_id),
    )
    return {
        "request": submitted,
        "draft": draft,
        "meeting": meeting,
        "ticket": ticket,
        "document": make_document(officer, beneficiary),
        "dsr": dsr,
        "code": code,
    }


def _patterns() -> list[URLPattern]:
    return [p for p in urls.urlpatterns if p.pattern.converters and p.name not in PUBLIC]


def test_another_beneficiarys_references_find_nothing(
    client, officer, manager, applicant, other_applicant
):
    mine = _references(officer, manager, applicant)
    theirs = _references(officer, manager, other_applicant)
    portal_sign_in(client, applicant)
    # The status lookup's grant is for my request: the other's stays out of reach.
    session = client.session
    session[STATUS_KEY] = {
        "request": str(mine["request"].public_id),
        "until": int(timezone.now().timestamp()) + 600,
    }
    session.save()
    their_ids = [obj.public_id for obj in theirs.values()]
    my_ids = [obj.public_id for obj in mine.values()]
    logged = ActivityLog.objects.count()
    messages = Message.objects.count()

    swept = set()
    for pattern in _patterns():
        params = list(pattern.pattern.converters)
        for values in itertools.product(their_ids + my_ids, repeat=len(params)):
            if not set(values) & set(their_ids):
                continue  # only combinations naming something of theirs
            url = reverse(f"portal:{pattern.name}", kwargs=dict(zip(params, values, strict=True)))
            answers = {client.get(url).status_code, client.post(url, {}).status_code}
            assert answers <= {404, 405}, f"{url}: {answers}"
            assert 404 in answers, f"{url}: {answers}"
        swept.add(pattern.name)

    assert ActivityLog.objects.count() == logged, "a refused URL wrote to the activity log"
    assert Message.objects.count() == messages, "a refused URL sent a message"
    # Every personal page with a reference in its URL was swept (a new one joins by itself).
    assert {
        "request",
        "request_answer",
        "request_appeal",
        "request_withdraw",
        "request_letter",
        "apply_details",
        "apply_documents",
        "apply_sign",
        "apply_code",
        "apply_done",
        "document_file",
        "ticket",
        "ticket_message",
        "status_request",
    } <= swept


def test_signed_out_every_personal_page_asks_to_sign_in(client, officer, manager, applicant):
    mine = _references(officer, manager, applicant)
    ids = [obj.public_id for obj in mine.values()]
    for pattern in urls.urlpatterns:
        route = str(pattern.pattern)
        if not route.startswith("me/"):
            continue
        params = list(pattern.pattern.converters)
        url = reverse(f"portal:{pattern.name}", kwargs=dict(zip(params, ids, strict=False)))
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response.url.startswith(reverse("portal:login")), url
