"""The quality officer's screens: building surveys, results (and a staff member's own),
comments, follow-ups of low scores and improvement actions. Each view: load (404 outside the
user's scope), check the permission (403 for another role, sign-in for nobody), call a
service, render; htmx requests get the named partial of the same screen."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaries.selectors import beneficiaries_for
from core import activity
from core.decorators import role_required
from core.exports import requested_format, table_response
from core.forms import add_service_errors, flash_errors
from core.listing import paginate
from core.text import mask_personal
from surveys import builder, permissions, quality, results
from surveys.models import (
    ActionStatus,
    FollowUpStatus,
    Question,
    Survey,
    SurveyVersion,
)
from surveys.staff_forms import (
    ActionForm,
    ActionStatusForm,
    AssignForm,
    CloseForm,
    ContactedForm,
    LinkForm,
    MoveForm,
    PeriodForm,
    QuestionForm,
    ResultsFilterForm,
    StaffPickForm,
    SurveyForm,
    VersionIntroForm,
)

EXPORT_COMMENTS_LIMIT = 5000  # rows a comments export may hold


def _page_size() -> int:
    return settings.MUSTAFID["PAGE_SIZE"]


# --- Builder ------------------------------------------------------------------------------


@require_GET
@role_required(permissions.can_manage_surveys)
def builder_list(request):
    context = {"surveys": list(builder.surveys_overview()), "title": _("Surveys")}
    return render(request, "surveys/staff/builder_list.html", context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_surveys)
def survey_create(request):
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = builder.survey_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The survey has been created. Write its questions, then publish.")
            )
            return redirect("surveys:version_detail", version_id=builder.draft_version(survey).pk)
    return render(
        request, "surveys/staff/survey_form.html", {"form": form, "title": _("New survey")}
    )


@require_GET
@role_required(permissions.can_manage_surveys)
def survey_detail(request, survey_id):
    survey = get_object_or_404(Survey.objects.select_related("created_by"), pk=survey_id)
    versions = list(builder.versions_of(survey))
    current = next((v for v in versions if v.is_published), None)
    draft = next((v for v in versions if not v.is_published), None)
    context = {
        "survey": survey,
        "versions": versions,
        "current": current,
        "draft": draft,
        "timeline": list(activity.entries_for(survey, limit=30)),
        "title": survey.name,
    }
    return render(request, "surveys/staff/survey_detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_surveys)
def survey_edit(request, survey_id):
    survey = get_object_or_404(Survey, pk=survey_id)
    form = SurveyForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            builder.survey_update(actor=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("surveys:survey_detail", survey_id=survey.pk)
    context = {"form": form, "survey": survey, "title": _("Survey settings")}
    return render(request, "surveys/staff/survey_form.html", context)


@require_POST
@role_required(permissions.can_manage_surveys)
def version_new(request, survey_id):
    survey = get_object_or_404(Survey, pk=survey_id)
    try:
        version = builder.version_draft_create(actor=request.user, survey=survey)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("surveys:survey_detail", survey_id=survey.pk)
    messages.success(
        request,
        _("Version %(number)s is a draft: change it, then publish it.")
        % {"number": version.number},
    )
    return redirect("surveys:version_detail", version_id=version.pk)


def _version(version_id) -> SurveyVersion:
    return get_object_or_404(
        SurveyVersion.objects.select_related("survey", "published_by"), pk=version_id
    )


@require_GET
@role_required(permissions.can_manage_surveys)
def version_detail(request, version_id):
    version = _version(version_id)
    questions = list(version.questions.order_by("position", "id"))
    context = {
        "version": version,
        "survey": version.survey,
        "questions": questions,
        "current": builder.current_version(version.survey),
        "question_form": None if version.is_published else QuestionForm(),
        "title": _("%(survey)s — version %(number)s")
        % {"survey": version.survey.name, "number": version.number},
    }
    return render(request, "surveys/staff/version_detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_surveys)
def version_edit(request, version_id):
    version = _version(version_id)
    if version.is_published:
        messages.error(request, _("A published version cannot be changed."))
        return redirect("surveys:version_detail", version_id=version.pk)
    initial = {"intro_ar": version.intro_ar, "intro_en": version.intro_en}
    form = VersionIntroForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            builder.version_update(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("surveys:version_detail", version_id=version.pk)
    context = {"form": form, "version": version, "title": _("Introduction")}
    return render(request, "surveys/staff/version_form.html", context)


@require_POST
@role_required(permissions.can_manage_surveys)
def version_publish(request, version_id):
    version = _version(version_id)
    try:
        builder.version_publish(actor=request.user, version=version)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("surveys:version_detail", version_id=version.pk)
    if version.survey.is_active:
        messages.success(
            request,
            _("Version %(number)s is published and is now the one sent.")
            % {"number": version.number},
        )
    else:
        messages.success(
            request,
            _("Version %(number)s is published. Switch the survey on to start sending it.")
            % {"number": version.number},
        )
    return redirect("surveys:survey_detail", survey_id=version.survey_id)


@require_POST
@role_required(permissions.can_manage_surveys)
def version_discard(request, version_id):
    version = _version(version_id)
    try:
        builder.version_discard(actor=request.user, version=version)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("surveys:version_detail", version_id=version.pk)
    messages.success(request, _("The draft has been discarded."))
    return redirect("surveys:survey_detail", survey_id=version.survey_id)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_surveys)
def question_add(request, version_id):
    version = _version(version_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            builder.question_add(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The question has been added."))
            return redirect("surveys:version_detail", version_id=version.pk)
    context = {"form": form, "version": version, "title": _("New question")}
    return render(request, "surveys/staff/question_form.html", context)


def _question(question_id) -> Question:
    return get_object_or_404(Question.objects.select_related("version__survey"), pk=question_id)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_surveys)
def question_edit(request, question_id):
    question = _question(question_id)
    version = question.version
    if version.is_published:
        messages.error(request, _("A published version cannot be changed."))
        return redirect("surveys:version_detail", version_id=version.pk)
    form = QuestionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            builder.question_update(actor=request.user, question=question, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("surveys:version_detail", version_id=version.pk)
    context = {"form": form, "version": version, "question": question, "title": _("Edit question")}
    return render(request, "surveys/staff/question_form.html", context)


@require_POST
@role_required(permissions.can_manage_surveys)
def question_remove(request, question_id):
    question = _question(question_id)
    try:
        builder.question_remove(actor=request.user, question=question)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The question has been removed."))
    return redirect("surveys:version_detail", version_id=question.version_id)


@require_POST
@role_required(permissions.can_manage_surveys)
def question_move(request, question_id):
    question = _question(question_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Move a question up or down."))
    else:
        try:
            builder.question_move(
                actor=request.user, question=question, direction=form.cleaned_data["direction"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
    return redirect(
        reverse("surveys:version_detail", kwargs={"version_id": question.version_id})
        + f"#q-{question.pk}"
    )


# --- Results ------------------------------------------------------------------------------

TABLE_TITLES = {
    "service": lambda: _("By service"),
    "stage": lambda: _("By process stage"),
    "channel": lambda: _("By channel"),
    "branch": lambda: _("By branch"),
    "month": lambda: _("By Hijri month"),
}
TABLE_FIRST = {
    "service": lambda: _("Service"),
    "stage": lambda: _("Stage"),
    "channel": lambda: _("Channel"),
    "branch": lambda: _("Branch"),
    "month": lambda: _("Month"),
}


def _drill_urls(name: str, groups, filters: results.Filters, dimension: str) -> None:
    """Each group's link narrows the page to it (service, stage, channel, branch)."""
    base = filters.as_query()
    for group in groups:
        params = dict(base)
        if dimension == "service":
            kind, value = group.key
            params.pop("aid_type", None)
            params.pop("stage", None)
            params["aid_type" if kind == "aid" else "stage"] = str(value)
        elif dimension == "stage":
            params["stage"] = group.key
        elif dimension in ("channel", "branch") and group.key is not None:
            params[dimension] = str(group.key)
        else:
            continue
        group.url = f"{reverse(name)}?{urlencode(params)}"


