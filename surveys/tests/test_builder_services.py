"""The survey builder's services: drafts are edited, publishing freezes, a new version copies
the questions, one active survey per stage, every write audited and refused to other roles."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from core.models import ActivityLog
from surveys import builder
from surveys.models import Event, Question, QuestionKind, Survey
from tests_support.surveys import InvitationFactory, SurveyFactory, SurveyVersionFactory

pytestmark = pytest.mark.django_db


def _question(actor, version, **kwargs):
    data = {"kind": QuestionKind.CSAT, "text_ar": "ما مدى رضاك؟", "text_en": "", "required": True}
    data.update(kwargs)
    return builder.question_add(actor=actor, version=version, **data)


def test_a_new_survey_is_off_with_an_empty_draft(quality, draft_survey, survey_draft):
    assert not draft_survey.is_active
    assert survey_draft.number == 1 and not survey_draft.is_published
    assert builder.current_version(draft_survey) is None
    assert builder.draft_version(draft_survey) == survey_draft
    entry = ActivityLog.objects.get(action="surveys.survey.created")
    assert entry.actor == quality and entry.data["name"] == "رضا المستفيد عن التسليم"


def test_questions_are_added_in_order_and_audited(quality, survey_draft):
    first = _question(quality, survey_draft)
    second = _question(quality, survey_draft, kind=QuestionKind.NPS, text_ar="هل توصي بنا؟")
    assert (first.position, second.position) == (0, 1)
    assert ActivityLog.objects.filter(action="surveys.question.added").count() == 2


def test_arabic_wording_is_required(quality, survey_draft):
    with pytest.raises(ValidationError) as exc:
        _question(quality, survey_draft, text_ar="   ")
    assert "text_ar" in exc.value.error_dict


def test_choice_options_are_one_per_line_arabic_then_english(quality, survey_draft):
    question = _question(
        quality,
        survey_draft,
        kind=QuestionKind.CHOICE,
        text_ar="كيف علمت بنا؟",
        options=" الهاتف |Phone \n\n الموقع\n",
    )
    assert question.options == "الهاتف | Phone\nالموقع"
    with translation.override("en"):
        assert question.option_list() == [("الهاتف", "Phone"), ("الموقع", "الموقع")]


@pytest.mark.parametrize(
    "options", ["واحد فقط", "| English only\nعربي", "نعم\nنعم | Yes", "أ | A | B\nب"]
)
def test_bad_choice_options_are_refused_at_the_field(quality, survey_draft, options):
    with pytest.raises(ValidationError) as exc:
        _question(quality, survey_draft, kind=QuestionKind.CHOICE, options=options)
    assert "options" in exc.value.error_dict


def test_options_of_other_kinds_are_dropped(quality, survey_draft):
    assert _question(quality, survey_draft, options="نعم | Yes\nلا | No").options == ""


def test_questions_move_up_and_down_and_close_up_on_removal(quality, survey_draft):
    a, _b, c = (_question(quality, survey_draft, text_ar=t) for t in ("أ", "ب", "ج"))
    builder.question_move(actor=quality, question=c, direction="up")
    assert list(survey_draft.questions.values_list("text_ar", flat=True)) == ["أ", "ج", "ب"]
    builder.question_move(actor=quality, question=a, direction="up")  # already first: stays
    builder.question_remove(actor=quality, question=a)
    assert list(survey_draft.questions.values_list("text_ar", "position")) == [("ج", 0), ("ب", 1)]
    builder.question_move(actor=quality, question=c, direction="down")
    assert list(survey_draft.questions.values_list("text_ar", flat=True)) == ["ب", "ج"]
    assert ActivityLog.objects.filter(action="surveys.question.moved").count() == 2
    assert ActivityLog.objects.filter(action="surveys.question.removed").count() == 1


def test_a_version_needs_a_question_to_be_published(quality, survey_draft):
    with pytest.raises(ValidationError):
        builder.version_publish(actor=quality, version=survey_draft)


def test_publishing_freezes_the_version(quality, draft_survey, survey_draft):
    question = _question(quality, survey_draft)
    builder.version_publish(actor=quality, version=survey_draft)
    survey_draft.refresh_from_db()
    assert survey_draft.published_at is not None and survey_draft.published_by == quality
    assert builder.current_version(draft_survey) == survey_draft
    assert builder.draft_version(draft_survey) is None
    for attempt in (
        lambda: _question(quality, survey_draft),
        lambda: builder.question_update(actor=quality, question=question, text_ar="جديد"),
        lambda: builder.question_remove(actor=quality, question=question),
        lambda: builder.question_move(actor=quality, question=question, direction="down"),
        lambda: builder.version_update(actor=quality, version=survey_draft, intro_ar="مقدمة"),
        lambda: builder.version_publish(actor=quality, version=survey_draft),
        lambda: builder.version_discard(actor=quality, version=survey_draft),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.code == "published"
    question.refresh_from_db()
    assert question.text_ar == "ما مدى رضاك؟"
    assert survey_draft.questions.count() == 1
    assert ActivityLog.objects.filter(action="surveys.version.published").count() == 1


def test_a_new_version_copies_the_current_one_and_replaces_it_once_published(
    quality, draft_survey, survey_draft
):
    builder.version_update(actor=quality, version=survey_draft, intro_ar="نسعد برأيك")
    _question(quality, survey_draft, text_ar="الأول")
    _question(quality, survey_draft, kind=QuestionKind.CHOICE, text_ar="الثاني", options="أ\nب")
    builder.version_publish(actor=quality, version=survey_draft)

    second = builder.version_draft_create(actor=quality, survey=draft_survey)
    assert second.number == 2 and second.intro_ar == "نسعد برأيك"
    copied = list(second.questions.values_list("text_ar", "kind", "options", "position"))
    assert copied == [("الأول", "csat", "", 0), ("الثاني", "choice", "أ\nب", 1)]
    with pytest.raises(ValidationError):  # one draft at a time
        builder.version_draft_create(actor=quality, survey=draft_survey)

    builder.question_update(
        actor=quality, question=second.questions.get(position=0), text_ar="المعدّل"
    )
    assert survey_draft.questions.get(position=0).text_ar == "الأول"  # the sent one is untouched
    assert builder.current_version(draft_survey) == survey_draft
    builder.version_publish(actor=quality, version=second)
    assert builder.current_version(draft_survey) == second


def test_a_draft_can_be_discarded(quality, draft_survey, survey_draft):
    _question(quality, survey_draft)
    builder.version_discard(actor=quality, version=survey_draft)
    assert not draft_survey.versions.exists()
    assert not Question.objects.filter(version_id=survey_draft.pk).exists()
    assert ActivityLog.objects.filter(action="surveys.version.discarded").exists()


def test_a_survey_is_switched_on_only_once_published(quality, draft_survey, survey_draft):
    with pytest.raises(ValidationError) as exc:
        builder.survey_update(actor=quality, survey=draft_survey, is_active=True)
    assert exc.value.message_dict["is_active"]
    _question(quality, survey_draft)
    builder.version_publish(actor=quality, version=survey_draft)
    Survey.objects.filter(event=Event.DELIVERY).exclude(pk=draft_survey.pk).update(is_active=False)
    survey = builder.survey_update(actor=quality, survey=draft_survey, is_active=True)
    assert survey.is_active
    entry = ActivityLog.objects.filter(action="surveys.survey.updated").latest("id")
    assert entry.data["fields"] == ["is_active"]


def test_one_active_survey_per_stage_is_said_at_the_field(quality, draft_survey, survey_draft):
    Survey.objects.filter(event=Event.DELIVERY).update(is_active=False)
    other = SurveyFactory(event=Event.DELIVERY, name_ar="الاستبيان الآخر", is_active=True)
    SurveyVersionFactory(survey=other)
    _question(quality, survey_draft)
    builder.version_publish(actor=quality, version=survey_draft)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        builder.survey_update(actor=quality, survey=draft_survey, is_active=True)
    [message] = exc.value.message_dict["is_active"]
    assert "«الاستبيان الآخر» is already active for this stage" in message
    # And the database keeps the rule whatever code writes.
    draft_survey.is_active = True
    with pytest.raises(IntegrityError), transaction.atomic():
        draft_survey.save()


def test_the_stage_is_fixed_once_invitations_went_out(quality, draft_survey, survey_draft):
    _question(quality, survey_draft)
    builder.version_publish(actor=quality, version=survey_draft)
    InvitationFactory(version=survey_draft)
    with pytest.raises(ValidationError) as exc:
        builder.survey_update(actor=quality, survey=draft_survey, event=Event.TICKET)
    assert "event" in exc.value.message_dict
    builder.survey_update(actor=quality, survey=draft_survey, delay_hours=6)
    draft_survey.refresh_from_db()
    assert draft_survey.delay_hours == 6 and draft_survey.event == Event.DELIVERY


def test_an_unchanged_save_logs_nothing(quality, draft_survey):
    builder.survey_update(actor=quality, survey=draft_survey, name_ar=draft_survey.name_ar)
    assert not ActivityLog.objects.filter(action="surveys.survey.updated").exists()


def test_other_roles_cannot_build(officer, manager, admin_user, draft_survey, survey_draft):
    with pytest.raises(PermissionDenied):
        builder.survey_create(actor=officer, name_ar="س", event=Event.TICKET)
    with pytest.raises(PermissionDenied):
        _question(officer, survey_draft)
    with pytest.raises(PermissionDenied):
        builder.version_publish(actor=officer, version=survey_draft)
    # Managers and administrators build too.
    _question(manager, survey_draft)
    _question(admin_user, survey_draft)
    assert survey_draft.questions.count() == 2
