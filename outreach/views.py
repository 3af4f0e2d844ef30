"""Outreach screens: rules with their preview, runs and "Send now"; seasons; staff tasks.
Each view: load through a selector, check permission, call a service, render. htmx requests
get the named partial of the same screen."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import can_view_sensitive
from core.decorators import role_required
from core.forms import add_service_errors, flash_errors
from core.hijri import parse_any_date
from core.listing import paginate
from outreach import permissions, selectors, services
from outreach.forms import RuleForm, SeasonDateForm, SendForm, TaskCloseForm, placeholder_table
from outreach.models import RunStatus, TaskStatus


def _tabs(user) -> dict[str, bool]:
    """Which tabs of the outreach screens the user has."""
    return {
        "perms_rules": permissions.can_view_rules(user),
        "perms_tasks": permissions.can_work_tasks(user),
    }


@require_GET
@role_required(permissions.can_use_outreach)
def index(request):
    if permissions.can_view_rules(request.user):
        return redirect("outreach:rules")
    return redirect("outreach:tasks")


# --- Rules ----------------------------------------------------------------------------------


@require_GET
@role_required(permissions.can_view_rules)
def rule_list(request):
    context = {
        "rules": selectors.rule_list(request.user),
        "can_manage": permissions.can_manage_rules(request.user),
        "max_audience": selectors.max_audience(),
        "section": "rules",
        "title": _("Outreach rules"),
        **_tabs(request.user),
    }
    return render(request, "outreach/rule_list.html", context)


def _form_context(form, title, rule=None):
    return {"form": form, "rule": rule, "placeholders": placeholder_table(), "title": title}


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_rules)
def rule_create(request):
    form = RuleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.rule_create(
                actor=request.user, data=form.rule_data(), categories=form.categories()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The rule has been saved, switched off. Check its audience, then switch it on."),
            )
            return redirect(rule)
    return render(request, "outreach/rule_form.html", _form_context(form, _("New outreach rule")))


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_rules)
def rule_edit(request, public_id):
    rule = selectors.rule_get(request.user, public_id)
    form = RuleForm(request.POST or None, instance=rule, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # The form worked on `rule` in memory; the service reloads it under a lock.
            saved = services.rule_update(
                actor=request.user, rule=rule, data=form.rule_data(), categories=form.categories()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saved.was_paused:
                messages.warning(
                    request,
                    _(
                        "The changes have been saved and the rule paused: check its audience, "
                        "then switch it on again."
                    ),
                )
            else:
                messages.success(request, _("The changes have been saved."))
            return redirect(saved)
    return render(
        request, "outreach/rule_form.html", _form_context(form, _("Edit outreach rule"), rule)
    )


def _preview_day(request):
    """The day to preview: ?on= in either calendar, else today."""
    raw = request.GET.get("on", "").strip()
    if not raw:
        return timezone.localdate(), ""
    try:
        return parse_any_date(raw), raw
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return timezone.localdate(), ""


@require_GET
@role_required(permissions.can_view_rules)
def rule_detail(request, public_id):
    """The rule and its preview: who it reaches, who is skipped, the text they receive."""
    rule = selectors.rule_get(request.user, public_id)
    day, typed = _preview_day(request)
    try:
        context = selectors.rule_preview(rule, today=day)
    except ValidationError as exc:  # a day outside the Hijri calendar's table
        messages.error(request, " ".join(exc.messages))
        day, typed = timezone.localdate(), ""
        context = selectors.rule_preview(rule, today=day)
    categories = list(rule.categories.all())
    # Membership of a sensitive category (prisoners' families…) is itself sensitive data: a
    # reader who may not see it (the quality officer) gets the counts, not the names.
    hidden = any(c.is_sensitive for c in categories) and not can_view_sensitive(request.user)
    if hidden:
        context |= {"people": [], "first": None, "text": ""}
    context |= {
        "people_hidden": hidden,
        "rule": rule,
        "day": day,
        "is_today": day == timezone.localdate(),
        "typed_day": typed,
        "categories": categories,
        "can_manage": permissions.can_manage_rules(request.user),
        "send_form": SendForm(),
        "section": "rules",
        "title": rule.name,
        **_tabs(request.user),
    }
    return render(request, "outreach/rule_detail.html", context)


@require_POST
@role_required(permissions.can_manage_rules)
def rule_send(request, public_id):
    rule = selectors.rule_get(request.user, public_id)
    form = SendForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("confirm", []):
            messages.error(request, error)
        return redirect(rule)
    run = services.rule_run(rule=rule, actor=request.user)
    if run.status == RunStatus.DONE:
        if rule.is_message:
            messages.success(
                request,
                _("%(sent)s messages queued; %(already)s people had already received it.")
                % {"sent": run.sent, "already": run.already_contacted},
            )
        else:
            messages.success(
                request,
                _("%(count)s tasks created; %(already)s people already had one.")
                % {"count": run.tasks_created, "already": run.already_contacted},
            )
    else:
        messages.error(request, _("Nothing was sent: %(reason)s") % {"reason": run.explanation})
    return redirect("outreach:rule_runs", public_id=rule.public_id)


@require_POST
@role_required(permissions.can_manage_rules)
def rule_activate(request, public_id):
    rule = selectors.rule_get(request.user, public_id)
    active = request.POST.get("active") == "1"
    services.rule_set_active(actor=request.user, rule=rule, active=active)
    if active:
        messages.success(request, _("The rule now runs every morning."))
    else:
        messages.success(request, _("The rule is paused: it no longer runs by itself."))
    return redirect(rule)


@require_GET
@role_required(permissions.can_view_rules)
def rule_runs(request, public_id):
    rule = selectors.rule_get(request.user, public_id)
    page = paginate(request, selectors.runs_for(rule), settings.MUSTAFID["PAGE_SIZE"])
    context = {
        "rule": rule,
        "page": page,
        "section": "rules",
        "title": _("Runs of the rule"),
        **_tabs(request.user),
    }
    template = "outreach/_run_rows.html" if request.htmx else "outreach/run_list.html"
    return render(request, template, context)


# --- Seasons --------------------------------------------------------------------------------


def _seasons_page(request, *, bound=None, status=200):
    can_manage = permissions.can_manage_rules(request.user)
    seasons = selectors.season_overview()
    for item in seasons:
        code = item["season"].code
        if bound is not None and bound[0] == code:
            item["form"] = bound[1]
        elif can_manage:
            first = item["occurrences"][0] if item["occurrences"] else None
            initial = {}
            if first is not None:
                initial = {
                    "year": first.year,
                    "starts_on": first.starts_on,
                    "ends_on": first.ends_on,
                }
            item["form"] = SeasonDateForm(initial=initial, prefix=code)
    context = {
        "seasons": seasons,
        "can_manage": can_manage,
        "section": "seasons",
        "title": _("Seasons"),
        **_tabs(request.user),
    }
    return render(request, "outreach/seasons.html", context, status=status)


@require_GET
@role_required(permissions.can_view_rules)
def seasons(request):
    return _seasons_page(request)


@require_POST
@role_required(permissions.can_manage_rules)
def season_date(request, code):
    season = selectors.season_get(code)
    form = SeasonDateForm(request.POST, prefix=code)
    if form.is_valid():
        try:
            services.season_date_set(
                actor=request.user,
                season=season,
                year=form.cleaned_data["year"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The dates of %(season)s %(year)s have been set.")
                % {"season": season.name, "year": form.cleaned_data["year"]},
            )
            return redirect("outreach:seasons")
    return _seasons_page(request, bound=(code, form), status=400)


@require_POST
@role_required(permissions.can_manage_rules)
def season_reset(request, code):
    season = selectors.season_get(code)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Choose the year."))
        return redirect("outreach:seasons")
    services.season_date_clear(actor=request.user, season=season, year=year)
    messages.success(
        request,
        _("%(season)s %(year)s is back to its usual dates.")
        % {"season": season.name, "year": year},
    )
    return redirect("outreach:seasons")


# --- Tasks ----------------------------------------------------------------------------------


@require_GET
@role_required(permissions.can_work_tasks)
def task_list(request):
    status = request.GET.get("status", TaskStatus.OPEN)
    if status not in TaskStatus.values:
        status = TaskStatus.OPEN
    page = paginate(
        request, selectors.task_list(request.user, status=status), settings.MUSTAFID["PAGE_SIZE"]
    )
    context = {
        "page": page,
        "status": status,
        "statuses": TaskStatus.choices,
        "close_form": TaskCloseForm(),
        "today": timezone.localdate(),
        "can_view_rules": permissions.can_view_rules(request.user),
        "section": "tasks",
        "title": _("Outreach tasks"),
        **_tabs(request.user),
    }
    template = "outreach/_task_rows.html" if request.htmx else "outreach/task_list.html"
    return render(request, template, context)


@require_POST
@role_required(permissions.can_work_tasks)
def task_close(request, public_id):
    task = selectors.task_get(request.user, public_id)
    form = TaskCloseForm(request.POST)
    if form.is_valid():
        try:
            services.task_close(
                actor=request.user,
                task=task,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The task has been closed."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("outreach:tasks")
