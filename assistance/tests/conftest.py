import base64
import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from assistance import committee, services
from assistance.models import AidType
from beneficiaries import services as registry
from beneficiaries.models import PrivacyNotice
from core.models import Channel
from tests_support.factories import UserFactory, make_beneficiary, make_document


def signature_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


def signature_data_url() -> str:
    return "data:image/png;base64," + base64.b64encode(signature_png()).decode()


def make_draft(officer, beneficiary):
    """A draft food-basket request."""
    return services.request_create(
        actor=officer,
        beneficiary=beneficiary,
        channel=Channel.objects.get(code="interview"),
        aid_types=[AidType.objects.get(code="food_basket")],
        need="الأسرة تحتاج سلة غذائية",
    )


def make_ready_draft(officer, beneficiary, draft=None):
    """A draft that passes validation at submission, signed by the applicant."""
    draft = draft or make_draft(officer, beneficiary)
    b = beneficiary
    b.id_expiry = datetime.date(2031, 1, 1)
    b.save(update_fields=["id_expiry"])
    registry.consent_record(
        actor=officer,
        beneficiary=b,
        notice=PrivacyNotice.objects.get(version="1.0"),
        channel=Channel.objects.get(code="interview"),
    )
    registry.income_add(
        actor=officer, beneficiary=b, data={"kind": "social_security", "monthly_amount": 1800}
    )
    make_document(officer, b, code="national_id")
    make_document(officer, b, code="family_register", expires_on=None)
    services.checklist_refresh(draft)
    services.attestation_sign(
        actor=officer,
        request=draft,
        method="drawn",
        rights_acknowledged=True,
        drawn_png=signature_png(),
    )
    return draft


def make_researched(officer, researcher, ready_draft=None):
    """A request through submission, verification and a completed research report."""
    if ready_draft is None:
        ready_draft = make_ready_draft(officer, make_beneficiary(officer))
    request = services.request_submit(actor=officer, request=ready_draft)
    services.verification_start(actor=officer, request=request)
    research = services.research_refer(
        actor=officer, request=request, reason="verification", researcher=researcher
    )
    services.research_complete(
        actor=researcher,
        research=research,
        assessment="الأسرة محتاجة",
        recommended_aid_type=AidType.objects.get(code="periodic_cash"),
        recommended_amount=800,
        recommended_months=12,
    )
    request.refresh_from_db()
    return request


@pytest.fixture
def draft(officer, beneficiary):
    """A draft food-basket request for `beneficiary` (in the representative's branch)."""
    return make_draft(officer, beneficiary)


@pytest.fixture
def ready_draft(officer, beneficiary, draft):
    return make_ready_draft(officer, beneficiary, draft)


@pytest.fixture
def researched(officer, researcher, ready_draft):
    return make_researched(officer, researcher, ready_draft)


@pytest.fixture
def members(db):
    return [UserFactory(username=f"member{i}", role="committee") for i in range(3)]


@pytest.fixture
def meeting(manager, members):
    return committee.meeting_create(
        actor=manager,
        number="12/1448",
        day=timezone.localdate(),
        quorum=3,
        rule="majority",
        chair=members[0],
        secretary=members[1],
        members=members,
    )
