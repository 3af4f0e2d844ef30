"""Portal personas: an applicant signed in on the portal, and another beneficiary (the
outsider whose references must find nothing)."""

import time

import pytest

from beneficiaries.models import Consent, PrivacyNotice
from core.models import Channel
from portal.session import SESSION_KEY
from tests_support.factories import make_beneficiary


def portal_sign_in(client, beneficiary, *, consent: bool = True):
    """Sign `client` in on the portal as `beneficiary`, as `portal.session.sign_in` would,
    with the current privacy notice acknowledged unless `consent=False`."""
    if consent:
        notice = PrivacyNotice.objects.order_by("-effective_from").first()
        Consent.objects.get_or_create(
            beneficiary=beneficiary,
            notice=notice,
            defaults={"channel": Channel.objects.get(code="website")},
        )
    session = client.session
    session[SESSION_KEY] = {"b": str(beneficiary.public_id), "seen": int(time.time())}
    session.save()
    return client


@pytest.fixture
def applicant(officer):
    """A beneficiary of the head office with a mobile on file."""
    return make_beneficiary(officer, first_name="نورة", gender="female")


@pytest.fixture
def other_applicant(officer):
    return make_beneficiary(officer, first_name="سارة", gender="female")


@pytest.fixture
def portal_client(client, applicant):
    return portal_sign_in(client, applicant)
