"""The outreach screens: who may open them, the preview, sending, seasons and tasks."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from notify.models import Message
from outreach import services
from outreach.models import Rule, Run, RunStatus, SeasonDate, Task, TaskStatus
from tests_support.factories import make_beneficiary
from tests_support.outreach import category, make_member, make_rule, opt_out

D = datetime.date


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def ramadan_rule(manager):
    return make_rule(manager, name="تهنئة رمضان", trigger="season", season="ramadan", days=14)


@pytest.fixture
def before_ramadan(riyadh_clock, settings):
    """10:00 on 25 January 2027, 14 days before 1 Ramadan 1448, outside the quiet hours."""
    settings.NOTIFY_QUIET_HOURS = "21:00-08:00"
    return riyadh_clock(datetime.datetime(2027, 1, 25, 10, 0))


# --- Access -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("outreach:rules"))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize(
    ("persona", "target"), [("manager", "outreach:rules"), ("officer", "outreach:tasks")]
)
def test_the_menu_entry_leads_each_role_to_its_screen(client, request, persona, target):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("outreach:index"))
    assert response.status_code == 302 and response.url == reverse(target)


def test_the_menu_shows_outreach_to_those_who_use_it(client, manager, volunteer):
    client.force_login(manager)
    assert reverse("outreach:index") in client.get(reverse("core:home")).content.decode()
    client.force_login(volunteer)
    assert reverse("outreach:index") not in client.get(reverse("core:home")).content.decode()
    assert client.get(reverse("outreach:index")).status_code == 403


@pytest.mark.parametrize("persona", ["officer", "volunteer", "service_officer"])
def test_other_roles_may_not_open_the_rules(client, request, persona, ramadan_rule):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("outreach:rules")).status_code == 403
    assert client.get(ramadan_rule.get_absolute_url()).status_code == 403


def test_the_quality_officer_reads_but_does_not_write(client, quality, ramadan_rule):
    client.force_login(quality)
    listing = client.get(reverse("outreach:rules"))
    assert listing.status_code == 200 and "تهنئة رمضان" in listing.content.decode()
    assert reverse("outreach:rule_create") not in listing.content.decode()
    assert client.get(reverse("outreach:rule_create")).status_code == 403
    url = reverse("outreach:rule_send", args=[ramadan_rule.public_id])
    assert client.post(url, {"confirm": "on"}).status_code == 403
    assert not Run.objects.exists()


def test_a_branch_manager_sees_only_their_branchs_rules(
    client, branch_manager, other_branch_manager, ramadan_rule
):
    own = make_rule(branch_manager, name="قاعدة فرع جدة", branch=branch_manager.branch)
    client.force_login(other_branch_manager)
    assert client.get(own.get_absolute_url()).status_code == 404
    assert client.get(ramadan_rule.get_absolute_url()).status_code == 404
    page = client.get(reverse("outreach:rules")).content.decode()
    assert "قاعدة فرع جدة" not in page and "تهنئة رمضان" not in page
    url = reverse("outreach:rule_send", args=[own.public_id])
    assert client.post(url, {"confirm": "on"}).status_code == 404
    client.force_login(branch_manager)
    assert client.get(own.get_absolute_url()).status_code == 200


def test_wrong_methods_are_refused(client, manager, ramadan_rule):
    client.force_login(manager)
    assert (
        client.get(reverse("outreach:rule_send", args=[ramadan_rule.public_id])).status_code == 405
    )
    assert client.post(ramadan_rule.get_absolute_url()).status_code == 405
    assert client.post(reverse("outreach:rules")).status_code == 405
    assert client.get(reverse("outreach:season_date", args=["ramadan"])).status_code == 405


# --- Rules --------------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "name": "تذكير المستندات",
        "trigger": "document_expiring",
        "days": "٣٠",  # typed on an Arabic keyboard
        "months": "",
        "season": "",
        "branch": "",
        "action": "message",
        "task_text": "",
        "task_due_days": "5",
    }
    data.update(overrides)
    return data


def test_a_manager_writes_a_rule(client, manager):
    from notify.models import MessageTemplate

    client.force_login(manager)
    template = MessageTemplate.objects.get(code="outreach.document_expiring")
    widows = category("widows")
    response = client.post(
        reverse("outreach:rule_create"),
        _form(template=template.pk, categories=[widows.pk]),
    )
    rule = Rule.objects.get(name="تذكير المستندات")
    assert response.status_code == 302 and response.url == rule.get_absolute_url()
    assert (rule.days, rule.is_active, list(rule.categories.all())) == (30, False, [widows])


def test_the_form_explains_what_is_missing(client, manager):
    english(client).force_login(manager)
    response = client.post(
        reverse("outreach:rule_create"), _form(trigger="no_contact", days="", action="task")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter after how many months without contact." in page
    assert "Say what staff should do." in page
    assert not Rule.objects.filter(name="تذكير المستندات").exists()


def test_the_arabic_form_names_the_placeholders_it_refuses(client, manager):
    from notify.models import MessageTemplate

    client.force_login(manager)
    template = MessageTemplate.objects.get(code="outreach.season")
    response = client.post(reverse("outreach:rule_create"), _form(template=template.pk))
    assert response.status_code == 200
    assert "{season}" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_editing_pauses_an_active_rule(client, manager, ramadan_rule):
    services.rule_set_active(actor=manager, rule=ramadan_rule, active=True)
    client.force_login(manager)
    response = client.post(
        reverse("outreach:rule_edit", args=[ramadan_rule.public_id]),
        _form(
            name="تهنئة رمضان",
            trigger="season",
            season=ramadan_rule.season.pk,
            days="7",
            template=ramadan_rule.template.pk,
        ),
    )
    ramadan_rule.refresh_from_db()
    assert response.status_code == 302
    assert (ramadan_rule.days, ramadan_rule.is_active) == (7, False)


# --- Preview and sending ------------------------------------------------------------------


def test_the_preview_shows_the_audience_and_the_message(
    client, manager, officer, ramadan_rule, before_ramadan
):
    first = make_beneficiary(officer, first_name="سعاد")
    make_beneficiary(officer, first_name="هند")
    opt_out(make_beneficiary(officer, first_name="منى"))
    client.force_login(manager)

    response = english(client).get(ramadan_rule.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["audience"].size == 3
    assert (response.context["audience"].opted_out, response.context["new"]) == (1, 2)
    assert "سعاد" in page and "هند" in page and "منى" not in page
    assert first.masked_id in page and first.id_number not in page
    assert "Ramadan 1448 starts on 01/09/1448هـ — 08/02/2027م" in page
    # The text as the first person would receive it, in Arabic.
    assert response.context["text"].startswith("السلام عليكم سعاد، يقترب موسم شهر رمضان")
    assert reverse("outreach:rule_send", args=[ramadan_rule.public_id]) in page
    assert not Message.objects.exists()  # previewing sends nothing


def test_the_preview_of_another_day(client, manager, officer, ramadan_rule):
    make_beneficiary(officer)
    client.force_login(manager)
    response = client.get(ramadan_rule.get_absolute_url(), {"on": "25/01/2027"})
    assert response.context["audience"].size == 1
    assert response.context["is_today"] is False
    hijri = client.get(ramadan_rule.get_absolute_url(), {"on": "17/08/1448"})  # 25/01/2027
    assert hijri.context["audience"].size == 1
    # Sending is offered for today only: a run always evaluates the day it is made.
    send_url = reverse("outreach:rule_send", args=[ramadan_rule.public_id])
    assert send_url not in hijri.content.decode()


def test_the_preview_warns_of_a_too_large_audience(
    client, manager, officer, ramadan_rule, before_ramadan, settings
):
    settings.MUSTAFID = {**settings.MUSTAFID, "OUTREACH": {"MAX_AUDIENCE": 1}}
    make_beneficiary(officer)
    make_beneficiary(officer)
    english(client).force_login(manager)
    page = client.get(ramadan_rule.get_absolute_url()).content.decode()
    assert "more than the limit of 1 for one run" in page


def test_sending_needs_the_confirmation(client, manager, officer, ramadan_rule, before_ramadan):
    make_beneficiary(officer)
    client.force_login(manager)
    response = client.post(reverse("outreach:rule_send", args=[ramadan_rule.public_id]))
    assert response.status_code == 302 and response.url == ramadan_rule.get_absolute_url()
    assert not Run.objects.exists() and not Message.objects.exists()


def test_send_now(client, manager, officer, ramadan_rule, before_ramadan):
    person = make_beneficiary(officer)
    client.force_login(manager)

    response = client.post(
        reverse("outreach:rule_send", args=[ramadan_rule.public_id]), {"confirm": "on"}
    )

    runs_url = reverse("outreach:rule_runs", args=[ramadan_rule.public_id])
    assert response.status_code == 302 and response.url == runs_url
    run = Run.objects.get()
    assert (run.status, run.sent, run.triggered_by) == (RunStatus.DONE, 1, manager)
    assert Message.objects.get().about_id == str(person.pk)
    history = english(client).get(runs_url)
    assert history.status_code == 200 and "Done" in history.content.decode()
    partial = client.get(runs_url, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<html" not in partial.content


def test_a_refused_run_says_why(client, manager, ramadan_rule, before_ramadan):
    english(client).force_login(manager)
    response = client.post(
        reverse("outreach:rule_send", args=[ramadan_rule.public_id]),
        {"confirm": "on"},
        follow=True,
    )
    assert "Nothing was sent: The rule finds nobody on that day." in response.content.decode()
    assert Run.objects.get().status == RunStatus.REFUSED_EMPTY


def test_switching_the_daily_run_on(client, manager, ramadan_rule):
    client.force_login(manager)
    url = reverse("outreach:rule_activate", args=[ramadan_rule.public_id])
    assert client.post(url, {"active": "1"}).status_code == 302
    ramadan_rule.refresh_from_db()
    assert ramadan_rule.is_active
    client.post(url, {"active": "0"})
    ramadan_rule.refresh_from_db()
    assert not ramadan_rule.is_active


# --- Seasons ------------------------------------------------------------------------------


def test_the_seasons_page(client, quality, manager):
    client.force_login(quality)
    response = client.get(reverse("outreach:seasons"))
    assert response.status_code == 200
    assert "شهر رمضان" in response.content.decode()
    assert all("form" not in item for item in response.context["seasons"])
    post = client.post(reverse("outreach:season_date", args=["ramadan"]), {})
    assert post.status_code == 403


def test_a_manager_sets_the_sighted_date(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("outreach:season_date", args=["ramadan"]),
        {
            "ramadan-year": "١٤٤٨",
            "ramadan-starts_on": "02/09/1448",  # a day after the computed 1 Ramadan
            "ramadan-ends_on": "09/03/2027",
            "ramadan-note": "إعلان المحكمة العليا",
        },
    )
    assert response.status_code == 302
    dated = SeasonDate.objects.get()
    assert (dated.year, dated.starts_on, dated.set_by) == (1448, D(2027, 2, 9), manager)


def test_a_wrong_season_date_is_explained(client, manager):
    english(client).force_login(manager)
    response = client.post(
        reverse("outreach:season_date", args=["ramadan"]),
        {"ramadan-year": "1448", "ramadan-starts_on": "01/09/1447", "ramadan-ends_on": ""},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in page
    assert not SeasonDate.objects.exists()
    assert client.post(reverse("outreach:season_date", args=["spring"]), {}).status_code == 404


# --- Tasks --------------------------------------------------------------------------------


@pytest.fixture
def orphan_tasks(manager, representative, officer):
    """One open task in `branch` (the representative's) and one at the head office."""
    rule = make_rule(
        manager,
        trigger="orphan_adult",
        days=30,
        action="task",
        task_text="مراجعة ملف {full_name}: يبلغ {member} الثامنة عشرة في {turns_18_on}.",
    )
    jeddah = make_beneficiary(representative, categories=[category("orphans")], first_name="أمل")
    head = make_beneficiary(officer, categories=[category("orphans")], first_name="ريم")
    make_member(jeddah, birth_date=D(2009, 1, 20))
    make_member(head, birth_date=D(2009, 1, 21))
    services.rule_run(rule=rule, actor=manager, today=D(2027, 1, 10))
    return Task.objects.get(beneficiary=jeddah), Task.objects.get(beneficiary=head)


def test_tasks_are_listed_for_the_branch(client, representative, orphan_tasks):
    client.force_login(representative)
    response = client.get(reverse("outreach:tasks"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "أمل" in page and "ريم" not in page
    partial = client.get(reverse("outreach:tasks"), headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and "أمل" in partial.content.decode()


def test_staff_of_no_branch_see_every_task(client, officer, orphan_tasks):
    client.force_login(officer)
    page = client.get(reverse("outreach:tasks")).content.decode()
    assert "أمل" in page and "ريم" in page


def test_closing_a_task(client, representative, orphan_tasks):
    task, _ = orphan_tasks
    client.force_login(representative)
    url = reverse("outreach:task_close", args=[task.public_id])
    assert client.get(url).status_code == 405
    response = client.post(url, {"status": "done", "outcome": "اتصلنا وحدّثنا بيانات الأسرة"})
    task.refresh_from_db()
    assert response.status_code == 302
    assert (task.status, task.done_by, task.outcome) == (
        TaskStatus.DONE,
        representative,
        "اتصلنا وحدّثنا بيانات الأسرة",
    )
    done = client.get(reverse("outreach:tasks"), {"status": "done"}).content.decode()
    assert "اتصلنا وحدّثنا بيانات الأسرة" in done


def test_dismissing_needs_a_reason(client, representative, orphan_tasks):
    task, _ = orphan_tasks
    english(client).force_login(representative)
    url = reverse("outreach:task_close", args=[task.public_id])
    response = client.post(url, {"status": "dismissed", "outcome": ""}, follow=True)
    assert "Say why the task is dismissed." in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_another_branchs_task_is_not_found(client, other_rep, volunteer, orphan_tasks):
    task, _ = orphan_tasks
    client.force_login(other_rep)
    url = reverse("outreach:task_close", args=[task.public_id])
    assert client.post(url, {"status": "done"}).status_code == 404
    client.force_login(volunteer)
    assert client.get(reverse("outreach:tasks")).status_code == 403
    assert client.post(url, {"status": "done"}).status_code == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_a_sensitive_category_is_counted_not_named_for_the_quality_officer(
    client, quality, manager, officer, before_ramadan
):
    rule = make_rule(manager, trigger="season", season="ramadan", days=14, categories=["debtors"])
    make_beneficiary(officer, first_name="غريم", categories=[category("debtors")])
    client.force_login(quality)
    response = client.get(rule.get_absolute_url())
    assert response.context["audience"].size == 1
    assert "غريم" not in response.content.decode() and response.context["people_hidden"]
    client.force_login(manager)
    assert "غريم" in client.get(rule.get_absolute_url()).content.decode()


def test_a_preview_day_outside_the_hijri_table_falls_back_to_today(client, manager, ramadan_rule):
    english(client).force_login(manager)
    response = client.get(ramadan_rule.get_absolute_url(), {"on": "01/01/1900"})
    assert response.status_code == 200 and response.context["is_today"]
    assert "Choose a year from 1343 to 1499." in response.content.decode()
    typo = client.get(ramadan_rule.get_absolute_url(), {"on": "31/02/2027"})
    assert typo.status_code == 200 and typo.context["is_today"]
