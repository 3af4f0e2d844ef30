"""Building surveys: their settings, their versions and the questions of a draft.

A survey sends its *current version*: the latest published one (`current_version`). Questions
are written in a draft version; publishing freezes it (`published_at`) and from then on it is
never edited, so every answer is read against the wording it answered. To change a published
survey, `version_draft_create` copies the current version's questions into a new draft.

Every service checks `permissions.can_manage_surveys`, runs in one transaction (the version
row is locked while its questions change, so a publication and an edit cannot cross), calls
`full_clean()` and logs a `surveys.survey.*`, `surveys.version.*` or `surveys.question.*`
action (sentences in `surveys.activity`). Nothing here notifies anyone.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.activity import log_action
from surveys import permissions
from surveys.models import (
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyVersion,
)

SURVEY_FIELDS = (
    "name_ar",
    "name_en",
    "event",
    "is_active",
    "allow_anonymous",
    "delay_hours",
    "channel",
    "reminder_after_hours",
    "valid_days",
)
QUESTION_FIELDS = ("kind", "text_ar", "text_en", "options", "required")

MIN_OPTIONS = 2


# --- Reads the dispatcher and the screens share ------------------------------------------


def current_version(survey: Survey) -> SurveyVersion | None:
    """The version `survey` sends: its latest published one, or None before the first."""
    return (
        SurveyVersion.objects.filter(survey=survey, published_at__isnull=False)
        .order_by("-number")
        .first()
    )


def draft_version(survey: Survey) -> SurveyVersion | None:
    """The version being written, if any (a survey has at most one draft at a time)."""
    return (
        SurveyVersion.objects.filter(survey=survey, published_at__isnull=True)
        .order_by("-number")
        .first()
    )


def surveys_overview():
    """Every survey with the number of the version it sends, of its draft, and its answers
    (three subqueries, one query whatever the number of surveys)."""
    versions = SurveyVersion.objects.filter(survey=OuterRef("pk"))
    answers = (
        Response.objects.filter(version__survey=OuterRef("pk"))
        .order_by()
        .values("version__survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Survey.objects.annotate(
        current_number=Subquery(
            versions.filter(published_at__isnull=False).order_by("-number").values("number")[:1]
        ),
        draft_number=Subquery(
            versions.filter(published_at__isnull=True).order_by("-number").values("number")[:1]
        ),
        response_count=Coalesce(Subquery(answers), 0),
    ).order_by("event", "-is_active", "name_ar")


def versions_of(survey: Survey):
    """The survey's versions, newest first, with their question and answer counts."""
    questions = (
        Question.objects.filter(version=OuterRef("pk"))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    answers = (
        Response.objects.filter(version=OuterRef("pk"))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        SurveyVersion.objects.filter(survey=survey)
        .select_related("published_by")
        .annotate(
            question_count=Coalesce(Subquery(questions), 0),
            response_count=Coalesce(Subquery(answers), 0),
        )
        .order_by("-number")
    )


# --- Surveys ------------------------------------------------------------------------------


def _require(actor) -> None:
    if not permissions.can_manage_surveys(actor):
        raise PermissionDenied


def _check_active(survey: Survey) -> None:
    """The rules on switching a survey on, said at the "active" field (the database keeps
    one active survey per event too, `one_active_survey_per_event`)."""
    if not survey.is_active:
        return
    other = Survey.objects.filter(event=survey.event, is_active=True).exclude(pk=survey.pk).first()
    if other is not None:
        raise ValidationError(
            {
                "is_active": _(
                    "The survey «%(name)s» is already active for this stage, and a stage sends "
                    "one survey only. Switch that one off first."
                )
                % {"name": other.name_ar}
            },
            code="one_active",
        )
    if survey.pk is None or current_version(survey) is None:
        raise ValidationError(
            {
                "is_active": _(
                    "A survey sends its published version: publish a version before "
                    "switching the survey on."
                )
            },
            code="no_version",
        )


def _save_survey(survey: Survey) -> None:
    """Save, turning a race past `_check_active` into the same error at the field."""
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError as exc:
        raise ValidationError(
            {
                "is_active": _(
                    "Another survey was switched on for this stage at the same time. "
                    "Reload the page and try again."
                )
            },
            code="one_active",
        ) from exc


@transaction.atomic
def survey_create(*, actor, **fields) -> Survey:
    """A new survey, switched off, with an empty draft version 1 to write its questions in.
    Logs `surveys.survey.created`."""
    _require(actor)
    survey = Survey(created_by=actor, **{k: fields[k] for k in SURVEY_FIELDS if k in fields})
    survey.name_ar = survey.name_ar.strip()
    survey.name_en = survey.name_en.strip()
    if survey.is_active:
        # Nothing is published yet: say so at the field rather than creating it switched off.
        _check_active(survey)
    survey.full_clean()
    _save_survey(survey)
    version = SurveyVersion(survey=survey, number=1)
    version.full_clean()
    version.save()
    log_action(
        actor=actor,
        action="surveys.survey.created",
        target=survey,
        data={"name": survey.name_ar, "event": survey.event},
    )
    return survey


@transaction.atomic
def survey_update(*, actor, survey: Survey, **fields) -> Survey:
    """Change a survey's settings. Its stage cannot change once it has sent invitations (their
    answers are results of that stage); switching it on needs a published version and no other
    active survey for the stage. Logs `surveys.survey.updated` with the changed fields."""
    _require(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    changed = []
    for name in SURVEY_FIELDS:
        if name not in fields:
            continue
        value = fields[name].strip() if isinstance(fields[name], str) else fields[name]
        if getattr(survey, name) != value:
            setattr(survey, name, value)
            changed.append(name)
    if not changed:
        return survey
    if "event" in changed and Invitation.objects.filter(version__survey=survey).exists():
        raise ValidationError(
            {
                "event": _(
                    "This survey has already been sent about its stage, so the stage cannot "
                    "change. Create a new survey for the other stage."
                )
            },
            code="event_used",
        )
    if "is_active" in changed or "event" in changed:
        _check_active(survey)
    survey.full_clean()
    _save_survey(survey)
    log_action(
        actor=actor,
        action="surveys.survey.updated",
        target=survey,
        data={"name": survey.name_ar, "fields": changed, "is_active": survey.is_active},
    )
    return survey


# --- Versions -----------------------------------------------------------------------------


def _locked_draft(version: SurveyVersion) -> SurveyVersion:
    """The version row, locked; refused if it has been published (frozen)."""
    version = SurveyVersion.objects.select_for_update().select_related("survey").get(pk=version.pk)
    if version.is_published:
        raise ValidationError(
            _(
                "Version %(number)s has been published and can no longer be changed. "
                "Start a new version to change the survey."
            )
            % {"number": version.number},
            code="published",
        )
    return version


def _version_data(version: SurveyVersion, **extra) -> dict:
    return {"name": version.survey.name_ar, "number": version.number, **extra}


@transaction.atomic
def version_draft_create(*, actor, survey: Survey) -> SurveyVersion:
    """A new draft numbered after the last version, with a copy of the current version's
    introduction and questions (or empty before the first publication). Refused while a draft
    exists: there is one draft at a time. Logs `surveys.version.drafted`."""
    _require(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if draft_version(survey) is not None:
        raise ValidationError(
            _("This survey already has a draft version: edit it, or discard it first."),
            code="draft_exists",
        )
    source = current_version(survey)
    last = survey.versions.aggregate(n=Max("number"))["n"] or 0
    version = SurveyVersion(
        survey=survey,
        number=last + 1,
        intro_ar=source.intro_ar if source else "",
        intro_en=source.intro_en if source else "",
    )
    version.full_clean()
    version.save()
    if source is not None:
        Question.objects.bulk_create(
            Question(
                version=version,
                position=position,
                kind=q.kind,
                text_ar=q.text_ar,
                text_en=q.text_en,
                options=q.options,
                required=q.required,
            )
            for position, q in enumerate(source.questions.order_by("position", "id"))
        )
    log_action(
        actor=actor,
        action="surveys.version.drafted",
        target=version,
        subject=survey,
        data=_version_data(version, copied_from=source.number if source else None),
    )
    return version


@transaction.atomic
def version_update(*, actor, version: SurveyVersion, intro_ar: str, intro_en: str = ""):
    """Edit a draft's introduction (shown above the questions). Logs
    `surveys.version.updated`."""
    _require(actor)
    version = _locked_draft(version)
    version.intro_ar = (intro_ar or "").strip()
    version.intro_en = (intro_en or "").strip()
    version.full_clean()
    version.save(update_fields=["intro_ar", "intro_en"])
    log_action(
        actor=actor,
        action="surveys.version.updated",
        target=version,
        subject=version.survey,
        data=_version_data(version),
    )
    return version


@transaction.atomic
def version_discard(*, actor, version: SurveyVersion) -> None:
    """Delete a draft and its questions (nothing was ever sent with it). Logs
    `surveys.version.discarded` on the survey."""
    _require(actor)
    version = _locked_draft(version)
    survey = version.survey
    data = _version_data(version)
    version.questions.all().delete()
    version.delete()
    log_action(actor=actor, action="surveys.version.discarded", target=survey, data=data)


@transaction.atomic
def version_publish(*, actor, version: SurveyVersion) -> SurveyVersion:
    """Freeze a draft: from now on it is the version the survey sends (if the survey is
    active), and it is never edited again. It needs at least one question, and its choice
    questions their options. Logs `surveys.version.published`."""
    _require(actor)
    version = _locked_draft(version)
    questions = list(version.questions.all())
    if not questions:
        raise ValidationError(
            _("Add at least one question before publishing."), code="no_questions"
        )
    for question in questions:
        question.full_clean()
    version.published_at = timezone.now()
    version.published_by = actor
    version.full_clean()
    version.save(update_fields=["published_at", "published_by"])
    log_action(
        actor=actor,
        action="surveys.version.published",
        target=version,
        subject=version.survey,
        data=_version_data(version, questions=len(questions)),
    )
    return version


# --- Questions of a draft -----------------------------------------------------------------


def parse_options(text: str) -> list[tuple[str, str]]:
    """The options of a choice question as typed, one per line, "عربي | English" (the English
    part optional); blank lines are skipped. Raises ValidationError at `options`."""
    options = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        arabic, _sep, english = line.partition("|")
        arabic, english = arabic.strip(), english.strip()
        if not arabic:
            raise ValidationError(
                {
                    "options": _(
                        "Line %(line)s has no Arabic wording: write each option as "
                        "«عربي | English»."
                    )
                    % {"line": number}
                },
                code="option_arabic",
            )
        if "|" in english:
            raise ValidationError(
                {
                    "options": _("Line %(line)s has more than one «|».") % {"line": number},
                },
                code="option_bars",
            )
        options.append((arabic, english))
    arabic_values = [arabic for arabic, _english in options]
    if len(set(arabic_values)) != len(arabic_values):
        raise ValidationError(
            {"options": _("Two options have the same Arabic wording.")}, code="option_twice"
        )
    return options


def _clean_question_fields(fields: dict) -> dict:
    """Strip the wording; a choice question's options normalised to "عربي | English" lines
    (at least two), any other kind's options emptied."""
    data = {k: fields[k] for k in QUESTION_FIELDS if k in fields}
    for name in ("text_ar", "text_en"):
        if name in data:
            data[name] = (data[name] or "").strip()
    if data.get("kind") == QuestionKind.CHOICE:
        options = parse_options(data.get("options", ""))
        if len(options) < MIN_OPTIONS:
            raise ValidationError(
                {"options": _("A choice question needs at least two options, one per line.")},
                code="options_few",
            )
        data["options"] = "\n".join(f"{ar} | {en}" if en else ar for ar, en in options)
    elif "kind" in data:
        data["options"] = ""
    return data


def _question_log(actor, action: str, question: Question, version: SurveyVersion) -> None:
    log_action(
        actor=actor,
        action=action,
        target=version,
        subject=version.survey,
        data=_version_data(version, text=question.text_ar, kind=question.kind),
    )


@transaction.atomic
def question_add(*, actor, version: SurveyVersion, **fields) -> Question:
    """A question at the end of a draft. Arabic wording required, English optional; a choice
    question has at least two options. Logs `surveys.question.added`."""
    _require(actor)
    version = _locked_draft(version)
    data = _clean_question_fields(fields)
    last = version.questions.aggregate(n=Max("position"))["n"]
    question = Question(version=version, position=0 if last is None else last + 1, **data)
    question.full_clean()
    question.save()
    _question_log(actor, "surveys.question.added", question, version)
    return question


@transaction.atomic
def question_update(*, actor, question: Question, **fields) -> Question:
    """Change a draft's question (kind, wording, options, required). Logs
    `surveys.question.updated`."""
    _require(actor)
    version = _locked_draft(question.version)
    question = Question.objects.get(pk=question.pk, version=version)
    data = _clean_question_fields({"kind": question.kind, **fields})
    changed = [name for name, value in data.items() if getattr(question, name) != value]
    if not changed:
        return question
    for name in changed:
        setattr(question, name, data[name])
    question.full_clean()
    question.save()
    _question_log(actor, "surveys.question.updated", question, version)
    return question


@transaction.atomic
def question_remove(*, actor, question: Question) -> None:
    """Remove a question from a draft; the others close up. Logs `surveys.question.removed`."""
    _require(actor)
    version = _locked_draft(question.version)
    question = Question.objects.get(pk=question.pk, version=version)
    question.delete()
    _renumber(version)
    _question_log(actor, "surveys.question.removed", question, version)


@transaction.atomic
def question_move(*, actor, question: Question, direction: str) -> Question:
    """Move a draft's question one place "up" (earlier) or "down" (later); at either end it
    stays. Logs `surveys.question.moved`."""
    _require(actor)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a question up or down."), code="direction")
    version = _locked_draft(question.version)
    ordered = _renumber(version)
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return ordered[index]
    first, second = ordered[index], ordered[other]
    first.position, second.position = second.position, first.position
    Question.objects.bulk_update([first, second], ["position"])
    _question_log(actor, "surveys.question.moved", first, version)
    return first


def _renumber(version: SurveyVersion) -> list[Question]:
    """Positions 0, 1, 2… in the present order (closes gaps left by a removal)."""
    ordered = list(version.questions.order_by("position", "id"))
    stale = []
    for position, question in enumerate(ordered):
        if question.position != position:
            question.position = position
            stale.append(question)
    if stale:
        Question.objects.bulk_update(stale, ["position"])
    return ordered
