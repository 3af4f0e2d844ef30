"""Factories for the satisfaction surveys (surveys app), shared by its tests.

`SurveyVersionFactory` is published by default (pass `published_at=None` for a draft);
`InvitationFactory` registers a fresh beneficiary unless given one; `ResponseFactory` fills
the Hijri year and month from `answered_on`, as the service does.
"""

from __future__ import annotations

import datetime
import itertools

import factory
import pytest
from django.utils import timezone

from accounts.models import Branch, Role
from core.hijri import to_hijri
from surveys.models import (
    ActionStatus,
    AnsweredVia,
    Event,
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    ImprovementAction,
    Invitation,
    InvitationStatus,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyVersion,
)
from tests_support.factories import UserFactory, make_beneficiary

_token = itertools.count(1)


def _head_office() -> Branch:
    return Branch.objects.get(code="head-office")


def _today() -> datetime.date:
    return timezone.localdate()


def _registered_beneficiary():
    actor = UserFactory(role=Role.RELATIONS_OFFICER)
    return make_beneficiary(actor)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    name_ar = factory.Sequence(lambda n: f"استبيان الرضا {n}")
    name_en = factory.Sequence(lambda n: f"Satisfaction survey {n}")
    event = Event.DELIVERY
    # Inactive by default: the database allows one active survey per event; pass
    # is_active=True for the one that sends.
    is_active = False


def _next_number(survey: Survey) -> int:
    last = survey.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


class SurveyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyVersion

    survey = factory.SubFactory(SurveyFactory)
    number = factory.LazyAttribute(lambda o: _next_number(o.survey))
    intro_ar = "نسعد برأيك في الخدمة التي قدمناها لك."
    published_at = factory.LazyFunction(timezone.now)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    version = factory.SubFactory(SurveyVersionFactory)
    position = factory.Sequence(lambda n: n)
    kind = QuestionKind.CSAT
    text_ar = "ما مدى رضاك عن الخدمة؟"
    text_en = "How satisfied are you with the service?"
    options = factory.LazyAttribute(
        lambda o: "نعم | Yes\nلا | No" if o.kind == QuestionKind.CHOICE else ""
    )


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    version = factory.SubFactory(SurveyVersionFactory)
    beneficiary = factory.LazyFunction(_registered_beneficiary)
    event = factory.LazyAttribute(lambda o: o.version.survey.event)
    event_key = factory.Sequence(lambda n: f"test:{n}")
    event_at = factory.LazyFunction(timezone.now)
    subject_reference = factory.Sequence(lambda n: f"REQ-1447-{n:06d}")
    branch = factory.LazyAttribute(lambda o: o.beneficiary.branch)
    token_hash = factory.LazyFunction(lambda: f"test-token-{next(_token):053d}")
    status = InvitationStatus.SENT
    send_after = factory.LazyAttribute(lambda o: o.event_at)
    sent_at = factory.LazyAttribute(
        lambda o: o.event_at if o.status != InvitationStatus.PENDING else None
    )
    expires_at = factory.LazyAttribute(lambda o: o.event_at + datetime.timedelta(days=7))
    answered_on = factory.LazyAttribute(
        lambda o: timezone.localdate(o.event_at) if o.status == InvitationStatus.ANSWERED else None
    )


class ResponseFactory(factory.django.DjangoModelFactory):
    """A response; linked to an invitation only when one is given (anonymous ones never are)."""

    class Meta:
        model = Response

    version = factory.SubFactory(SurveyVersionFactory)
    invitation = None
    anonymous = False
    via = AnsweredVia.LINK
    answered_on = factory.LazyFunction(_today)
    hijri_year = factory.LazyAttribute(lambda o: to_hijri(o.answered_on).year)
    hijri_month = factory.LazyAttribute(lambda o: to_hijri(o.answered_on).month)
    event = factory.LazyAttribute(lambda o: o.version.survey.event)
    branch = factory.LazyAttribute(
        lambda o: o.invitation.branch if o.invitation is not None else _head_office()
    )
    service_channel = factory.LazyAttribute(
        lambda o: o.invitation.service_channel if o.invitation is not None else None
    )
    aid_type = factory.LazyAttribute(
        lambda o: o.invitation.aid_type if o.invitation is not None else None
    )
    staff = factory.LazyAttribute(
        lambda o: o.invitation.staff if o.invitation is not None else None
    )
    csat = 5
    nps = None
    effort = None
    comment = ""


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    response = factory.SubFactory(ResponseFactory, csat=1, comment="تأخر التسليم كثيرا")
    reason = FollowUpReason.LOW_SATISFACTION
    status = FollowUpStatus.OPEN
    due_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=3))


class ImprovementActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementAction

    title = factory.Sequence(lambda n: f"تحسين إجراء التسليم {n}")
    description = "تقليل وقت الانتظار عند التسليم."
    event = Event.DELIVERY
    owner = factory.SubFactory(UserFactory, role=Role.QUALITY_OFFICER)
    due_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=30))
    status = ActionStatus.PLANNED
    created_by = factory.SelfAttribute("owner")


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def draft_survey(quality):
    """A switched-off delivery survey with an empty draft version 1, made by the builder."""
    from surveys import builder

    return builder.survey_create(
        actor=quality,
        name_ar="رضا المستفيد عن التسليم",
        name_en="Satisfaction with the delivery",
        event=Event.DELIVERY,
        delay_hours=2,
        channel="preferred",
        reminder_after_hours=48,
        valid_days=7,
        allow_anonymous=True,
        is_active=False,
    )


@pytest.fixture
def survey_draft(draft_survey):
    """Version 1 of `draft_survey`, not yet published."""
    return draft_survey.versions.get(number=1)
