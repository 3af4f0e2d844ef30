"""Writing rules: the trigger's parameter, the season, the action's content, placeholders the
trigger can fill, branch scope, and the pause after a change to who is reached."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from core.models import ActivityLog
from notify.models import MessageTemplate
from outreach import services
from outreach.models import Rule
from tests_support.outreach import category, make_rule


def _errors(callable_):
    """The field errors a service raises, read in English."""
    with pytest.raises(ValidationError) as caught:
        callable_()
    with translation.override("en"):
        return {f: [str(m) for m in msgs] for f, msgs in caught.value.message_dict.items()}


def test_a_new_rule_is_switched_off_and_logged(manager):
    rule = make_rule(manager, categories=["widows", "orphans"])
    assert rule.is_active is False and rule.created_by == manager
    assert {c.code for c in rule.categories.all()} == {"widows", "orphans"}
    assert ActivityLog.objects.filter(
        action="outreach.rule.created", target_id=str(rule.pk)
    ).exists()


def test_no_contact_needs_months_not_days(manager):
    errors = _errors(
        lambda: make_rule(
            manager, trigger="no_contact", days=None, months=None, template="outreach.no_contact"
        )
    )
    assert errors == {"months": ["Enter after how many months without contact."]}
    rule = make_rule(
        manager, trigger="no_contact", days=30, months=6, template="outreach.no_contact"
    )
    assert (rule.days, rule.months) == (None, 6)  # the days a form left behind are dropped


def test_the_errors_read_in_arabic(manager):
    with pytest.raises(ValidationError) as caught:
        make_rule(manager, trigger="no_contact", days=None, template="outreach.no_contact")
    assert caught.value.message_dict == {"months": ["أدخل عدد الأشهر دون تواصل."]}


def test_day_triggers_need_days_within_range(manager):
    assert _errors(lambda: make_rule(manager, days=None)) == {"days": ["Enter the number of days."]}
    assert _errors(lambda: make_rule(manager, days=400)) == {
        "days": ["Enter a number of days from 0 to 365."]
    }
    errors = _errors(
        lambda: make_rule(manager, trigger="info_pending", days=0, template="outreach.info_pending")
    )
    assert errors == {"days": ["Enter a number of days from 1 to 365."]}


def test_a_season_rule_needs_its_season(manager):
    assert _errors(lambda: make_rule(manager, season=None)) == {"season": ["Choose the season."]}


def test_a_template_may_use_only_what_the_trigger_fills_in(manager):
    # The document template speaks of {document} and {expires_on}: a season cannot fill them.
    errors = _errors(lambda: make_rule(manager, template="outreach.document_expiring"))
    assert list(errors) == ["template"]
    assert "{document}" in errors["template"][0] and "{expires_on}" in errors["template"][0]
    assert "{season}" in errors["template"][0]


def test_only_outreach_templates_may_be_chosen(manager):
    errors = _errors(lambda: make_rule(manager, template="portal.otp"))
    assert list(errors) == ["template"]


def test_a_task_needs_its_text_with_known_placeholders(manager):
    assert _errors(lambda: make_rule(manager, action="task", task_text="  ")) == {
        "task_text": ["Say what staff should do."]
    }
    errors = _errors(lambda: make_rule(manager, action="task", task_text="اتصل بـ{reference}"))
    assert list(errors) == ["task_text"]
    rule = make_rule(manager, action="task", task_text="الاتصال بـ{full_name} قبل {season}")
    assert rule.template is None


def test_the_database_refuses_an_inconsistent_rule(manager):
    rule = make_rule(manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rule.objects.filter(pk=rule.pk).update(months=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rule.objects.filter(pk=rule.pk).update(action="task")  # a message rule with no task text
    with pytest.raises(IntegrityError), transaction.atomic():
        Rule.objects.filter(pk=rule.pk).update(season=None)


def test_only_managers_write_rules(quality, officer):
    for actor in (quality, officer):
        with pytest.raises(PermissionDenied):
            make_rule(actor)


def test_a_branch_manager_writes_rules_for_their_branch(branch_manager, other_branch):
    errors = _errors(lambda: make_rule(branch_manager))
    assert errors == {"branch": ["You may write rules for your own branch only."]}
    assert _errors(lambda: make_rule(branch_manager, branch=other_branch)) == errors
    rule = make_rule(branch_manager, branch=branch_manager.branch)
    assert rule.branch == branch_manager.branch


def test_changing_who_is_reached_pauses_the_rule(manager):
    rule = make_rule(manager)
    services.rule_set_active(actor=manager, rule=rule, active=True)
    data = {
        "name": "اسم جديد",
        "trigger": "season",
        "days": 14,
        "season": rule.season,
        "action": "message",
        "template": rule.template,
        "task_text": "",
        "task_due_days": 5,
    }
    renamed = services.rule_update(actor=manager, rule=rule, data=data, categories=[])
    assert renamed.is_active and not renamed.was_paused

    changed = services.rule_update(
        actor=manager, rule=rule, data=data, categories=[category("widows")]
    )
    assert changed.was_paused and not Rule.objects.get(pk=rule.pk).is_active
    assert ActivityLog.objects.filter(
        action="outreach.rule.paused", target_id=str(rule.pk)
    ).exists()


def test_switching_on_and_off_is_logged(manager):
    rule = make_rule(manager)
    services.rule_set_active(actor=manager, rule=rule, active=True)
    services.rule_set_active(actor=manager, rule=rule, active=True)  # no change, no entry
    services.rule_set_active(actor=manager, rule=rule, active=False)
    actions = list(
        ActivityLog.objects.filter(target_id=str(rule.pk), action__startswith="outreach.rule.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["outreach.rule.created", "outreach.rule.activated", "outreach.rule.paused"]


def test_the_seeded_examples_are_switched_off(db):
    seeded = Rule.objects.filter(created_by__isnull=True)
    assert seeded.count() == 7 and not seeded.filter(is_active=True).exists()
    for rule in seeded:
        rule.full_clean()  # each example is a valid rule
    assert MessageTemplate.objects.get(code="outreach.season").quiet_hours is True
