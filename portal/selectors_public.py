"""Reads of the public configuration the portal's public pages show: who is served and with
what (categories, aid types, the documents each needs, the eligibility rules, the promised
decision period), the channels of policy P4 and the branches, and the ticket categories a
person may choose.

Only configuration is read here, never anyone's data, and only active rows. Each function
costs a fixed number of queries whatever the size of the tables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Branch
from assistance.models import (
    AidKind,
    AidType,
    AssistancePolicy,
    EligibilityRule,
    IncomeLimit,
    RequiredDocument,
    RuleKind,
)
from beneficiaries.models import Category
from contact.models import Kind, TicketCategory
from core.models import Channel
from core.sla import working_hours

# --- Who is served, and with what -----------------------------------------------------------


def categories_served() -> list[Category]:
    """The beneficiary categories the waqf serves, in their configured order."""
    return list(Category.objects.filter(is_active=True))


def aid_types() -> list[AidType]:
    return list(AidType.objects.filter(is_active=True))


def aid_types_by_kind() -> list[tuple[str, list[AidType]]]:
    """Active aid types grouped under their kind's label (cash, in kind, service, voucher),
    in the order of the kinds; empty kinds are left out."""
    groups: dict[str, list[AidType]] = defaultdict(list)
    for aid in aid_types():
        groups[aid.kind].append(aid)
    return [(label, groups[value]) for value, label in AidKind.choices if groups[value]]


@dataclass
class Requirement:
    """A document asked for, in words: its name, how recent it must be, for whom."""

    name: str
    max_age_days: int | None = None
    members_from_age: int | None = None
    has_expiry: bool = False

    @property
    def note(self) -> str:
        parts = []
        if self.has_expiry:
            parts.append(_("must be valid"))
        if self.max_age_days:
            parts.append(
                ngettext(
                    "issued within the last %(n)d day",
                    "issued within the last %(n)d days",
                    self.max_age_days,
                )
                % {"n": self.max_age_days}
            )
        if self.members_from_age:
            parts.append(
                _("also for each family member aged %(age)d or more")
                % {"age": self.members_from_age}
            )
        return _(", ").join(parts)


def _requirement(row: RequiredDocument) -> Requirement:
    return Requirement(
        name=row.doc_type.name,
        max_age_days=row.max_age_days or row.doc_type.max_age_days,
        members_from_age=row.members_from_age,
        has_expiry=row.doc_type.has_expiry,
    )


@dataclass
class AidService:
    aid: AidType
    documents: list[Requirement] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


@dataclass
class ServicesOverview:
    """What the services page shows, read in five queries."""

    services: list[AidService]
    general_documents: list[Requirement]
    category_documents: list[tuple[Category, list[Requirement]]]
    categories: list[Category]
    general_rules: list[str]
    category_rules: list[tuple[Category, list[str]]]
    income_limits: list[IncomeLimit]
    decision_days: int
    decision_in_working_days: bool
    appeal_days: int


def services_overview() -> ServicesOverview:
    """Each active aid type with the documents and rules that apply to it, the documents and
    rules for everyone and per category, the sufficiency line, and the decision period the
    policy promises (P6.5)."""
    services = {aid.pk: AidService(aid) for aid in aid_types()}
    categories = categories_served()
    by_category_id = {c.pk: c for c in categories}
    general: list[Requirement] = []
    per_category: dict[int, list[Requirement]] = defaultdict(list)
    documents = (
        RequiredDocument.objects.filter(doc_type__is_active=True)
        .select_related("doc_type")
        .order_by("doc_type__sort_order", "doc_type__name_ar", "pk")
    )
    for row in documents:
        if row.aid_type_id and row.category_id:
            # Narrow requirements (this aid for this category) are listed under the aid.
            if row.aid_type_id in services and row.category_id in by_category_id:
                requirement = _requirement(row)
                requirement.name = _("%(document)s (for %(category)s)") % {
                    "document": requirement.name,
                    "category": by_category_id[row.category_id].name,
                }
                services[row.aid_type_id].documents.append(requirement)
        elif row.aid_type_id:
            if row.aid_type_id in services:
                services[row.aid_type_id].documents.append(_requirement(row))
        elif row.category_id:
            if row.category_id in by_category_id:
                per_category[row.category_id].append(_requirement(row))
        else:
            general.append(_requirement(row))

    general_rules: list[str] = []
    rules_per_category: dict[int, list[str]] = defaultdict(list)
    rules = EligibilityRule.objects.filter(is_active=True).prefetch_related("cities")
    for rule in rules.order_by("pk"):
        sentence = rule_in_words(rule)
        if not sentence:
            continue
        if rule.aid_type_id:
            if rule.aid_type_id in services:
                if rule.category_id in by_category_id:
                    sentence = _("%(rule)s (for %(category)s)") % {
                        "rule": sentence,
                        "category": by_category_id[rule.category_id].name,
                    }
                services[rule.aid_type_id].rules.append(sentence)
        elif rule.category_id:
            if rule.category_id in by_category_id:
                rules_per_category[rule.category_id].append(sentence)
        else:
            general_rules.append(sentence)

    policy = AssistancePolicy.current()
    return ServicesOverview(
        services=list(services.values()),
        general_documents=general,
        category_documents=[(c, per_category[c.pk]) for c in categories if per_category[c.pk]],
        categories=categories,
        general_rules=general_rules,
        category_rules=[
            (c, rules_per_category[c.pk]) for c in categories if rules_per_category[c.pk]
        ],
        income_limits=list(IncomeLimit.objects.all()),
        decision_days=policy.decision_period_days,
        decision_in_working_days=policy.decision_in_working_days,
        appeal_days=policy.appeal_window_days,
    )


def rule_in_words(rule: EligibilityRule) -> str:
    """An eligibility rule as a sentence for the public. The cities of a service-area rule
    must have been prefetched."""
    if rule.kind == RuleKind.INCOME:
        return _(
            "The family's net monthly income per person is within the sufficiency line "
            "(see the table below)."
        )
    if rule.kind == RuleKind.MIN_AGE and rule.value is not None:
        return _("The applicant is %(age)d years old or more.") % {"age": rule.value}
    if rule.kind == RuleKind.MAX_AGE and rule.value is not None:
        return _("The applicant is %(age)d years old or less.") % {"age": rule.value}
    if rule.kind == RuleKind.MEMBER_MAX_AGE and rule.value is not None:
        return _("The family includes a child under %(age)d years old.") % {"age": rule.value}
    if rule.kind == RuleKind.SERVICE_AREA:
        cities = [c.name for c in rule.cities.all()]
        if not cities:
            return _("The applicant lives in the area the waqf serves.")
        return _("The applicant lives in: %(cities)s.") % {"cities": _(", ").join(cities)}
    return ""


# --- Channels and branches ------------------------------------------------------------------

# How a person uses each channel of policy P4, by the channel's code (the codes are fixed by
# core's data migration; a channel added later simply shows without this line).
CHANNEL_HOW_TO = {
    "interview": gettext_lazy(
        "Visit any of our branches during working hours; the beneficiary relations officer "
        "receives you, answers your questions and takes your request."
    ),
    "phone": gettext_lazy(
        "Call the branch nearest to you during working hours (the numbers are below)."
    ),
    "social_media": gettext_lazy(
        "Write to the waqf's official accounts; never send your identity number or documents "
        "in a public post."
    ),
    "letter": gettext_lazy(
        "Send a signed letter to a branch address below; it is registered and you are told "
        "its number."
    ),
    "help_request": gettext_lazy(
        "Apply for support from this site after signing in, or at a branch; you receive a "
        "reference number and the expected decision date by SMS."
    ),
    "volunteer": gettext_lazy(
        "Our volunteers can pass your message to the staff when you meet them in the field."
    ),
    "website": gettext_lazy(
        "Use this site: read the answers to common questions, write to us, follow a request "
        "or sign in to your services."
    ),
    "branch_representative": gettext_lazy(
        "In cities with a branch office, its representative can visit you or receive you "
        "and take your request."
    ),
}


@dataclass
class ChannelRow:
    channel: Channel
    how_to: str


def channels() -> list[ChannelRow]:
    """The active channels of policy P4, in their order, each with how to use it."""
    return [
        ChannelRow(channel, str(CHANNEL_HOW_TO.get(channel.code, "")))
        for channel in Channel.objects.filter(is_active=True)
    ]


def branches() -> QuerySet[Branch]:
    """The active branches with their city, phone and address."""
    return Branch.objects.filter(is_active=True).select_related("city")


def office_hours() -> tuple[str, str]:
    """The working day's start and end, as "08:00" and "16:00" (Sunday to Thursday)."""
    hours = working_hours()
    return hours.start.strftime("%H:%M"), hours.end.strftime("%H:%M")


# --- Tickets --------------------------------------------------------------------------------


def ticket_categories(kind: str) -> QuerySet[TicketCategory]:
    """The active categories a person may file a message of `kind` under: those of that kind
    and those for every kind."""
    if kind not in Kind.values:
        return TicketCategory.objects.none()
    return TicketCategory.objects.filter(is_active=True).filter(Q(kind=kind) | Q(kind=""))
