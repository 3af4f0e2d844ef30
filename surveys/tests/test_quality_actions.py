"""Improvement actions (P3.7.5): planned → in progress → done with its result, or cancelled
with the reason; edited while open; overdue marked; audited; for the quality team only."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import ActivityLog
from surveys import quality as loop
from surveys.models import ActionStatus, Event
from tests_support.surveys import FollowUpFactory, ImprovementActionFactory

pytestmark = pytest.mark.django_db


def _plan(actor, owner, **kwargs):
    data = {
        "title": "تقصير وقت الانتظار في التسليم",
        "description": "",
        "event": Event.DELIVERY,
        "owner": owner,
        "due_on": timezone.localdate() + timedelta(days=30),
    }
    data.update(kwargs)
    return loop.action_create(actor=actor, **data)


def test_an_action_goes_from_planned_to_done_with_its_result(quality, manager):
    action = _plan(quality, manager)
    assert action.status == ActionStatus.PLANNED and action.created_by == quality
    with pytest.raises(ValidationError):  # not done before it is started
        loop.action_set_status(actor=quality, action=action, status="done", result="تم")
    loop.action_set_status(actor=quality, action=action, status=ActionStatus.IN_PROGRESS)
    with pytest.raises(ValidationError) as exc:
        loop.action_set_status(actor=quality, action=action, status=ActionStatus.DONE)
    assert "result" in exc.value.message_dict
    action = loop.action_set_status(
        actor=quality, action=action, status=ActionStatus.DONE, result="انخفض الانتظار إلى ربع ساعة"
    )
    assert action.status == ActionStatus.DONE and action.done_at is not None
    codes = list(
        ActivityLog.objects.filter(action__startswith="surveys.action.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert codes == ["surveys.action.created", "surveys.action.started", "surveys.action.done"]
    with pytest.raises(ValidationError):  # done is final
        loop.action_set_status(actor=quality, action=action, status="cancelled", result="لا")


def test_cancelling_needs_a_reason(quality):
    action = _plan(quality, quality)
    with pytest.raises(ValidationError):
        loop.action_set_status(actor=quality, action=action, status=ActionStatus.CANCELLED)
    action = loop.action_set_status(
        actor=quality, action=action, status=ActionStatus.CANCELLED, result="لم تعد لازمة"
    )
    assert action.status == ActionStatus.CANCELLED and action.done_at is None


def test_an_open_action_is_edited_a_finished_one_is_not(quality, manager):
    action = _plan(quality, quality)
    action = loop.action_update(actor=quality, action=action, owner=manager, title="عنوان جديد")
    assert (action.owner, action.title) == (manager, "عنوان جديد")
    entry = ActivityLog.objects.get(action="surveys.action.updated")
    assert sorted(entry.data["fields"]) == ["owner", "title"]
    loop.action_set_status(actor=quality, action=action, status="cancelled", result="لا حاجة")
    with pytest.raises(ValidationError):
        loop.action_update(actor=quality, action=action, title="آخر")


def test_the_owner_must_be_an_active_staff_member(quality, no_role):
    with pytest.raises(ValidationError) as exc:
        _plan(quality, no_role)
    assert "owner" in exc.value.message_dict


def test_other_roles_cannot_plan(officer):
    with pytest.raises(PermissionDenied):
        _plan(officer, officer)


def test_the_list_puts_work_in_progress_first_and_marks_overdue(client, quality):
    today = timezone.localdate()
    late = ImprovementActionFactory(due_on=today - timedelta(days=1))
    going = ImprovementActionFactory(status=ActionStatus.IN_PROGRESS, due_on=today + timedelta(9))
    ImprovementActionFactory(status=ActionStatus.DONE, done_at=timezone.now(), result="تم")
    client.force_login(quality)
    response = client.get(reverse("surveys:actions"))
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert rows == [going, late]
    assert [a.overdue for a in rows] == [False, True]
    overdue = client.get(reverse("surveys:actions"), {"view": "overdue"}).context["page"]
    assert list(overdue.object_list) == [late]
    assert len(client.get(reverse("surveys:actions"), {"view": "all"}).context["page"]) == 3


def test_an_action_is_planned_and_moved_through_the_pages(client, quality, manager):
    client.force_login(quality)
    assert client.get(reverse("surveys:action_create")).status_code == 200
    response = client.post(
        reverse("surveys:action_create"),
        {
            "title": "نموذج أوضح لمواعيد الزيارة",
            "event": "home_visit",
            "owner": manager.pk,
            "due_on": "01/01/1500",  # a Hijri date
        },
    )
    assert response.status_code == 302
    action = loop.actions_for(quality).get(title="نموذج أوضح لمواعيد الزيارة")
    detail = reverse("surveys:action_detail", args=[action.public_id])
    assert client.get(detail).status_code == 200
    status = reverse("surveys:action_status", args=[action.public_id])
    client.post(status, {"status": "in_progress"})
    client.post(status, {"status": "done", "result": ""})
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS  # no result, not done
    client.post(status, {"status": "done", "result": "أرسلت المواعيد برسالة"})
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.result == "أرسلت المواعيد برسالة"
    response = client.get(reverse("surveys:action_edit", args=[action.public_id]))
    assert response.status_code == 302  # finished: no more editing


def test_a_due_date_in_the_past_is_refused_when_planning(client, quality):
    client.force_login(quality)
    response = client.post(
        reverse("surveys:action_create"),
        {"title": "س", "owner": quality.pk, "due_on": "01/01/2020"},
    )
    assert response.status_code == 200 and "due_on" in response.context["form"].errors


def test_the_action_page_lists_its_follow_ups(client, quality):
    action = ImprovementActionFactory()
    FollowUpFactory(action=action)
    client.force_login(quality)
    response = client.get(reverse("surveys:action_detail", args=[action.public_id]))
    assert len(response.context["follow_ups"]) == 1


def test_action_pages_refuse_wrong_method_role_unknown_and_strangers(client, quality, officer):
    action = ImprovementActionFactory()
    detail = reverse("surveys:action_detail", args=[action.public_id])
    status = reverse("surveys:action_status", args=[action.public_id])
    assert client.get(detail).status_code == 302
    client.force_login(quality)
    assert client.get(status).status_code == 405
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(reverse("surveys:action_detail", args=[unknown])).status_code == 404
    client.force_login(officer)
    assert client.get(detail).status_code == 403
    assert client.get(reverse("surveys:actions")).status_code == 403
    assert client.post(status, {"status": "in_progress"}).status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_an_open_action_is_edited_through_its_page(client, quality, manager):
    action = ImprovementActionFactory()
    client.force_login(quality)
    url = reverse("surveys:action_edit", args=[action.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": action.title,
            "description": "وصف محدث",
            "event": "",
            "owner": manager.pk,
            "due_on": action.due_on.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.event, action.description) == (manager, "", "وصف محدث")


def test_htmx_gets_the_rows_only(client, quality):
    ImprovementActionFactory()
    client.force_login(quality)
    response = client.get(reverse("surveys:actions"), HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "surveys/staff/_action_rows.html"
    response = client.get(reverse("surveys:follow_ups"), HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "surveys/staff/_follow_up_rows.html"
