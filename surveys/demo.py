"""Demo satisfaction data for `make run`: six months of answers across the five stages, the
branches and the channels, so the results, the dashboards and the compliance report have
something true to show; the low scores among them open follow-ups as real ones would. The
portal's demo beneficiary has one survey waiting.

The invitations are the rows the dispatcher would have written for events of the demo files
(keys "demo:<n>", so they never collide with a real event), and every answer goes through
`surveys.services.response_submit`, the service the link, the portal and staff use.
Idempotent: a second run finds the demo invitations and adds nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import Role, User
from beneficiaries.models import Beneficiary
from core.models import Channel
from surveys.models import AnsweredVia, Event, Invitation, InvitationStatus
from surveys.services import published_versions, response_submit
from surveys.tokens import token_for, token_hash

ANSWERS = 420
DAYS = 180

# Comments people write, some with a number in them (masked when stored).
COMMENTS = [
    "الموظف كان متعاوناً جداً، شكراً لكم",
    "تأخر التسليم عن الموعد أسبوعاً",
    "أتمنى تقليل المستندات المطلوبة",
    "اتصلوا بي على 0551234567 لو سمحتم",
    "الانتظار في الفرع طويل",
    "خدمة ممتازة وسريعة",
    "",
    "",
    "",
]


def seed_demo(*, rng: random.Random, actor) -> str:
    if Invitation.objects.filter(event_key__startswith="demo:").exists():
        return "surveys: demo answers already present"
    versions = {v.survey.event: v for v in published_versions().values()}
    people = list(Beneficiary.objects.order_by("pk")[:300])
    staff = list(
        User.objects.filter(
            is_active=True,
            role__in=[Role.RELATIONS_OFFICER, Role.BRANCH_REPRESENTATIVE, Role.SOCIAL_RESEARCHER],
        )
    )
    channels = list(Channel.objects.all())
    if not versions or not people or actor is None:
        return "surveys: nothing to survey yet"
    now = timezone.now()
    answered = follow_ups = 0
    for n in range(ANSWERS):
        event = rng.choice(list(versions))
        person = rng.choice(people)
        when = now - timedelta(days=rng.uniform(1, DAYS))
        invitation = _invitation(
            versions[event],
            person,
            when,
            f"demo:{n}",
            rng.choice(staff) if staff else None,
            rng.choice(channels) if channels else None,
        )
        # Most people are content; a few are not, and some do not answer at all.
        if rng.random() < 0.25:
            continue
        mood = rng.choices([5, 4, 3, 2, 1], weights=[45, 30, 12, 8, 5])[0]
        answers = {}
        for question in invitation.version.questions.all():
            if question.kind == "csat":
                answers[question.pk] = mood
            elif question.kind == "effort":
                answers[question.pk] = max(1, min(5, mood + rng.choice([-1, 0, 0, 1])))
            elif question.kind == "nps":
                answers[question.pk] = max(0, min(10, mood * 2 + rng.choice([-1, 0, 0, 1])))
            elif question.kind == "text":
                answers[question.pk] = rng.choice(COMMENTS)
        response = response_submit(
            invitation=invitation,
            answers=answers,
            anonymous=rng.random() < 0.2,
            via=rng.choice([AnsweredVia.LINK, AnsweredVia.LINK, AnsweredVia.PORTAL]),
            today=timezone.localdate(when + timedelta(hours=rng.uniform(2, 48))),
        )
        answered += 1
        follow_ups += hasattr(response, "follow_up")
    _portal_invitation(versions, now)
    return f"surveys: {answered} demo answers over {DAYS} days, {follow_ups} follow-ups opened"


def _invitation(version, person, when, key, staff, channel) -> Invitation:
    invitation = Invitation(
        version=version,
        beneficiary=person,
        event=version.survey.event,
        event_key=key,
        event_at=when,
        branch_id=person.branch_id,
        service_channel=channel,
        staff=staff,
        status=InvitationStatus.SENT,
        send_after=when,
        sent_at=when,
        send_channel="sms",
        # Long enough to be answered on the demo's dates.
        expires_at=timezone.now() + timedelta(days=7),
    )
    invitation.token_hash = token_hash(token_for(invitation.public_id))
    invitation.save()
    return invitation


def _portal_invitation(versions, now) -> None:
    from portal.demo import DEMO_ID

    person = Beneficiary.objects.filter(id_number=DEMO_ID).first()
    version = versions.get(Event.RECEPTION) or next(iter(versions.values()))
    if person is not None:
        _invitation(version, person, now - timedelta(hours=3), "demo:portal", None, None)
