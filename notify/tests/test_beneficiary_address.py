"""Where to reach a beneficiary: their preferred channel, or the next best one."""

import pytest

from beneficiaries.models import Beneficiary
from notify.services import beneficiary_address

MOBILE = "+966501234567"
EMAIL = "fatimah@example.org"


@pytest.mark.parametrize(
    ("preferred", "mobile", "email", "expected"),
    [
        ("sms", MOBILE, EMAIL, ("sms", MOBILE)),
        ("whatsapp", MOBILE, EMAIL, ("whatsapp", MOBILE)),
        ("email", MOBILE, EMAIL, ("email", EMAIL)),
        # E-mail preferred but no address: an SMS to the mobile.
        ("email", MOBILE, "", ("sms", MOBILE)),
        # No mobile for WhatsApp or SMS, but an address: an e-mail.
        ("whatsapp", "", EMAIL, ("email", EMAIL)),
        ("sms", "", EMAIL, ("email", EMAIL)),
        # Nothing at all: the (empty) mobile, which the outbox records as a failed notice.
        ("whatsapp", "", "", ("sms", "")),
    ],
)
def test_the_address_follows_the_preferred_channel(preferred, mobile, email, expected):
    person = Beneficiary(preferred_channel=preferred, mobile=mobile, email=email)
    assert beneficiary_address(person) == expected


@pytest.mark.django_db
def test_a_registered_beneficiary_is_reached_by_sms_by_default(beneficiary):
    assert beneficiary_address(beneficiary) == ("sms", beneficiary.mobile)
