"""What beneficiaries wrote: masked again, without names or anything tying a comment to its
writer, paged, filtered, exported with a log row."""

import csv
import io

import pytest
from django.urls import reverse

from core.models import ActivityLog
from surveys.models import Event, InvitationStatus
from tests_support.surveys import (
    InvitationFactory,
    ResponseFactory,
    SurveyFactory,
    SurveyVersionFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("surveys:comments")


@pytest.fixture
def comments(beneficiary, representative):
    version = SurveyVersionFactory(survey=SurveyFactory(event=Event.DELIVERY))
    invitation = InvitationFactory(
        version=version,
        beneficiary=beneficiary,
        status=InvitationStatus.ANSWERED,
        staff=representative,
        subject_reference="REQ-1447-000777",
    )
    # Stored before the masking rule knew Arabic-Indic digits, say: masked again at display.
    ResponseFactory(
        version=version,
        invitation=invitation,
        csat=1,
        comment="رقمي ٠٥٥١٢٣٤٥٦٧ والتسليم تأخر",
    )
    ResponseFactory(version=version, csat=5, comment="شكرا لكم", anonymous=True)
    ResponseFactory(version=version, csat=4, comment="")
    return version


def test_comments_are_listed_masked_and_without_identity(
    client, quality, comments, beneficiary, representative
):
    client.force_login(quality)
    response = client.get(URL)
    assert response.status_code == 200
    texts = [c.text for c in response.context["page"].object_list]
    assert len(texts) == 2 and "شكرا لكم" in texts
    assert "٠٥٥١٢٣٤٥٦٧" not in response.text and "0551234567" not in response.text
    assert "********67" in response.text
    for secret in (
        beneficiary.full_name,
        beneficiary.first_name,
        "REQ-1447-000777",
        str(beneficiary.public_id),
        representative.display_name,
    ):
        assert secret not in response.text.split('id="main"')[1]


def test_comments_are_filtered_by_satisfaction(client, quality, comments):
    client.force_login(quality)
    response = client.get(URL, {"band": "low"})
    assert [c.csat for c in response.context["page"].object_list] == [1]
    response = client.get(URL, {"band": "high"}, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "surveys/staff/_comments.html"
    assert [c.csat for c in response.context["page"].object_list] == [5]


def test_comments_are_paged(client, quality, comments, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "PAGE_SIZE": 1}
    client.force_login(quality)
    first = client.get(URL)
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(URL, {"page": 2})
    assert second.context["page"].object_list[0].text != first.context["page"].object_list[0].text


def test_the_export_is_masked_and_logged(client, quality, comments):
    client.force_login(quality)
    response = client.get(URL, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert all(
        "0551234567" not in cell and "٠٥٥١٢٣٤٥٦٧" not in cell for row in rows for cell in row
    )
    entry = ActivityLog.objects.get(action="surveys.comments.exported")
    assert entry.actor == quality and entry.data["rows"] == 2


def test_comments_are_for_the_quality_team(client, officer, representative, quality):
    assert client.get(URL).status_code == 302
    for user in (officer, representative):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    client.force_login(quality)
    assert client.post(URL).status_code == 405
