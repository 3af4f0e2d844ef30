"""Fixtures of the surveys' own tests: the request workflow's fixtures (a researched request,
the committee) are reused from assistance's tests, so a survey follows a real decision and a
real delivery recorded through the services."""

from decimal import Decimal

import pytest
from django.utils import timezone

from assistance import committee, enrolment
from assistance.tests.conftest import (  # noqa: F401  (fixtures)
    draft,
    meeting,
    members,
    ready_draft,
    researched,
)
from surveys.models import Event, InvitationStatus, Survey
from surveys.services import published_versions
from surveys.tokens import token_for, token_hash
from tests_support.surveys import InvitationFactory


@pytest.fixture
def delivery_version(db):
    """The seeded, active delivery survey (CSAT, effort, NPS, an optional comment), the only
    active one: the decision before a delivery would otherwise be surveyed first."""
    Survey.objects.exclude(event=Event.DELIVERY).update(is_active=False)
    return next(v for v in published_versions().values() if v.survey.event == Event.DELIVERY)


@pytest.fixture
def delivered(officer, manager, service_officer, meeting, researched, members, beneficiary):  # noqa: F811
    """A request approved by the committee, enrolled, and its first instalment delivered."""
    item = committee.agenda_add(actor=manager, meeting=meeting, request=researched)
    for member in members:
        committee.vote_cast(actor=member, item=item, choice="approve")
    researched.refresh_from_db()
    enrolled = enrolment.enrolment_create(
        actor=officer, request=researched, starts_on=timezone.localdate()
    )
    return enrolment.delivery_record(
        actor=service_officer,
        enrolment=enrolled,
        method="voucher",
        delivered_on=timezone.localdate(),
        amount=Decimal("800"),
        voucher_code="V-1",
    )


def invite(version, beneficiary, **kwargs):
    """An invitation whose token really opens it: (invitation, token)."""
    invitation = InvitationFactory.build(
        version=version, beneficiary=beneficiary, branch=beneficiary.branch, **kwargs
    )
    token = token_for(invitation.public_id)
    invitation.token_hash = token_hash(token)
    invitation.save()
    return invitation, token


@pytest.fixture
def invitation(delivery_version, beneficiary):
    return invite(delivery_version, beneficiary, status=InvitationStatus.SENT)