def _cells(stats: results.Stats) -> list[tuple[str, str]]:
    """(column, figure) pairs of a table row; empty for a group under the threshold."""
    if stats.hidden:
        return []
    return list(zip(results.table_headers("")[1:], results.display_row(stats), strict=True))


def _export_table(*, title: str, first: str, groups, filename: str, fmt: str, summary=None):
    rows = [results.export_row(g.label, g.stats) for g in groups]
    if summary is not None:
        rows.append(results.export_row(_("All"), summary))
    return table_response(
        filename=filename,
        title=title,
        headers=results.table_headers(first),
        rows=rows,
        fmt=fmt,
    )


@require_GET
@role_required(permissions.can_view_results)
def results_page(request):
    user = request.user
    labels = results.Labels.load()
    form = ResultsFilterForm(request.GET or None, user=user, labels=labels)
    filters = form.filters()
    data = results.results_for(user, filters, labels=labels)
    fmt = requested_format(request)
    if fmt:
        table = request.GET.get("table", "")
        if table not in TABLE_TITLES:
            raise Http404
        title = f"{TABLE_TITLES[table]()} — {filters.period.label}"
        return _export_table(
            title=title,
            first=TABLE_FIRST[table](),
            groups=data.tables[table],
            filename=_("Satisfaction %(table)s %(period)s")
            % {"table": TABLE_TITLES[table](), "period": filters.period.label},
            fmt=fmt,
            summary=data.summary if table != "month" else None,
        )
    for dimension in ("service", "stage", "channel", "branch"):
        _drill_urls("surveys:results", data.tables[dimension], filters, dimension)
    tables = [
        {
            "key": key,
            "title": TABLE_TITLES[key](),
            "first": TABLE_FIRST[key](),
            "groups": [(g, _cells(g.stats)) for g in data.tables[key]],
            "bars": results.bar_chart(data.tables[key]) if key != "month" else None,
            "export": urlencode({**filters.as_query(), "table": key}),
        }
        for key in ("service", "stage", "channel", "branch", "month")
    ]
    context = {
        "form": form,
        "filters": filters,
        "summary": data.summary,
        "tables": tables,
        "trend": results.trend_chart(data.tables["month"]),
        "headers": results.table_headers(""),
        "threshold": results.threshold_message(),
        "min_group": results.min_group(),
        "query": urlencode(filters.as_query()),
        "can_build": permissions.can_manage_surveys(user),
        "can_pick_staff": permissions.can_pick_staff_results(user),
        "title": _("Satisfaction results"),
    }
    template = "surveys/staff/_results.html" if request.htmx else "surveys/staff/results.html"
    return render(request, template, context)


