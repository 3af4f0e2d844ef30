"""The builder's screens: happy paths, wrong method (405), wrong role (403), nobody signed in
(to the login page), unknown ids (404), errors said at their field."""

import pytest
from django.urls import reverse
from django.utils import translation

from surveys import builder
from surveys.models import Event, QuestionKind, Survey
from tests_support.surveys import SurveyFactory, SurveyVersionFactory

pytestmark = pytest.mark.django_db


def _add(actor, version, text="ما مدى رضاك؟"):
    return builder.question_add(
        actor=actor, version=version, kind=QuestionKind.CSAT, text_ar=text, required=True
    )


SURVEY_POST = {
    "name_ar": "رضا المراجعين",
    "name_en": "Visitors' satisfaction",
    "event": Event.RECEPTION,
    "delay_hours": "٢",  # Arabic-Indic digits are welcome
    "channel": "sms",
    "reminder_after_hours": "24",
    "valid_days": "7",
    "allow_anonymous": "on",
}


def test_the_list_shows_surveys_with_their_version_and_answers(client, quality, draft_survey):
    client.force_login(quality)
    response = client.get(reverse("surveys:builder"))
    assert response.status_code == 200
    row = next(s for s in response.context["surveys"] if s.pk == draft_survey.pk)
    assert row.current_number is None and row.draft_number == 1 and row.response_count == 0
    assert "رضا المستفيد عن التسليم" in response.text


def test_the_list_refuses_post_other_roles_and_strangers(client, officer):
    url = reverse("surveys:builder")
    assert client.get(url).status_code == 302
    assert reverse("accounts:login") in client.get(url)["Location"]
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    assert client.post(url).status_code == 405


def test_creating_a_survey_opens_its_draft(client, quality):
    client.force_login(quality)
    assert client.get(reverse("surveys:survey_create")).status_code == 200
    response = client.post(reverse("surveys:survey_create"), SURVEY_POST)
    survey = Survey.objects.get(name_ar="رضا المراجعين")
    draft = survey.versions.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:version_detail", args=[draft.pk])
    assert survey.delay_hours == 2 and not survey.is_active


