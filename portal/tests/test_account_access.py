"""Every page of the beneficiary's own area: signed out → sign-in, wrong method → 405,
another beneficiary's document → 404 (the IDOR sweep of this area)."""

import pytest
from django.urls import reverse

from tests_support.factories import make_document

pytestmark = pytest.mark.django_db

GET_ONLY = ["profile", "documents", "notifications", "my_data_json", "my_data_pdf"]
GET_POST = ["correction", "document_new", "my_data"]


def test_signed_out_visitors_are_sent_to_sign_in(client, officer, applicant):
    document = make_document(officer, applicant)
    urls = [reverse(f"portal:{name}") for name in GET_ONLY + GET_POST]
    urls.append(reverse("portal:document_file", args=[document.public_id]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("portal:login")), url
        assert "next=" in response.url


def test_wrong_methods_are_refused(portal_client, officer, applicant):
    document = make_document(officer, applicant)
    for name in GET_ONLY:
        assert portal_client.post(reverse(f"portal:{name}")).status_code == 405, name
    for name in GET_POST:
        assert portal_client.put(reverse(f"portal:{name}")).status_code == 405, name
    url = reverse("portal:document_file", args=[document.public_id])
    assert portal_client.post(url).status_code == 405


def test_another_beneficiary_s_document_is_not_found(portal_client, officer, other_applicant):
    theirs = make_document(officer, other_applicant)
    response = portal_client.get(reverse("portal:document_file", args=[theirs.public_id]))
    assert response.status_code == 404


def test_pages_are_never_cached(portal_client):
    for name in ("profile", "documents", "notifications", "my_data"):
        response = portal_client.get(reverse(f"portal:{name}"))
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
