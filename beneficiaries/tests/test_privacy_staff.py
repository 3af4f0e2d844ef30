"""Staff screens of personal-data requests: the queue by deadline, a request and its outcome
forms, recording an oral request on a file — against method, anonymity, role and branch."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries import privacy
from beneficiaries.models import DataSubjectRequest, DsrStatus
from core.models import ActivityLog
from notify.models import Message
from tests_support.factories import make_beneficiary

pytestmark = pytest.mark.django_db


@pytest.fixture
def dsr(representative, beneficiary):
    return privacy.dsr_open(
        actor=representative,
        beneficiary=beneficiary,
        kind="correction",
        channel="phone",
        proposed_changes={
            "mobile": {"label": "الجوال", "current": "+966500000001", "proposed": "+966551234567"}
        },
    )


def _urls(dsr):
    b = dsr.beneficiary
    return {
        "queue": ("get", reverse("beneficiaries:dsr_queue")),
        "detail": ("get", reverse("beneficiaries:dsr_detail", args=[dsr.public_id])),
        "copy": ("get", reverse("beneficiaries:dsr_copy", args=[dsr.public_id])),
        "extend": ("post", reverse("beneficiaries:dsr_extend", args=[dsr.public_id])),
        "complete": ("post", reverse("beneficiaries:dsr_complete", args=[dsr.public_id])),
        "refuse": ("post", reverse("beneficiaries:dsr_refuse", args=[dsr.public_id])),
        "new": ("get", reverse("beneficiaries:dsr_new", args=[b.public_id])),
    }


def test_anonymous_is_sent_to_login(client, dsr):
    for name, (method, url) in _urls(dsr).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("accounts:login")), name


@pytest.mark.parametrize(
    "persona", ["researcher", "committee", "quality", "service_officer", "volunteer", "no_role"]
)
def test_roles_that_do_not_keep_files_get_403(client, request, persona, dsr):
    client.force_login(request.getfixturevalue(persona))
    for name, (method, url) in _urls(dsr).items():
        assert getattr(client, method)(url).status_code == 403, name


def test_another_branch_gets_404_and_does_not_see_it_queued(client, other_rep, dsr):
    client.force_login(other_rep)
    for name, (method, url) in _urls(dsr).items():
        if name == "queue":
            continue
        assert getattr(client, method)(url).status_code == 404, name
    page = client.get(reverse("beneficiaries:dsr_queue")).content.decode()
    assert dsr.beneficiary.full_name not in page
    dsr.refresh_from_db()
    assert dsr.status == DsrStatus.OPEN


def test_wrong_methods_are_refused(client, officer, dsr):
    client.force_login(officer)
    for name, (method, url) in _urls(dsr).items():
        other = client.get if method == "post" else client.put
        assert other(url).status_code == 405, name


def test_the_queue_lists_open_requests_by_deadline_overdue_first(client, officer, representative):
    old = make_beneficiary(representative, first_name="خالد")
    new = make_beneficiary(representative, first_name="فهد")
    late = privacy.dsr_open(
        actor=officer,
        beneficiary=old,
        kind="copy",
        channel="letter",
        received_at=timezone.now() - datetime.timedelta(days=40),
    )
    privacy.dsr_open(actor=officer, beneficiary=new, kind="copy", channel="phone")
    client.force_login(officer)
    page = client.get(reverse("beneficiaries:dsr_queue")).content.decode()
    assert page.index(old.full_name) < page.index(new.full_name)
    assert "state-expired" in page
    assert late.is_overdue
    closed = client.get(reverse("beneficiaries:dsr_queue") + "?view=closed").content.decode()
    assert old.full_name not in closed


def test_the_detail_links_each_proposed_change_to_the_file(client, representative, dsr):
    client.force_login(representative)
    page = client.get(reverse("beneficiaries:dsr_detail", args=[dsr.public_id])).content.decode()
    assert "+966551234567" in page
    assert reverse("beneficiaries:edit", args=[dsr.beneficiary.public_id]) in page


def test_staff_complete_it_with_an_answer(client, representative, dsr):
    client.force_login(representative)
    url = reverse("beneficiaries:dsr_complete", args=[dsr.public_id])
    response = client.post(url, {"response": "عدّلنا رقم الجوال في ملفك"})
    assert response.status_code == 302
    dsr.refresh_from_db()
    assert dsr.status == DsrStatus.COMPLETED
    assert dsr.handled_by == representative
    assert ActivityLog.objects.filter(action="beneficiaries.dsr.completed").exists()
    assert Message.objects.filter(template_code="privacy.dsr_completed").exists()


def test_an_empty_answer_is_refused_at_the_field(client, representative, dsr):
    client.force_login(representative)
    response = client.post(
        reverse("beneficiaries:dsr_refuse", args=[dsr.public_id]), {"reasons": ""}
    )
    assert response.status_code == 200
    assert response.context["refuse_form"].errors["reasons"]
    dsr.refresh_from_db()
    assert dsr.status == DsrStatus.OPEN


def test_staff_extend_it_once(client, manager, dsr):
    client.force_login(manager)
    url = reverse("beneficiaries:dsr_extend", args=[dsr.public_id])
    assert client.post(url, {"reason": "ننتظر خطاب الجهة"}).status_code == 302
    dsr.refresh_from_db()
    assert dsr.extended_to == dsr.due_date + datetime.timedelta(days=30)
    response = client.post(url, {"reason": "مرة ثانية"})
    assert response.status_code == 200
    assert response.context["extend_form"].non_field_errors()
    assert ActivityLog.objects.filter(action="beneficiaries.dsr.extended").count() == 1


def test_staff_record_an_oral_request_on_the_file(client, representative, beneficiary):
    client.force_login(representative)
    url = reverse("beneficiaries:dsr_new", args=[beneficiary.public_id])
    assert client.get(url).status_code == 200
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        url,
        {
            "kind": "destruction",
            "channel": _channel_pk("phone"),
            "received_on": yesterday.strftime("%d/%m/%Y"),
            "requested_by": "",
            "details": "اتصلت تطلب حذف بياناتها",
        },
    )
    assert response.status_code == 302
    dsr = DataSubjectRequest.objects.get()
    assert dsr.recorded_by == representative
    assert dsr.due_date == yesterday + datetime.timedelta(days=30)
    assert Message.objects.filter(template_code="privacy.dsr_received").exists()


def test_a_future_receipt_date_is_refused_at_the_field(client, representative, beneficiary):
    client.force_login(representative)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("beneficiaries:dsr_new", args=[beneficiary.public_id]),
        {
            "kind": "access",
            "channel": _channel_pk("phone"),
            "received_on": tomorrow.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["received_on"]
    assert not DataSubjectRequest.objects.exists()


def _channel_pk(code):
    from core.models import Channel

    return Channel.objects.get(code=code).pk


def test_staff_print_the_beneficiarys_copy_and_it_is_logged(client, representative, beneficiary):
    copy = privacy.dsr_open(
        actor=representative, beneficiary=beneficiary, kind="copy", channel="interview"
    )
    client.force_login(representative)
    detail = client.get(reverse("beneficiaries:dsr_detail", args=[copy.public_id]))
    url = reverse("beneficiaries:dsr_copy", args=[copy.public_id])
    assert url in detail.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])[:4]
        == b"%PDF"
    )
    entry = ActivityLog.objects.get(action="beneficiaries.data.exported")
    assert entry.actor == representative
    assert entry.subject_id == str(beneficiary.pk)
    assert "via" not in entry.data
