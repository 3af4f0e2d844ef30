"""The public policies page: public documents of the registry in their version in force, with
the approval record; the PDF of that version downloadable, logged without an actor."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ActivityLog
from knowledge import services
from knowledge.models import PolicyDocument, PolicyKind
from tests_support.factories import PDF_BYTES

pytestmark = pytest.mark.django_db

APPROVED = datetime.date(2025, 9, 15)  # 23/03/1447


def _pdf():
    return SimpleUploadedFile("guide.pdf", PDF_BYTES, content_type="application/pdf")


def _approve(manager, version, meeting="170"):
    return services.policy_version_approve(
        actor=manager,
        version=version,
        approving_body="مجلس الإدارة",
        meeting_number=meeting,
        approval_date=APPROVED,
        effective_date=APPROVED,
    )


@pytest.fixture
def guide(manager):
    """A public guide with a superseded version 1 (with a file) and version 2 in force."""
    document = services.policy_create(
        actor=manager,
        kind=PolicyKind.SUPPORT_POLICY,
        title="دليل سياسة دعم المستفيدين",
        audience="public",
    )
    first = services.policy_version_add(actor=manager, document=document, file=_pdf())
    _approve(manager, first, meeting="150")
    second = services.policy_version_add(
        actor=manager, document=document, file=_pdf(), text="النص الثاني"
    )
    _approve(manager, second)
    services.policy_version_add(actor=manager, document=document, text="مسودة الإصدار الثالث")
    return document


@pytest.fixture
def staff_guide(manager):
    document = services.policy_create(
        actor=manager, kind=PolicyKind.RESEARCH_GUIDE, title="دليل داخلي للباحثين", audience="staff"
    )
    _approve(manager, services.policy_version_add(actor=manager, document=document, file=_pdf()))
    return document


def test_it_lists_public_policies_in_force_with_their_approval(client, guide, staff_guide):
    html = client.get(reverse("portal:policies")).content.decode()
    assert guide.title in html
    assert PolicyDocument.objects.get(kind="relations_policy").title in html
    assert "23/03/1447" in html and "15/09/2025" in html
    assert "170" in html and "مجلس الإدارة" in html
    assert staff_guide.title not in html


def test_it_shows_the_version_in_force_and_never_a_draft(client, guide):
    html = client.get(reverse("portal:policy", args=[guide.public_id])).content.decode()
    assert "النص الثاني" in html
    assert "مسودة الإصدار الثالث" not in html
    assert reverse("portal:policy_file", args=[guide.public_id]) in html


def test_it_serves_the_pdf_in_force_and_logs_it_without_an_actor(client, guide):
    response = client.get(reverse("portal:policy_file", args=[guide.public_id]), {"download": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = ActivityLog.objects.filter(action="knowledge.policy.file_downloaded").get()
    assert entry.actor is None
    assert entry.data["version"] == "2"
    assert entry.data["via"] == "public"


def test_it_answers_404_for_a_staff_policy(client, staff_guide):
    assert client.get(reverse("portal:policy", args=[staff_guide.public_id])).status_code == 404
    assert (
        client.get(reverse("portal:policy_file", args=[staff_guide.public_id])).status_code == 404
    )
    assert not ActivityLog.objects.filter(action__startswith="knowledge.policy.file_").exists()


def test_it_answers_404_for_a_public_policy_without_a_version_in_force(client, manager):
    document = services.policy_create(
        actor=manager, kind=PolicyKind.OTHER, title="سياسة قيد الإعداد", audience="public"
    )
    services.policy_version_add(actor=manager, document=document, file=_pdf())
    assert document.title not in client.get(reverse("portal:policies")).content.decode()
    assert client.get(reverse("portal:policy", args=[document.public_id])).status_code == 404
    assert client.get(reverse("portal:policy_file", args=[document.public_id])).status_code == 404


def test_it_answers_404_for_the_file_of_a_version_without_one(client):
    relations = PolicyDocument.objects.get(kind="relations_policy")
    assert client.get(reverse("portal:policy", args=[relations.public_id])).status_code == 200
    assert client.get(reverse("portal:policy_file", args=[relations.public_id])).status_code == 404


def test_it_rejects_post(client, guide):
    for url in (
        reverse("portal:policies"),
        reverse("portal:policy", args=[guide.public_id]),
        reverse("portal:policy_file", args=[guide.public_id]),
    ):
        assert client.post(url).status_code == 405
