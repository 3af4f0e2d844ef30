"""What the officer sees before submitting: the eligibility pre-check and the validation at
submission (policy P6.2: match the data and confirm it is valid at the time of submission).

Both read already-loaded rows and explain themselves in the reader's language. Eligibility
informs; it never blocks — the committee decides. Validation blocks submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assistance.models import (
    EligibilityRule,
    IncomeLimit,
    ItemState,
    RuleKind,
    SupportRequest,
)
from beneficiaries.models import CHECKSUMMED_ID_TYPES, age_on, household_totals
from core.hijri import format_dual
from core.validators import validate_saudi_identity


@dataclass
class RuleResult:
    name: str
    passed: bool | None  # None: cannot be judged from the data held
    explanation: str


@dataclass
class Problem:
    section: str  # the part of the request page where it is fixed
    message: str


def eligibility(
    request: SupportRequest, *, on: date, members, incomes, obligations, categories, aid_types
) -> list[RuleResult]:
    b = request.beneficiary
    category_ids = {c.pk for c in categories}
    aid_ids = {a.pk for a in aid_types}
    results = []
    rules = EligibilityRule.objects.filter(is_active=True).prefetch_related("cities")
    for rule in rules:
        if rule.category_id and rule.category_id not in category_ids:
            continue
        if rule.aid_type_id and rule.aid_type_id not in aid_ids:
            continue
        results.append(_judge(rule, b, on, members, incomes, obligations))
    return results


def _judge(rule: EligibilityRule, b, on: date, members, incomes, obligations) -> RuleResult:
    if rule.kind == RuleKind.INCOME:
        totals = household_totals(b, members, incomes, obligations)
        limit = (
            IncomeLimit.objects.filter(
                household_size_from__lte=totals["size"], household_size_to__gte=totals["size"]
            )
            .values_list("monthly_limit_per_person", flat=True)
            .first()
        )
        if limit is None:
            return RuleResult(
                rule.name,
                None,
                _("No sufficiency line is set for a household of %(n)d.") % {"n": totals["size"]},
            )
        per = totals["per_capita"]
        return RuleResult(
            rule.name,
            per <= Decimal(limit),
            _(
                "Net income per person %(per)s SAR; "
                "the line for a household of %(n)d is %(limit)s SAR."
            )
            % {"per": per, "n": totals["size"], "limit": limit},
        )
    if rule.kind in (RuleKind.MIN_AGE, RuleKind.MAX_AGE):
        age = age_on(b.birth_date, on)
        ok = age >= rule.value if rule.kind == RuleKind.MIN_AGE else age <= rule.value
        return RuleResult(
            rule.name,
            ok,
            _("The applicant is %(age)d; the rule's age is %(value)d.")
            % {"age": age, "value": rule.value},
        )
    if rule.kind == RuleKind.MEMBER_MAX_AGE:
        young = [m for m in members if age_on(m.birth_date, on) < rule.value]
        return RuleResult(
            rule.name,
            bool(young),
            _("%(count)d household member(s) under %(value)d.")
            % {"count": len(young), "value": rule.value},
        )
    if rule.kind == RuleKind.SERVICE_AREA:
        cities = list(rule.cities.all())
        ok = not cities or b.city_id in {c.pk for c in cities}
        return RuleResult(rule.name, ok, _("Lives in %(city)s.") % {"city": b.city})
    return RuleResult(rule.name, None, "")


def submission_problems(
    request: SupportRequest,
    *,
    on: date,
    members,
    incomes,
    checklist,
    aid_types,
    has_consent: bool,
    has_attestation: bool,
) -> list[Problem]:
    """Everything that stops this request being submitted on `on`, each with where to fix it."""
    b = request.beneficiary
    problems: list[Problem] = []
    if b.id_type in CHECKSUMMED_ID_TYPES:
        try:
            validate_saudi_identity(b.id_number, b.id_type)
        except ValidationError as exc:
            problems.append(Problem("applicant", exc.messages[0]))
    if not b.id_expiry:
        problems.append(Problem("applicant", _("The identity's expiry date is not recorded.")))
    elif b.id_expiry < on:
        problems.append(
            Problem(
                "applicant",
                _("The applicant's identity expired on %(date)s.")
                % {"date": format_dual(b.id_expiry)},
            )
        )
    for m in members:
        if age_on(m.birth_date, on) >= 15 and not m.id_number:
            problems.append(
                Problem(
                    "household",
                    _("%(name)s is 15 or older: record their identity number.")
                    % {"name": m.full_name},
                )
            )
    if not incomes and not request.declares_no_income:
        problems.append(
            Problem(
                "income", _("Record the household's income, or tick that it declares no income.")
            )
        )
    if not aid_types:
        problems.append(Problem("request", _("Choose at least one aid type.")))
    for item in checklist:
        state = item.state_on(on)
        whose = f" — {item.member.full_name}" if item.member_id else ""
        if state == ItemState.MISSING:
            problems.append(
                Problem("documents", _("Missing: %(doc)s") % {"doc": f"{item.doc_type}{whose}"})
            )
        elif state == ItemState.EXPIRED:
            problems.append(
                Problem(
                    "documents",
                    _("Expired or too old: %(doc)s") % {"doc": f"{item.doc_type}{whose}"},
                )
            )
        elif state == ItemState.REJECTED:
            problems.append(
                Problem("documents", _("Rejected: %(doc)s") % {"doc": f"{item.doc_type}{whose}"})
            )
    if not has_consent:
        problems.append(
            Problem("applicant", _("The applicant has not acknowledged the privacy notice."))
        )
    if not has_attestation:
        problems.append(Problem("attestation", _("The applicant has not signed the declaration.")))
    return problems