@require_GET
@role_required(permissions.can_view_results)
def comments_page(request):
    user = request.user
    labels = results.Labels.load()
    form = ResultsFilterForm(request.GET or None, user=user, labels=labels)
    filters = form.filters()
    band = form.selected_band()
    qs = results.comments_for(user, filters, band)
    fmt = requested_format(request)
    if fmt:
        rows = results.comment_rows(qs[:EXPORT_COMMENTS_LIMIT])
        # What beneficiaries wrote is theirs even masked and unsigned: the export is logged.
        activity.log_action(
            actor=user,
            action="surveys.comments.exported",
            target=user,
            data={"format": fmt, "rows": len(rows), "period": filters.period.label},
        )
        return table_response(
            filename=_("Survey comments %(period)s") % {"period": filters.period.label},
            title=_("Comments"),
            headers=[
                _("Month"),
                _("Stage"),
                _("Service"),
                _("Branch"),
                _("Channel"),
                _("Satisfaction"),
                _("Likelihood to recommend"),
                _("Ease"),
                _("Comment"),
            ],
            rows=[
                [c.month, c.stage, c.service, c.branch, c.channel, c.csat, c.nps, c.effort, c.text]
                for c in rows
            ],
            fmt=fmt,
        )
    page = paginate(request, qs, _page_size())
    page.object_list = results.comment_rows(page.object_list)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "export": urlencode({**filters.as_query(), **({"band": band} if band else {})}),
        "title": _("What beneficiaries wrote"),
    }
    template = "surveys/staff/_comments.html" if request.htmx else "surveys/staff/comments.html"
    return render(request, template, context)


