"""Outreach test helpers: rules made through the service, and the hand-made records each
trigger reads (an information request waiting since a given day, a contact on a given day, a
household member born on a given day).

The records other apps own are written with the ORM here, not through those apps' services:
a trigger test needs a question asked *N days ago* or a contact *months ago*, which the
services (stamping "now") cannot produce.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from accounts.models import Role
from beneficiaries.models import Beneficiary, Category, HouseholdMember
from core.models import Channel
from outreach import services
from outreach.models import Rule, Season
from tests_support.factories import UserFactory

_serial = itertools.count(1)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def make_rule(actor, **fields) -> Rule:
    """A rule through `outreach.services.rule_create`; a season message by default.

    `categories` is a list of category codes; `template` a template code; `season` a season
    code."""
    codes = fields.pop("categories", [])
    data = {
        "name": fields.pop("name", f"قاعدة {next(_serial)}"),
        "trigger": "season",
        "days": 14,
        "action": "message",
        "template": "outreach.season",
        "task_text": "",
        "task_due_days": 5,
    }
    data.update(fields)
    if data["trigger"] == "season":
        data.setdefault("season", "ramadan")
    if isinstance(data.get("season"), str):
        data["season"] = Season.objects.get(code=data["season"])
    if data["action"] == "task":
        data["template"] = None
    elif isinstance(data.get("template"), str):
        from notify.models import MessageTemplate

        data["template"] = MessageTemplate.objects.get(code=data["template"])
    rule = services.rule_create(actor=actor, data=data, categories=[category(c) for c in codes])
    return rule


def local(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_info_request(officer, beneficiary, *, asked_on: datetime.date, what="صورة سجل الأسرة"):
    """A support request waiting for the applicant since `asked_on`."""
    from assistance.models import InfoRequest, Status, SupportRequest

    request = SupportRequest.objects.create(
        beneficiary=beneficiary,
        branch=beneficiary.branch,
        channel=Channel.objects.get(code="interview"),
        need="سداد إيجار متأخر",
        status=Status.AWAITING_APPLICANT,
        reference=f"REQ-1448-{next(_serial):06d}",
        submitted_at=local(asked_on - datetime.timedelta(days=3)),
        expected_decision_date=asked_on + datetime.timedelta(days=14),
        created_by=officer,
    )
    return InfoRequest.objects.create(
        request=request,
        what=what,
        due_date=asked_on + datetime.timedelta(days=5),
        asked_by=officer,
        created_at=local(asked_on),
    )


def make_contact(actor, beneficiary, *, on: datetime.date):
    from contact.models import Interaction

    return Interaction.objects.create(
        channel=Channel.objects.get(code="phone"),
        beneficiary=beneficiary,
        branch=beneficiary.branch,
        subject="اتصال متابعة",
        summary="اتصال للاطمئنان على الأسرة.",
        occurred_at=local(on),
        recorded_by=actor,
    )


def make_member(beneficiary, *, birth_date: datetime.date, relation="son", name="عبدالله محمد"):
    return HouseholdMember.objects.create(
        beneficiary=beneficiary,
        relation=relation,
        full_name=name,
        birth_date=birth_date,
        gender="female" if relation in ("daughter", "sister", "mother") else "male",
    )


def registered_on(beneficiary: Beneficiary, day: datetime.date) -> Beneficiary:
    Beneficiary.objects.filter(pk=beneficiary.pk).update(created_at=local(day))
    beneficiary.refresh_from_db()
    return beneficiary


def opt_out(beneficiary: Beneficiary) -> Beneficiary:
    Beneficiary.objects.filter(pk=beneficiary.pk).update(accepts_outreach=False)
    beneficiary.refresh_from_db()
    return beneficiary


@pytest.fixture
def branch_manager(branch):
    """A manager bound to `branch` (the Jeddah-like branch)."""
    return UserFactory(username="branch_manager", role=Role.MANAGER, branch=branch)


@pytest.fixture
def other_branch_manager(other_branch):
    return UserFactory(username="other_manager", role=Role.MANAGER, branch=other_branch)
