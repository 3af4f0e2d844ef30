"""The shared factories build valid rows (other tests rely on them)."""

import pytest

from surveys.models import FollowUpStatus, InvitationStatus
from tests_support.surveys import (
    FollowUpFactory,
    ImprovementActionFactory,
    InvitationFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyVersionFactory,
)

pytestmark = pytest.mark.django_db


def test_factories_build_a_linked_chain():
    version = SurveyVersionFactory()
    assert version.is_published and version.number == 1
    assert SurveyVersionFactory(survey=version.survey).number == 2
    QuestionFactory(version=version, kind="choice")
    invitation = InvitationFactory(version=version, status=InvitationStatus.ANSWERED)
    response = ResponseFactory(version=version, invitation=invitation, csat=2)
    assert response.branch == invitation.beneficiary.branch
    assert 1 <= response.hijri_month <= 12 and response.hijri_year > 1440
    follow_up = FollowUpFactory(response=ResponseFactory(csat=1))
    assert follow_up.status == FollowUpStatus.OPEN
    action = ImprovementActionFactory()
    assert action.created_by == action.owner
