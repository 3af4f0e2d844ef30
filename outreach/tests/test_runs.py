"""Running a rule: messages on each person's channel, tasks for staff, once per occasion,
refusals recorded, quiet hours honoured through notify, every action on the timeline."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from core.activity import entries_for
from core.models import ActivityLog
from notify.models import Message, Status
from outreach import services, tasks
from outreach.models import Run, RunStatus, Task
from tests_support.factories import make_beneficiary
from tests_support.outreach import category, make_member, make_rule, opt_out

D = datetime.date
BEFORE_RAMADAN = D(2027, 1, 25)  # 14 days before 1 Ramadan 1448


@pytest.fixture
def ramadan_rule(manager):
    return make_rule(manager, trigger="season", season="ramadan", days=14)


@pytest.fixture
def people(officer):
    sms = make_beneficiary(officer, first_name="سعاد")
    whatsapp = make_beneficiary(officer, first_name="هند", preferred_channel="whatsapp")
    email = make_beneficiary(
        officer, first_name="منى", preferred_channel="email", email="Mona@Example.org"
    )
    return sms, whatsapp, email


def test_a_run_queues_a_message_on_each_persons_channel(
    ramadan_rule, people, manager, quiet_hours_off
):
    sms, whatsapp, _email = people

    run = services.rule_run(rule=ramadan_rule, actor=manager, today=BEFORE_RAMADAN)

    assert (run.status, run.audience_size, run.sent, run.already_contacted) == (
        RunStatus.DONE,
        3,
        3,
        0,
    )
    assert run.triggered_by == manager and run.finished_at >= run.started_at
    by_channel = {m.channel: m for m in Message.objects.all()}
    assert by_channel["sms"].recipient == sms.mobile
    assert by_channel["whatsapp"].recipient == whatsapp.mobile
    assert by_channel["email"].recipient == "Mona@example.org"
    message = by_channel["sms"]
    assert message.template_code == "outreach.season"
    assert "سعاد" in message.body and "شهر رمضان" in message.body
    assert "25/06/1448هـ" not in message.body and "01/09/1448هـ — 08/02/2027م" in message.body
    assert message.idempotency_key == f"outreach:{ramadan_rule.pk}:{sms.pk}:season:ramadan:1448"
    assert message.quiet_hours is True
    # On the person's timeline: the outbox's entry and outreach's, saying why.
    actions = [e.action for e in entries_for(sms)]
    assert "outreach.message.queued" in actions and "notify.message.queued" in actions
    entry = ActivityLog.objects.get(action="outreach.message.queued", subject_id=str(sms.pk))
    assert entry.actor == manager and entry.data["rule"] == ramadan_rule.name
    with translation.override("en"):
        assert entry.sentence == (
            f"{manager.display_name} sent an outreach message (rule “{ramadan_rule.name}”): "
            "Ramadan 1448 starts on 01/09/1448هـ — 08/02/2027م."
        )
    assert ActivityLog.objects.filter(action="outreach.run.done", target_id=str(run.pk)).exists()


def test_a_second_run_sends_nothing_new(ramadan_rule, people, manager, quiet_hours_off):
    services.rule_run(rule=ramadan_rule, actor=manager, today=BEFORE_RAMADAN)
    newcomer = make_beneficiary(manager)

    again = services.rule_run(rule=ramadan_rule, today=BEFORE_RAMADAN + datetime.timedelta(days=1))

    assert (again.status, again.sent, again.already_contacted) == (RunStatus.DONE, 1, 3)
    assert again.triggered_by is None
    assert Message.objects.count() == 4
    assert Message.objects.filter(about_id=str(newcomer.pk)).count() == 1
    assert Run.objects.filter(rule=ramadan_rule).count() == 2


def test_people_who_opted_out_receive_nothing(ramadan_rule, people, manager, quiet_hours_off):
    opt_out(people[0])
    run = services.rule_run(rule=ramadan_rule, actor=manager, today=BEFORE_RAMADAN)
    assert (run.audience_size, run.skipped_opted_out, run.sent) == (3, 1, 2)
    assert not Message.objects.filter(about_id=str(people[0].pk)).exists()


def test_an_empty_audience_is_refused_and_recorded(ramadan_rule, people, manager):
    run = services.rule_run(rule=ramadan_rule, actor=manager, today=D(2027, 1, 1))
    assert run.status == RunStatus.REFUSED_EMPTY
    with translation.override("en"):
        assert run.explanation == "The rule finds nobody on that day."
    assert (run.sent, run.audience_size) == (0, 0)
    assert not Message.objects.exists()
    assert ActivityLog.objects.filter(action="outreach.run.refused", target_id=str(run.pk)).exists()


def test_an_audience_of_only_opted_out_people_is_refused(manager, officer):
    rule = make_rule(manager, trigger="season", season="ramadan", days=14)
    opt_out(make_beneficiary(officer))
    run = services.rule_run(rule=rule, actor=manager, today=BEFORE_RAMADAN)
    assert (run.status, run.audience_size, run.skipped_opted_out) == (RunStatus.REFUSED_EMPTY, 1, 1)
    assert not Message.objects.exists()


def test_a_too_large_audience_is_refused_and_recorded(ramadan_rule, people, manager, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "OUTREACH": {"MAX_AUDIENCE": 2}}
    run = services.rule_run(rule=ramadan_rule, actor=manager, today=BEFORE_RAMADAN)
    assert run.status == RunStatus.REFUSED_TOO_LARGE
    assert (run.audience_size, run.sent) == (3, 0)
    assert run.limit == 2
    with translation.override("en"):
        assert run.explanation == "3 people, more than the limit of 2: narrow the rule."
    assert not Message.objects.exists()


def test_a_message_falling_in_the_quiet_hours_is_held(
    ramadan_rule, people, manager, riyadh_clock, settings
):
    settings.NOTIFY_QUIET_HOURS = "21:00-08:00"
    riyadh_clock(datetime.datetime(2027, 1, 25, 23, 30))

    run = services.rule_run(rule=ramadan_rule, actor=manager)

    assert run.run_on == BEFORE_RAMADAN and run.sent == 3
    riyadh = ZoneInfo("Asia/Riyadh")
    for message in Message.objects.all():
        assert message.status == Status.QUEUED and message.sent_at is None
        assert message.next_attempt_at == datetime.datetime(2027, 1, 26, 8, 0, tzinfo=riyadh)


def test_a_daytime_message_is_due_at_once(ramadan_rule, people, manager, riyadh_clock, settings):
    settings.NOTIFY_QUIET_HOURS = "21:00-08:00"
    now = riyadh_clock(datetime.datetime(2027, 1, 25, 10, 0))
    services.rule_run(rule=ramadan_rule, actor=manager)
    assert set(Message.objects.values_list("next_attempt_at", flat=True)) == {now}


def test_a_task_rule_creates_one_task_per_occasion(manager, officer, representative):
    rule = make_rule(
        manager,
        trigger="orphan_adult",
        days=30,
        action="task",
        task_text="مراجعة ملف {full_name}: يبلغ {member} الثامنة عشرة في {turns_18_on}.",
        task_due_days=7,
    )
    head = make_beneficiary(representative, categories=[category("orphans")])
    member = make_member(head, birth_date=D(2009, 1, 20), name="خالد")
    today = D(2027, 1, 10)

    run = services.rule_run(rule=rule, actor=manager, today=today)
    again = services.rule_run(rule=rule, today=today)

    task = Task.objects.get()
    assert (run.tasks_created, again.tasks_created, again.already_contacted) == (1, 0, 1)
    assert task.branch == representative.branch and task.beneficiary == head
    assert task.occasion == f"orphan:{member.pk}" and task.run == run
    assert (
        task.text
        == f"مراجعة ملف {head.full_name}: يبلغ خالد الثامنة عشرة في 12/08/1448هـ — 20/01/2027م."
    )
    assert task.due_on == D(2027, 1, 17)
    assert task.occasion_label_en == "خالد turns 18 on 12/08/1448هـ — 20/01/2027م"
    assert not Message.objects.exists()
    assert ActivityLog.objects.filter(
        action="outreach.task.created", subject_id=str(head.pk), target_id=str(task.pk)
    ).exists()


def test_the_daily_schedule_runs_the_active_rules_only(manager, officer, quiet_hours_off):
    active = make_rule(manager, trigger="season", season="ramadan", days=14)
    services.rule_set_active(actor=manager, rule=active, active=True)
    make_rule(manager, trigger="season", season="ramadan", days=14)  # left switched off
    make_beneficiary(officer)

    runs = services.rules_run_daily(today=BEFORE_RAMADAN)

    assert [r.rule_id for r in runs] == [active.pk]
    assert runs[0].sent == 1 and runs[0].triggered_by is None
    assert services.rules_run_daily(today=BEFORE_RAMADAN)[0].sent == 0
    assert Message.objects.count() == 1


def test_the_huey_task_runs_the_schedule(manager, officer, quiet_hours_off, monkeypatch):
    rule = make_rule(manager, trigger="season", season="ramadan", days=14)
    services.rule_set_active(actor=manager, rule=rule, active=True)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: BEFORE_RAMADAN)
    make_beneficiary(officer)
    assert tasks.daily_outreach.call_local() == 1
    assert Run.objects.get().sent == 1


def test_only_a_manager_sends(ramadan_rule, quality, officer):
    for actor in (quality, officer):
        with pytest.raises(PermissionDenied):
            services.rule_run(rule=ramadan_rule, actor=actor, today=BEFORE_RAMADAN)
    assert not Run.objects.exists()


def test_a_branch_manager_sends_their_branchs_rules_only(
    ramadan_rule, branch_manager, representative
):
    with pytest.raises(PermissionDenied):
        services.rule_run(rule=ramadan_rule, actor=branch_manager, today=BEFORE_RAMADAN)
    own = make_rule(branch_manager, branch=representative.branch)
    run = services.rule_run(rule=own, actor=branch_manager, today=D(2027, 1, 1))
    assert run.status == RunStatus.REFUSED_EMPTY


def test_an_inactive_template_refuses_the_run(ramadan_rule, people, manager):
    ramadan_rule.template.is_active = False
    ramadan_rule.template.save()
    run = services.rule_run(rule=ramadan_rule, actor=manager, today=BEFORE_RAMADAN)
    assert (run.status, run.sent, run.audience_size) == (RunStatus.REFUSED_TEMPLATE, 0, 3)
    # No cancelled rows under the people's keys: once switched on, the rule still reaches them.
    assert not Message.objects.exists()