def test_switching_on_a_second_survey_for_a_stage_errs_at_the_field(client, quality):
    Survey.objects.filter(event=Event.RECEPTION).update(is_active=False)
    active = SurveyFactory(event=Event.RECEPTION, is_active=True, name_ar="الاستبيان المفعل")
    SurveyVersionFactory(survey=active)
    other = SurveyFactory(event=Event.RECEPTION)
    SurveyVersionFactory(survey=other)
    client.force_login(quality)
    with translation.override("en"):
        response = client.post(
            reverse("surveys:survey_edit", args=[other.pk]),
            {**SURVEY_POST, "is_active": "on"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    errors = response.context["form"].errors["is_active"]
    assert any("«الاستبيان المفعل» is already active" in e for e in errors)
    other.refresh_from_db()
    assert not other.is_active


def test_a_draft_is_written_and_published_through_the_pages(client, quality, survey_draft):
    client.force_login(quality)
    url = reverse("surveys:version_detail", args=[survey_draft.pk])
    assert client.get(url).status_code == 200
    add = reverse("surveys:question_add", args=[survey_draft.pk])
    response = client.post(add, {"kind": "choice", "text_ar": "كيف علمت بنا؟", "options": ""})
    assert response.status_code == 200 and "options" in response.context["form"].errors
    response = client.post(
        add,
        {"kind": "choice", "text_ar": "كيف علمت بنا؟", "options": "الهاتف | Phone\nالموقع"},
    )
    assert response.status_code == 302
    client.post(add, {"kind": "csat", "text_ar": "ما مدى رضاك؟", "required": "on"})
    first, second = survey_draft.questions.order_by("position")
    client.post(reverse("surveys:question_move", args=[second.pk]), {"direction": "up"})
    assert list(survey_draft.questions.values_list("kind", flat=True)) == ["csat", "choice"]
    response = client.post(
        reverse("surveys:question_edit", args=[first.pk]),
        {"kind": "choice", "text_ar": "من أين عرفتنا؟", "options": "الهاتف\nالموقع"},
    )
    assert response.status_code == 302
    response = client.post(reverse("surveys:version_publish", args=[survey_draft.pk]))
    assert response.status_code == 302
    survey_draft.refresh_from_db()
    assert survey_draft.is_published
    page = client.get(url)
    assert page.context["question_form"] is None  # nothing to add to a published version
    # Editing a published version's question is refused and changes nothing.
    response = client.post(
        reverse("surveys:question_edit", args=[first.pk]),
        {"kind": "text", "text_ar": "تغيير"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text_ar == "من أين عرفتنا؟"
    client.post(reverse("surveys:question_remove", args=[first.pk]))
    assert survey_draft.questions.count() == 2


def test_a_new_version_is_started_from_the_survey_page(client, quality, draft_survey):
    version = draft_survey.versions.get()
    _add(quality, version)
    builder.version_publish(actor=quality, version=version)
    client.force_login(quality)
    response = client.get(reverse("surveys:survey_detail", args=[draft_survey.pk]))
    assert response.status_code == 200 and response.context["current"] == version
    response = client.post(reverse("surveys:version_new", args=[draft_survey.pk]))
    new = builder.draft_version(draft_survey)
    assert new.number == 2 and new.questions.count() == 1
    assert response["Location"] == reverse("surveys:version_detail", args=[new.pk])


def test_publishing_an_empty_draft_says_why(client, quality, survey_draft):
    client.force_login(quality)
    with translation.override("en"):
        response = client.post(
            reverse("surveys:version_publish", args=[survey_draft.pk]),
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    survey_draft.refresh_from_db()
    assert not survey_draft.is_published
    assert "Add at least one question before publishing." in [
        str(m) for m in response.context["messages"]
    ]


def test_builder_actions_refuse_get_other_roles_and_unknown_ids(
    client, quality, officer, survey_draft
):
    question = _add(quality, survey_draft)
    posts = [
        reverse("surveys:version_new", args=[survey_draft.survey_id]),
        reverse("surveys:version_publish", args=[survey_draft.pk]),
        reverse("surveys:version_discard", args=[survey_draft.pk]),
        reverse("surveys:question_remove", args=[question.pk]),
        reverse("surveys:question_move", args=[question.pk]),
    ]
    client.force_login(quality)
    for url in posts:
        assert client.get(url).status_code == 405
    assert client.get(reverse("surveys:survey_detail", args=[999999])).status_code == 404
    assert client.get(reverse("surveys:version_detail", args=[999999])).status_code == 404
    assert client.post(reverse("surveys:question_remove", args=[999999])).status_code == 404
    client.force_login(officer)
    for url in posts:
        assert client.post(url).status_code == 403
    assert client.get(reverse("surveys:survey_create")).status_code == 403
    assert client.get(reverse("surveys:version_detail", args=[survey_draft.pk])).status_code == 403
    assert survey_draft.questions.count() == 1


def test_the_edit_pages_open_for_a_draft(client, quality, survey_draft):
    question = _add(quality, survey_draft)
    client.force_login(quality)
    for name, arg in (
        ("survey_edit", survey_draft.survey_id),
        ("version_edit", survey_draft.pk),
        ("question_add", survey_draft.pk),
        ("question_edit", question.pk),
    ):
        assert client.get(reverse(f"surveys:{name}", args=[arg])).status_code == 200
    response = client.post(
        reverse("surveys:version_edit", args=[survey_draft.pk]), {"intro_ar": "أهلًا بك"}
    )
    assert response.status_code == 302
    survey_draft.refresh_from_db()
    assert survey_draft.intro_ar == "أهلًا بك"


def test_the_admin_shows_surveys_read_only(client, admin_user, draft_survey):
    client.force_login(admin_user)
    assert client.get(reverse("admin:surveys_survey_changelist")).status_code == 200
    page = client.get(reverse("admin:surveys_survey_change", args=[draft_survey.pk]))
    assert page.status_code == 200
    assert reverse("surveys:survey_detail", args=[draft_survey.pk]) in page.text
    assert client.get(reverse("admin:surveys_survey_add")).status_code == 403