def _staff_page(request, staff_member, *, own: bool):
    form = PeriodForm(request.GET or None)
    period = form.period()
    data = results.staff_results(staff_member, period)
    fmt = requested_format(request)
    if fmt:
        if data.hidden:
            raise Http404
        activity.log_action(
            actor=request.user,
            action="surveys.staff_results.exported",
            target=staff_member,
            data={"format": fmt, "person": staff_member.display_name, "period": period.label},
        )
        return _export_table(
            title=_("Results of %(name)s") % {"name": staff_member.display_name},
            first=_("Stage"),
            groups=data.stages,
            filename=_("Satisfaction %(name)s %(period)s")
            % {"name": staff_member.display_name, "period": period.label},
            fmt=fmt,
            summary=data.summary,
        )
    query = {}
    if period.is_hijri:
        query["year"] = period.hijri_year
        if period.hijri_month:
            query["month"] = period.hijri_month
    else:
        query = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
    context = {
        "form": form,
        "period": period,
        "data": data,
        "own": own,
        "staff_member": staff_member,
        "summary_cells": _cells(data.summary),
        "stages": [(g, _cells(g.stats)) for g in data.stages],
        "months": [(g, _cells(g.stats)) for g in data.months],
        "stage_bars": results.bar_chart(data.stages),
        "trend": results.trend_chart(data.months) if data.months else None,
        "headers": results.table_headers(""),
        "threshold": results.threshold_message(),
        "min_group": results.min_group(),
        "export": urlencode(query),
        "can_view_results": permissions.can_view_results(request.user),
        "title": _("My results")
        if own
        else _("Results of %(name)s") % {"name": staff_member.display_name},
    }
    return render(request, "surveys/staff/staff_results.html", context)


@require_GET
@role_required(permissions.is_staff_member)
def my_results(request):
    return _staff_page(request, request.user, own=True)


@require_GET
@role_required(permissions.can_pick_staff_results)
def staff_pick(request):
    staff = results.staff_in_scope(request.user).exclude(pk=request.user.pk)
    form = StaffPickForm(request.GET or None, staff=staff)
    if request.GET and form.is_valid():
        return redirect("surveys:staff_results", user_id=form.cleaned_data["person"].pk)
    context = {
        "form": form,
        "min_group": results.min_group(),
        "title": _("A staff member's results"),
    }
    return render(request, "surveys/staff/staff_pick.html", context)


@require_GET
@role_required(permissions.is_staff_member)
def staff_results_page(request, user_id):
    staff_member = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if not permissions.can_view_staff_results(request.user, staff_member):
        raise Http404
    if staff_member.pk == request.user.pk:
        return redirect("surveys:my_results")
    return _staff_page(request, staff_member, own=False)


# --- Follow-ups ---------------------------------------------------------------------------

FOLLOW_UP_VIEWS = ("open", "mine", "overdue", "closed")


def _follow_up_list(user, view: str) -> QuerySet:
    qs = quality.follow_ups_for(user)
    today = timezone.localdate()
    if view == "mine":
        return qs.filter(owner=user, status__in=quality.OPEN_FOLLOW_UP)
    if view == "overdue":
        return qs.filter(status__in=quality.OPEN_FOLLOW_UP, due_on__lt=today)
    if view == "closed":
        return qs.filter(status=FollowUpStatus.CLOSED).order_by("-closed_at", "-id")
    return qs.filter(status__in=quality.OPEN_FOLLOW_UP)


@require_GET
@role_required(permissions.can_handle_follow_ups)
def follow_up_list(request):
    view = request.GET.get("view", "open")
    view = view if view in FOLLOW_UP_VIEWS else "open"
    page = paginate(request, _follow_up_list(request.user, view), _page_size())
    today = timezone.localdate()
    for follow_up in page.object_list:
        follow_up.overdue = quality.follow_up_is_overdue(follow_up, today)
    context = {"page": page, "view": view, "title": _("Follow-ups of low scores")}
    template = (
        "surveys/staff/_follow_up_rows.html" if request.htmx else "surveys/staff/follow_ups.html"
    )
    return render(request, template, context)


def _open_actions(user):
    return quality.actions_for(user).filter(status__in=quality.OPEN_ACTION)


@require_GET
@role_required(permissions.can_handle_follow_ups)
def follow_up_detail(request, public_id):
    user = request.user
    follow_up = quality.follow_up_get(user, public_id)
    response = follow_up.response
    invitation = response.invitation
    beneficiary = invitation.beneficiary if invitation else None
    can_open_file = bool(beneficiary and beneficiaries_for(user).filter(pk=beneficiary.pk).exists())
    is_open = follow_up.status != FollowUpStatus.CLOSED
    actions = _open_actions(user)
    context = {
        "follow_up": follow_up,
        "response": response,
        "invitation": invitation,
        "beneficiary": beneficiary if can_open_file else None,
        "comment": mask_personal(response.comment),
        "overdue": quality.follow_up_is_overdue(follow_up),
        "service": response.aid_type.name if response.aid_type_id else response.get_event_display(),
        "assign_form": AssignForm(handlers=quality.handlers()) if is_open else None,
        "contacted_form": ContactedForm() if is_open and invitation else None,
        "close_form": CloseForm(actions=actions) if is_open else None,
        "link_form": LinkForm(actions=actions, initial={"action": follow_up.action_id}),
        "timeline": list(activity.entries_for(follow_up, limit=30)),
        "title": _("Follow-up"),
    }
    return render(request, "surveys/staff/follow_up_detail.html", context)


