"""A staff member's own results: shown from five answers in the period, to them and to their
manager (a manager of their branch, or of the whole organisation), to nobody else; no page
lists staff side by side."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from core.models import ActivityLog
from surveys import results
from surveys.models import Event
from tests_support.factories import UserFactory
from tests_support.surveys import ResponseFactory, SurveyFactory, SurveyVersionFactory

pytestmark = pytest.mark.django_db

MINE = reverse("surveys:my_results")


@pytest.fixture
def version(db):
    return SurveyVersionFactory(survey=SurveyFactory(event=Event.HOME_VISIT))


def _answers(version, staff, scores):
    for csat in scores:
        ResponseFactory(version=version, csat=csat, staff=staff, branch=staff.branch)


def _staff_url(user):
    return reverse("surveys:staff_results", args=[user.pk])


def _threshold():
    with translation.override("ar"):
        return results.threshold_message()


def test_four_answers_show_only_the_threshold_message(client, representative, version):
    _answers(version, representative, [5, 5, 4, 4])
    client.force_login(representative)
    response = client.get(MINE)
    assert response.status_code == 200
    assert response.context["data"].hidden
    assert response.context["summary_cells"] == [] and response.context["stages"] == []
    assert _threshold() in response.text
    # Not even a download of what the page hides.
    assert client.get(MINE, {"export": "csv"}).status_code == 404


def test_five_answers_show_the_results(client, representative, version):
    _answers(version, representative, [5, 5, 4, 4, 2])
    client.force_login(representative)
    response = client.get(MINE)
    data = response.context["data"]
    assert not data.hidden
    assert (data.summary.n, data.summary.csat, data.summary.satisfied_pct) == (5, 4.0, 80.0)
    assert [g.key for g in data.stages] == [Event.HOME_VISIT]
    assert dict(response.context["summary_cells"])  # the figures, not the message
    assert "4.00" in response.text


def test_the_period_counts_only_its_answers(client, representative, version):
    _answers(version, representative, [5, 5, 4, 4, 2])
    client.force_login(representative)
    last_year = results.Period.this_year().hijri_year - 1
    response = client.get(MINE, {"year": last_year})
    assert response.context["data"].summary.n == 0 and response.context["data"].hidden


def test_answers_about_colleagues_are_not_counted(client, representative, other_rep, version):
    _answers(version, other_rep, [1, 1, 1, 1, 1])
    _answers(version, representative, [5, 5, 5, 5])
    client.force_login(representative)
    assert client.get(MINE).context["data"].summary.n == 4


def test_the_branch_manager_and_the_head_manager_see_one_person(
    client, representative, manager, branch, version
):
    _answers(version, representative, [5, 4, 4, 3, 3])
    jeddah_manager = UserFactory(role=Role.MANAGER, branch=branch)
    for viewer in (jeddah_manager, manager):  # `manager` has no branch: the whole organisation
        client.force_login(viewer)
        response = client.get(_staff_url(representative))
        assert response.status_code == 200
        assert response.context["data"].summary.n == 5
        assert response.context["staff_member"] == representative


def test_the_manager_sees_the_threshold_too(client, representative, manager, version):
    _answers(version, representative, [5, 4, 4, 3])
    client.force_login(manager)
    response = client.get(_staff_url(representative))
    assert response.status_code == 200 and response.context["data"].hidden


def test_nobody_else_sees_a_persons_results(
    client, representative, other_rep, officer, quality, admin_user, other_branch, version
):
    _answers(version, representative, [5, 4, 4, 3, 3])
    other_manager = UserFactory(role=Role.MANAGER, branch=other_branch)
    for viewer in (other_manager, other_rep, officer, quality, admin_user):
        client.force_login(viewer)
        assert client.get(_staff_url(representative)).status_code == 404, viewer
    client.force_login(representative)
    assert client.get(_staff_url(officer)).status_code == 404  # a colleague's
    assert client.get(reverse("surveys:staff_results", args=[999999])).status_code == 404


def test_ones_own_page_under_the_staff_address_is_my_results(client, representative):
    client.force_login(representative)
    assert client.get(_staff_url(representative))["Location"] == MINE


def test_my_results_refuses_post_no_role_and_strangers(client, representative, no_role):
    assert client.get(MINE).status_code == 302
    client.force_login(no_role)
    assert client.get(MINE).status_code == 403
    client.force_login(representative)
    assert client.post(MINE).status_code == 405


def test_the_manager_picks_one_person_from_a_list_without_figures(
    client, representative, other_rep, branch, version
):
    _answers(version, representative, [5, 4, 4, 3, 3])
    jeddah_manager = UserFactory(role=Role.MANAGER, branch=branch)
    client.force_login(jeddah_manager)
    url = reverse("surveys:staff_pick")
    response = client.get(url)
    assert response.status_code == 200
    people = list(response.context["form"].fields["person"].queryset)
    assert representative in people and other_rep not in people  # their branch only
    assert "summary" not in response.context and "4.00" not in response.text
    response = client.get(url, {"person": representative.pk})
    assert response["Location"] == _staff_url(representative)
    # Someone outside the branch cannot be picked.
    assert client.get(url, {"person": other_rep.pk}).status_code == 200


def test_only_managers_pick(client, quality, representative):
    client.force_login(quality)
    assert client.get(reverse("surveys:staff_pick")).status_code == 403
    client.force_login(representative)
    assert client.get(reverse("surveys:staff_pick")).status_code == 403


def test_the_managers_export_is_logged(client, representative, manager, version):
    _answers(version, representative, [5, 4, 4, 3, 3])
    client.force_login(manager)
    response = client.get(_staff_url(representative), {"export": "xlsx"})
    assert response.status_code == 200
    entry = ActivityLog.objects.get(action="surveys.staff_results.exported")
    assert entry.actor == manager and entry.target_id == str(representative.pk)


def test_no_result_groups_by_staff(quality, representative, other_rep, version):
    """The organisation's results have no table by staff member (no league table)."""
    _answers(version, representative, [5, 5, 5, 5, 5])
    _answers(version, other_rep, [1, 1, 1, 1, 1])
    data = results.results_for(quality, results.Filters(period=results.Period.this_year()))
    assert set(data.tables) == {"service", "stage", "channel", "branch", "month"}
    with pytest.raises(ValueError):
        results.groups_by("staff", None, None, data.labels)
