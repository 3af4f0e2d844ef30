import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:compliance")
PDF = reverse("reports:compliance_pdf")


def test_page_lists_every_clause(client, manager, report_data):
    client.force_login(manager)
    response = client.get(PAGE, {"year": "1446"})
    assert response.status_code == 200
    html = response.content.decode()
    for clause in ("P1", "P2", "P3.5", "P4", "P5", "P6.1", "P6.4", "P6.5", "P7"):
        assert f"<bdi>{clause}" in html
    assert "83.3%" in html  # P6.4
    assert "mark-attention" in html and "mark-met" in html
    assert "year=1446" in response.context["pdf_url"]


@pytest.mark.parametrize("url", [PAGE, PDF])
def test_other_roles_are_refused(client, officer, url):
    client.force_login(officer)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [PAGE, PDF])
def test_anonymous_is_sent_to_sign_in(client, url):
    assert client.get(url).status_code == 302


def test_pdf_for_the_board(client, quality, report_data):
    quality.full_name = "Huda Alharbi"
    quality.save()
    client.force_login(quality)
    response = client.get(PDF, {"year": "1446"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="compliance-20240707-20250625.pdf"'
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for clause in ("P1", "P2", "P3.5", "P4", "P5", "P6.1", "P6.2", "P6.3", "P6.4", "P6.5", "P7"):
        assert clause in text
    assert "83.3%" in text
    assert "1446" in text and "2024" in text  # both calendars
    assert "Huda Alharbi" in text  # printed by


def test_pdf_with_bad_filters_shows_the_errors(client, manager):
    client.force_login(manager)
    response = client.get(PDF, {"year": "1300"})
    assert response["Content-Type"].startswith("text/html")