def _back(follow_up):
    return redirect("surveys:follow_up_detail", public_id=follow_up.public_id)


@require_POST
@role_required(permissions.can_handle_follow_ups)
def follow_up_assign(request, public_id):
    user = request.user
    follow_up = quality.follow_up_get(user, public_id)
    if request.POST.get("take"):
        owner = user
    else:
        form = AssignForm(request.POST, handlers=quality.handlers())
        if not form.is_valid():
            messages.error(request, _("Choose who takes the follow-up."))
            return _back(follow_up)
        owner = form.cleaned_data["owner"]
    try:
        quality.follow_up_assign(actor=user, follow_up=follow_up, owner=owner)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, _("The follow-up is now with %(name)s.") % {"name": owner.display_name}
        )
    return _back(follow_up)


@require_POST
@role_required(permissions.can_handle_follow_ups)
def follow_up_contacted(request, public_id):
    follow_up = quality.follow_up_get(request.user, public_id)
    form = ContactedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what the person said."))
        return _back(follow_up)
    try:
        quality.follow_up_contacted(
            actor=request.user, follow_up=follow_up, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The call has been recorded."))
    return _back(follow_up)


@require_POST
@role_required(permissions.can_handle_follow_ups)
def follow_up_close(request, public_id):
    user = request.user
    follow_up = quality.follow_up_get(user, public_id)
    form = CloseForm(request.POST, actions=_open_actions(user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(follow_up)
    try:
        quality.follow_up_close(
            actor=user,
            follow_up=follow_up,
            outcome=form.cleaned_data["outcome"],
            action=form.cleaned_data["action"],
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The follow-up is closed."))
    return _back(follow_up)


@require_POST
@role_required(permissions.can_handle_follow_ups)
def follow_up_link(request, public_id):
    user = request.user
    follow_up = quality.follow_up_get(user, public_id)
    form = LinkForm(request.POST, actions=_open_actions(user))
    if not form.is_valid():
        messages.error(request, _("Choose an improvement action that is still open."))
        return _back(follow_up)
    action = form.cleaned_data["action"]
    quality.follow_up_link_action(actor=user, follow_up=follow_up, action=action)
    messages.success(
        request,
        _("The follow-up is linked to «%(title)s».") % {"title": action.title}
        if action
        else _("The follow-up is no longer linked to an action."),
    )
    return _back(follow_up)


# --- Improvement actions ------------------------------------------------------------------

ACTION_VIEWS = ("open", "overdue", "done", "all")


@require_GET
@role_required(permissions.can_manage_actions)
def action_list(request):
    view = request.GET.get("view", "open")
    view = view if view in ACTION_VIEWS else "open"
    qs = quality.actions_for(request.user)
    today = timezone.localdate()
    if view == "open":
        qs = qs.filter(status__in=quality.OPEN_ACTION)
    elif view == "overdue":
        qs = qs.filter(status__in=quality.OPEN_ACTION, due_on__lt=today)
    elif view == "done":
        qs = qs.filter(status=ActionStatus.DONE).order_by("-done_at", "-id")
    page = paginate(request, qs, _page_size())
    for action in page.object_list:
        action.overdue = quality.action_is_overdue(action, today)
    context = {"page": page, "view": view, "title": _("Improvement actions")}
    template = "surveys/staff/_action_rows.html" if request.htmx else "surveys/staff/actions.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_actions)
def action_create(request):
    form = ActionForm(request.POST or None, owners=quality.action_owners())
    if request.method == "POST" and form.is_valid():
        try:
            action = quality.action_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The improvement action has been planned."))
            return redirect("surveys:action_detail", public_id=action.public_id)
    context = {"form": form, "title": _("New improvement action")}
    return render(request, "surveys/staff/action_form.html", context)


@require_GET
@role_required(permissions.can_manage_actions)
def action_detail(request, public_id):
    action = quality.action_get(request.user, public_id)
    follow_ups = list(
        quality.follow_ups_for(request.user).filter(action=action).order_by("-created_at")[:50]
    )
    context = {
        "action": action,
        "overdue": quality.action_is_overdue(action),
        "follow_ups": follow_ups,
        "moves": _moves(action),
        "status_form": ActionStatusForm() if action.status in quality.OPEN_ACTION else None,
        "timeline": list(activity.entries_for(action, limit=30)),
        "title": action.title,
    }
    return render(request, "surveys/staff/action_detail.html", context)


def _moves(action) -> list[tuple[str, str]]:
    """The buttons an action's page offers: (status, label)."""
    if action.status == ActionStatus.PLANNED:
        return [(ActionStatus.IN_PROGRESS, _("Start"))]
    if action.status == ActionStatus.IN_PROGRESS:
        return [(ActionStatus.DONE, _("Mark as done"))]
    return []


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_actions)
def action_edit(request, public_id):
    action = quality.action_get(request.user, public_id)
    if action.status not in quality.OPEN_ACTION:
        messages.error(request, _("A finished or cancelled action is no longer edited."))
        return redirect("surveys:action_detail", public_id=action.public_id)
    form = ActionForm(request.POST or None, owners=quality.action_owners(), action=action)
    if request.method == "POST" and form.is_valid():
        try:
            quality.action_update(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("surveys:action_detail", public_id=action.public_id)
    context = {"form": form, "action": action, "title": _("Edit improvement action")}
    return render(request, "surveys/staff/action_form.html", context)


@require_POST
@role_required(permissions.can_manage_actions)
def action_status(request, public_id):
    action = quality.action_get(request.user, public_id)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This action cannot move to that status."))
        return redirect("surveys:action_detail", public_id=action.public_id)
    try:
        action = quality.action_set_status(
            actor=request.user,
            action=action,
            status=form.cleaned_data["status"],
            result=form.cleaned_data["result"],
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            _("The action is now «%(status)s».") % {"status": action.get_status_display()},
        )
    return redirect("surveys:action_detail", public_id=action.public_id)


urlpatterns = [
    path("builder/", builder_list, name="builder"),
    path("builder/new/", survey_create, name="survey_create"),
    path("builder/<int:survey_id>/", survey_detail, name="survey_detail"),
    path("builder/<int:survey_id>/edit/", survey_edit, name="survey_edit"),
    path("builder/<int:survey_id>/versions/new/", version_new, name="version_new"),
    path("builder/versions/<int:version_id>/", version_detail, name="version_detail"),
    path("builder/versions/<int:version_id>/edit/", version_edit, name="version_edit"),
    path("builder/versions/<int:version_id>/publish/", version_publish, name="version_publish"),
    path("builder/versions/<int:version_id>/discard/", version_discard, name="version_discard"),
    path("builder/versions/<int:version_id>/questions/new/", question_add, name="question_add"),
    path("builder/questions/<int:question_id>/edit/", question_edit, name="question_edit"),
    path("builder/questions/<int:question_id>/remove/", question_remove, name="question_remove"),
    path("builder/questions/<int:question_id>/move/", question_move, name="question_move"),
    path("results/", results_page, name="results"),
    path("results/comments/", comments_page, name="comments"),
    path("results/mine/", my_results, name="my_results"),
    path("results/staff/", staff_pick, name="staff_pick"),
    path("results/staff/<int:user_id>/", staff_results_page, name="staff_results"),
    path("follow-ups/", follow_up_list, name="follow_ups"),
    path("follow-ups/<uuid:public_id>/", follow_up_detail, name="follow_up_detail"),
    path("follow-ups/<uuid:public_id>/assign/", follow_up_assign, name="follow_up_assign"),
    path("follow-ups/<uuid:public_id>/contacted/", follow_up_contacted, name="follow_up_contacted"),
    path("follow-ups/<uuid:public_id>/close/", follow_up_close, name="follow_up_close"),
    path("follow-ups/<uuid:public_id>/link/", follow_up_link, name="follow_up_link"),
    path("actions/", action_list, name="actions"),
    path("actions/new/", action_create, name="action_create"),
    path("actions/<uuid:public_id>/", action_detail, name="action_detail"),
    path("actions/<uuid:public_id>/edit/", action_edit, name="action_edit"),
    path("actions/<uuid:public_id>/status/", action_status, name="action_status"),
]
