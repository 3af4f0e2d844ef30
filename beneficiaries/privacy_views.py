"""Staff screens for data-subject requests (PDPL, policy P2 "tracked to closure with an owner
and a due date"): the queue by deadline, a request with its outcome forms, and recording an
oral or written request on a beneficiary's file. Thin: load through a selector, check the
role, call a service, render."""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaries import privacy, selectors
from beneficiaries.models import DataSubjectRequest, DsrKind, DsrStatus
from core.decorators import role_required
from core.formfields import DualCalendarDateField
from core.forms import StyledFormMixin, add_service_errors
from core.hijri import format_dual
from core.http import pdf_response
from core.listing import paginate
from core.models import ActivityLog, Channel

# --- Forms ---------------------------------------------------------------------------------


class RecordForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=DsrKind.choices)
    channel = forms.ModelChoiceField(
        label=gettext_lazy("received by"),
        queryset=Channel.objects.filter(is_active=True),
    )
    received_on = DualCalendarDateField(
        label=gettext_lazy("received on"),
        allow_future=False,
        help_text=gettext_lazy("The 30 days are counted from this day."),
    )
    requested_by = forms.CharField(
        label=gettext_lazy("requested by (if not the beneficiary)"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("A guardian acting for a minor, or a representative."),
    )
    details = forms.CharField(
        label=gettext_lazy("what is asked"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For a correction: what is wrong and what it should be."),
    )


class ExtendForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("reason for the extension"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Sent to the beneficiary by SMS with the new date."),
    )


class CompleteForm(StyledFormMixin, forms.Form):
    response = forms.CharField(
        label=gettext_lazy("answer given to the beneficiary"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown to the beneficiary on the portal, under My data."),
    )


class RefuseForm(StyledFormMixin, forms.Form):
    reasons = forms.CharField(
        label=gettext_lazy("reasons for the refusal"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown to the beneficiary on the portal, under My data."),
    )


# --- Views ---------------------------------------------------------------------------------


@require_GET
@role_required(privacy.can_handle_data_requests)
def dsr_queue(request):
    closed = request.GET.get("view") == "closed"
    page = paginate(
        request,
        privacy.data_request_queue(request.user, closed=closed),
        settings.MUSTAFID["PAGE_SIZE"],
    )
    return render(
        request,
        "beneficiaries/privacy/queue.html",
        {
            "page": page,
            "closed": closed,
            "counts": privacy.data_request_counts(request.user),
            "title": _("Personal-data requests"),
        },
    )


def _history(dsr: DataSubjectRequest) -> list[ActivityLog]:
    """This request's own entries of the file's log (opened, extended, answered)."""
    return list(
        ActivityLog.objects.filter(
            target_type=ContentType.objects.get_for_model(DataSubjectRequest),
            target_id=str(dsr.pk),
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def _changes(dsr: DataSubjectRequest) -> list[dict]:
    """The proposed changes, each with where on the file staff make it."""
    b = dsr.beneficiary
    members = {str(m.public_id) for m in b.members.all()}
    rows = []
    for field, change in (dsr.proposed_changes or {}).items():
        url = reverse("beneficiaries:edit", args=[b.public_id])
        if field.startswith("member:"):
            member_id = field.split(":", 1)[1]
            url = (
                reverse("beneficiaries:member_edit", args=[b.public_id, member_id])
                if member_id in members
                else reverse("beneficiaries:detail", args=[b.public_id]) + "#household"
            )
        rows.append({"field": field, "url": url, **change})
    return rows


def _detail(request, dsr: DataSubjectRequest, *, status: int = 200, **forms_in):
    today = timezone.localdate()
    context = {
        "dsr": dsr,
        "beneficiary": dsr.beneficiary,
        "changes": _changes(dsr),
        "history": _history(dsr),
        "extend_form": forms_in.get("extend_form") or ExtendForm(),
        "complete_form": forms_in.get("complete_form") or CompleteForm(),
        "refuse_form": forms_in.get("refuse_form") or RefuseForm(),
        "can_extend": dsr.status == DsrStatus.OPEN
        and dsr.extended_to is None
        and dsr.due_date >= today,
        "days_left": (dsr.deadline - today).days,
        "title": _("Personal-data request"),
    }
    return render(request, "beneficiaries/privacy/detail.html", context, status=status)


@require_GET
@role_required(privacy.can_handle_data_requests)
def dsr_detail(request, dsr_id):
    return _detail(request, privacy.data_request_get(request.user, dsr_id))


@require_GET
@role_required(privacy.can_handle_data_requests)
def dsr_copy(request, dsr_id):
    """The beneficiary's copy of their data, printed by staff for a request made at the desk
    or by phone (someone without a smartphone gets it on paper). Logged as an export."""
    dsr = privacy.data_request_get(request.user, dsr_id)
    content = privacy.data_copy_pdf(dsr.beneficiary)
    privacy.data_exported(beneficiary=dsr.beneficiary, fmt="pdf", actor=request.user)
    return pdf_response(content, f"data-copy-{dsr.public_id}.pdf")


def _act(request, dsr_id, form_class, form_key: str, service, success: str):
    dsr = privacy.data_request_get(request.user, dsr_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(dsr, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("beneficiaries:dsr_detail", dsr_id=dsr.public_id)
    return _detail(request, dsr, **{form_key: form})


@require_POST
@role_required(privacy.can_handle_data_requests)
def dsr_extend(request, dsr_id):
    return _act(
        request,
        dsr_id,
        ExtendForm,
        "extend_form",
        lambda dsr, data: privacy.dsr_extend(actor=request.user, dsr=dsr, reason=data["reason"]),
        _("The deadline has been extended and the beneficiary told by SMS."),
    )


@require_POST
@role_required(privacy.can_handle_data_requests)
def dsr_complete(request, dsr_id):
    return _act(
        request,
        dsr_id,
        CompleteForm,
        "complete_form",
        lambda dsr, data: privacy.dsr_complete(
            actor=request.user, dsr=dsr, response=data["response"]
        ),
        _("The request is closed as done and the beneficiary told by SMS."),
    )


@require_POST
@role_required(privacy.can_handle_data_requests)
def dsr_refuse(request, dsr_id):
    return _act(
        request,
        dsr_id,
        RefuseForm,
        "refuse_form",
        lambda dsr, data: privacy.dsr_refuse(actor=request.user, dsr=dsr, reasons=data["reasons"]),
        _("The request is refused and the beneficiary told by SMS."),
    )


@require_http_methods(["GET", "POST"])
@role_required(privacy.can_handle_data_requests)
def dsr_new(request, public_id):
    beneficiary = selectors.beneficiary_get(request.user, public_id)
    form = RecordForm(
        request.POST if request.method == "POST" else None,
        initial={"received_on": timezone.localdate(), "channel": _default_channel()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received_at = _received_at(data["received_on"])
        try:
            dsr = privacy.dsr_open(
                actor=request.user,
                beneficiary=beneficiary,
                kind=data["kind"],
                channel=data["channel"],
                details=data["details"],
                requested_by=data["requested_by"],
                received_at=received_at,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The request is recorded; it must be answered by %(date)s.")
                % {"date": format_dual(dsr.due_date)},
            )
            return redirect("beneficiaries:dsr_detail", dsr_id=dsr.public_id)
    return render(
        request,
        "beneficiaries/privacy/new.html",
        {
            "form": form,
            "beneficiary": beneficiary,
            "existing": privacy.beneficiary_data_requests(beneficiary),
            "title": _("Record a personal-data request"),
        },
    )


def _default_channel():
    return Channel.objects.filter(code="phone").first()


def _received_at(day: date) -> datetime:
    """Today: now. An earlier day typed by staff: that morning, Riyadh time."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(8, 0)))
