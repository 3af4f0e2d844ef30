"""The results page and its exports: happy path with the figures, the threshold message in
place of a small group, filters from the query string, htmx partial, exports of every table,
wrong method, wrong role, nobody signed in."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import Role
from surveys import results
from surveys.models import Event
from tests_support.factories import UserFactory
from tests_support.surveys import ResponseFactory, SurveyFactory, SurveyVersionFactory

pytestmark = pytest.mark.django_db

URL = reverse("surveys:results")


@pytest.fixture
def answers(head_office, branch):
    delivery = SurveyVersionFactory(survey=SurveyFactory(event=Event.DELIVERY))
    ticket = SurveyVersionFactory(survey=SurveyFactory(event=Event.TICKET))
    for csat in (5, 4, 4, 3, 1):
        ResponseFactory(version=delivery, csat=csat, branch=head_office)
    for csat in (2, 2):
        ResponseFactory(version=ticket, csat=csat, branch=branch)


def _threshold():
    with translation.override("ar"):
        return results.threshold_message()


def test_the_page_shows_the_figures_and_hides_small_groups(client, quality, answers):
    client.force_login(quality)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["summary"].n == 7
    stage = {t["key"]: t for t in response.context["tables"]}["stage"]
    (delivery, delivery_cells), (ticket, ticket_cells) = stage["groups"]
    assert delivery.key == Event.DELIVERY and dict(delivery_cells)  # figures shown
    assert ticket.key == Event.TICKET and ticket_cells == []  # none for two answers
    assert _threshold() in response.text
    assert "3.40" in response.text  # (5+4+4+3+1)/5


def test_filters_come_from_the_query_string_and_htmx_gets_the_partial(
    client, quality, answers, branch
):
    client.force_login(quality)
    response = client.get(URL, {"branch": branch.pk, "stage": "ticket"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "surveys/staff/_results.html"
    assert response.context["summary"].n == 2 and response.context["summary"].hidden
    # A filter that makes no sense falls back to the defaults rather than failing.
    response = client.get(URL, {"year": "abc", "branch": "999999"})
    assert response.status_code == 200 and response.context["summary"].n == 7


def test_drill_down_links_narrow_to_the_group(client, quality, answers):
    client.force_login(quality)
    stage = {t["key"]: t for t in client.get(URL).context["tables"]}["stage"]
    delivery = stage["groups"][0][0]
    assert "stage=delivery" in delivery.url


@pytest.mark.parametrize("table", ["service", "stage", "channel", "branch", "month"])
def test_every_table_exports_to_csv(client, quality, answers, table):
    client.force_login(quality)
    response = client.get(URL, {"export": "csv", "table": table})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 7
    if table == "stage":
        assert rows[1][:2] == [str(Event.DELIVERY.label), "5"] or rows[1][1] == "5"
        assert rows[2][1] == _threshold() and rows[2][2:] == ["", "", "", "", ""]
        assert rows[-1][1] == "7"  # the total


def test_a_table_exports_to_excel(client, quality, answers):
    client.force_login(quality)
    response = client.get(URL, {"export": "xlsx", "table": "stage"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][1] == 5 and values[1][3] == 3.4
    assert values[2][1] == _threshold()


def test_an_unknown_table_is_not_found(client, quality):
    client.force_login(quality)
    assert client.get(URL, {"export": "csv", "table": "staff"}).status_code == 404


def test_the_page_is_for_quality_managers_and_admins(
    client, quality, manager, admin_user, officer, representative, volunteer
):
    assert client.get(URL).status_code == 302
    for user in (quality, manager, admin_user):
        client.force_login(user)
        assert client.get(URL).status_code == 200
    for user in (officer, representative, volunteer):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    client.force_login(quality)
    assert client.post(URL).status_code == 405


def test_a_branch_manager_has_no_branch_filter(client, answers, branch):
    jeddah = UserFactory(role=Role.MANAGER, branch=branch)
    client.force_login(jeddah)
    response = client.get(URL)
    assert "branch" not in response.context["form"].fields
    assert response.context["summary"].n == 2


def test_the_menu_shows_satisfaction_to_the_quality_officer_only(client, quality, officer):
    link = f'href="{URL}"'
    client.force_login(quality)
    assert link in client.get(reverse("core:home")).text
    client.force_login(officer)
    home = client.get(reverse("core:home")).text
    assert link not in home
    assert f'href="{reverse("surveys:my_results")}"' in home


def test_the_page_reads_a_fixed_number_of_queries(client, quality, answers, branch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assistance.models import AidType

    client.force_login(quality)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few = count()
    version = SurveyVersionFactory(survey=SurveyFactory(event=Event.HOME_VISIT))
    for aid_type in AidType.objects.all()[:6]:
        ResponseFactory(version=version, aid_type=aid_type, branch=branch)
    assert count() == few


def test_a_month_without_a_year_is_this_years(client, quality, answers):
    client.force_login(quality)
    response = client.get(URL, {"month": "1"})
    period = response.context["filters"].period
    assert period.hijri_month == 1
    assert period.hijri_year == results.Period.this_year().hijri_year
