"""Support request screens: intake, checklist, attestation, submission."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from assistance import committee, enrolment, selectors, services
from assistance.forms import (
    AnswerForm,
    AppealForm,
    AttachForm,
    AttestationForm,
    CheckForm,
    DeliveryForm,
    EnrolForm,
    InfoRequestForm,
    PhotoForm,
    ReferForm,
    ReportForm,
    RequestForm,
    VisitForm,
)
from assistance.models import AttestationMethod, ResearchPhoto, Status
from beneficiaries import selectors as registry
from core.activity import log_action
from core.decorators import role_required
from core.forms import add_service_errors, flash_errors
from core.http import pdf_response, private_file_response
from core.listing import paginate


@require_GET
@role_required(permissions.can_view_registry)
def request_list(request):
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    mine = request.GET.get("mine") == "1"
    qs = selectors.request_queue(request.user, status=status, overdue=overdue, mine=mine)
    qs = qs.order_by("-created_at", "-pk")
    context = {
        "page": paginate(request, qs, settings.MUSTAFID["PAGE_SIZE"]),
        "statuses": Status.choices,
        "selected_status": status,
        "overdue": overdue,
        "mine": mine,
        "title": _("Support requests"),
    }
    template = "assistance/_queue.html" if request.htmx else "assistance/list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_edit_registry)
def request_create(request, beneficiary_id):
    beneficiary = registry.beneficiary_get(request.user, beneficiary_id)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(
                actor=request.user,
                beneficiary=beneficiary,
                aid_types=form.cleaned_data["aid_types"],
                **form.fields_for_service(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "A draft request has been opened. "
                    "Complete the checklist, then have the applicant sign."
                ),
            )
            return redirect("assistance:detail", public_id=created.public_id)
    return render(
        request,
        "assistance/form.html",
        {"form": form, "beneficiary": beneficiary, "title": _("New support request")},
    )


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_edit_registry)
def request_edit(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    if obj.status != Status.DRAFT:
        raise Http404
    form = RequestForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update_draft(
                actor=request.user,
                request=obj,
                aid_types=form.cleaned_data["aid_types"],
                **form.fields_for_service(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("assistance:detail", public_id=obj.public_id)
    return render(
        request,
        "assistance/form.html",
        {
            "form": form,
            "beneficiary": obj.beneficiary,
            "request_obj": obj,
            "title": _("Edit the request"),
        },
    )


@require_GET
@role_required(permissions.can_view_registry)
def request_detail(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    context = selectors.request_detail(request.user, obj)
    context |= {
        "title": obj.reference or _("Draft request"),
        "can_edit": permissions.can_edit_registry(request.user),
        "can_check": permissions.can_edit_registry(request.user)
        or permissions.can_upload_documents(request.user),
        "can_view_sensitive": permissions.can_view_sensitive(request.user),
        "info_form": InfoRequestForm(),
        "answer_form": AnswerForm(),
        "refer_form": ReferForm(request_obj=obj),
        "visit_form": VisitForm(),
        "appeal_form": AppealForm(),
        "enrol_form": EnrolForm(),
        "delivery_form": DeliveryForm(),
        "can_enrol": enrolment.can_enrol(request.user),
        "can_deliver": enrolment.can_deliver(request.user),
    }
    research = context["research"]
    context["is_researcher"] = bool(
        research
        and not research.completed_at
        and (
            research.researcher_id == request.user.pk
            or permissions.can_manage_configuration(request.user)
        )
    )
    return render(request, "assistance/detail.html", context)


def _item(obj, item_id):
    return get_object_or_404(obj.checklist.select_related("doc_type", "request"), pk=item_id)


@require_POST
@role_required(lambda u: permissions.can_edit_registry(u) or permissions.can_upload_documents(u))
def checklist_attach(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    form = AttachForm(request.POST)
    if not form.is_valid():
        raise Http404
    item = _item(obj, form.cleaned_data["item"])
    document = get_object_or_404(obj.beneficiary.documents, public_id=form.cleaned_data["document"])
    try:
        services.checklist_attach(actor=request.user, item=item, document=document)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(obj_url(obj) + "#documents")


@require_POST
@role_required(lambda u: permissions.can_edit_registry(u) or permissions.can_upload_documents(u))
def checklist_check(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    form = CheckForm(request.POST)
    if not form.is_valid():
        raise Http404
    item = _item(obj, form.cleaned_data["item"])
    try:
        services.checklist_check(
            actor=request.user,
            item=item,
            verified=form.cleaned_data["decision"] == "verify",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(obj_url(obj) + "#documents")


def obj_url(obj) -> str:
    return reverse("assistance:detail", args=[obj.public_id])


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_edit_registry)
def attestation_sign(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    if obj.status != Status.DRAFT or hasattr(obj, "attestation"):
        return redirect(obj_url(obj))
    form = AttestationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            drawn = (
                services.decode_drawn_signature(data["signature"])
                if data["method"] == AttestationMethod.DRAWN
                else None
            )
            services.attestation_sign(
                actor=request.user,
                request=obj,
                method=data["method"],
                rights_acknowledged=data["rights_acknowledged"],
                drawn_png=drawn,
                scan=data["scan"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The signed declaration has been stored."))
            return redirect(obj_url(obj))
    from assistance.models import Declaration

    return render(
        request,
        "assistance/sign.html",
        {
            "form": form,
            "request_obj": obj,
            "declaration": Declaration.current(),
            "title": _("The applicant's declaration"),
        },
    )


@require_GET
@role_required(permissions.can_view_sensitive)
def attestation_file(request, public_id):
    """The stored signature or signed scan, for permitted roles; each view is logged."""
    obj = selectors.request_get(request.user, public_id)
    attestation = getattr(obj, "attestation", None)
    if attestation is None:
        raise Http404
    log_action(
        actor=request.user,
        action="assistance.attestation.viewed",
        target=attestation,
        subject=obj.beneficiary,
        data={"request": str(obj.public_id), "reference": obj.reference or ""},
    )
    return private_file_response(attestation.signature, content_type=attestation.signature_type)


@require_POST
@role_required(permissions.can_edit_registry)
def request_submit(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    try:
        obj = services.request_submit(actor=request.user, request=obj)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(obj_url(obj))
    messages.success(
        request,
        _(
            "Submitted as %(reference)s. The applicant has been sent the reference "
            "and the expected decision date by SMS."
        )
        % {"reference": obj.reference},
    )
    return redirect(obj_url(obj))


@require_POST
@role_required(permissions.can_edit_registry)
def request_cancel(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    reason = request.POST.get("reason", "")
    try:
        services.request_cancel(actor=request.user, request=obj, reason=reason)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The request has been cancelled."))
    return redirect(obj_url(obj))


@require_POST
@role_required(permissions.can_edit_registry)
def request_withdraw(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    try:
        services.request_withdraw(actor=request.user, request=obj)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The withdrawal has been recorded."))
    return redirect(obj_url(obj))


@require_GET
@role_required(permissions.can_view_sensitive)
def request_form_pdf(request, public_id):
    from assistance.documents import request_form_pdf

    obj = selectors.request_get(request.user, public_id)
    log_action(
        actor=request.user,
        action="assistance.request.form_printed",
        target=obj,
        subject=obj.beneficiary,
        data={"request": str(obj.public_id), "reference": obj.reference or ""},
    )
    return pdf_response(request_form_pdf(obj), f"{obj.reference or 'draft'}.pdf")


@require_GET
@role_required(permissions.can_view_registry)
def receipt_pdf(request, public_id):
    from assistance.documents import receipt_pdf

    obj = selectors.request_get(request.user, public_id)
    if not obj.reference:
        raise Http404
    return pdf_response(receipt_pdf(obj), f"{obj.reference}-receipt.pdf")


# --- Verification, information, research ---------------------------------------------------


def _act(request, obj, action, anchor: str = ""):
    """Run a service from a small form on the request page; errors come back as messages."""
    try:
        action()
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect(obj_url(obj) + anchor)


def _formflash_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
@role_required(permissions.can_edit_registry)
def verification_start(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    return _act(request, obj, lambda: services.verification_start(actor=request.user, request=obj))


@require_POST
@role_required(permissions.can_edit_registry)
def info_request(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    form = InfoRequestForm(request.POST)
    if not form.is_valid():
        _formflash_errors(request, form)
        return redirect(obj_url(obj) + "#actions")
    return _act(
        request,
        obj,
        lambda: services.info_request_create(
            actor=request.user,
            request=obj,
            what=form.cleaned_data["what"],
            due_date=form.cleaned_data["due_date"],
        ),
    )


@require_POST
@role_required(permissions.can_edit_registry)
def info_answer(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    info = obj.info_requests.filter(answered_at__isnull=True).first()
    if info is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        _formflash_errors(request, form)
        return redirect(obj_url(obj) + "#actions")
    return _act(
        request,
        obj,
        lambda: services.info_request_answer(
            actor=request.user, info=info, answer=form.cleaned_data["answer"]
        ),
    )


@require_POST
@role_required(permissions.can_edit_registry)
def research_refer(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    form = ReferForm(request.POST, request_obj=obj)
    if not form.is_valid():
        _formflash_errors(request, form)
        return redirect(obj_url(obj) + "#actions")
    return _act(
        request,
        obj,
        lambda: services.research_refer(
            actor=request.user,
            request=obj,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            researcher=form.cleaned_data["researcher"],
        ),
    )


def _open_research(obj):
    research = obj.researches.filter(completed_at__isnull=True).select_related("researcher").first()
    if research is None:
        raise Http404
    return research


@require_POST
@role_required(permissions.can_view_sensitive)
def visit_book(request, public_id):
    import datetime

    from django.utils import timezone

    obj = selectors.request_get(request.user, public_id)
    research = _open_research(obj)
    form = VisitForm(request.POST)
    if not form.is_valid():
        _formflash_errors(request, form)
        return redirect(obj_url(obj) + "#research")
    when = timezone.make_aware(
        datetime.datetime.combine(form.cleaned_data["day"], form.cleaned_data["time"])
    )
    return _act(
        request,
        obj,
        lambda: services.visit_book(actor=request.user, research=research, when=when),
        "#research",
    )


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_view_sensitive)
def research_report(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    research = _open_research(obj)
    if not (
        research.researcher_id == request.user.pk
        or permissions.can_manage_configuration(request.user)
    ):
        raise PermissionDenied
    form = ReportForm(request.POST or None, instance=research)
    if request.method == "POST" and form.is_valid():
        try:
            services.research_complete(
                actor=request.user,
                research=research,
                **{name: form.cleaned_data[name] for name in services.REPORT_FIELDS},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The research report is complete; the request is ready for the committee."),
            )
            return redirect(obj_url(obj))
    return render(
        request,
        "assistance/report.html",
        {
            "form": form,
            "request_obj": obj,
            "research": research,
            "title": _("Social research report"),
        },
    )


# --- Appeal, enrolment, deliveries ---------------------------------------------------------


@require_POST
@role_required(permissions.can_edit_registry)
def appeal(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    form = AppealForm(request.POST)
    if not form.is_valid():
        _formflash_errors(request, form)
        return redirect(obj_url(obj) + "#decision")
    return _act(
        request,
        obj,
        lambda: committee.appeal_lodge(
            actor=request.user,
            request=obj,
            grounds=form.cleaned_data["grounds"],
            channel=form.cleaned_data["channel"],
        ),
    )


@require_POST
@role_required(permissions.can_edit_registry)
def close(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    return _act(request, obj, lambda: committee.request_close(actor=request.user, request=obj))


@require_POST
@role_required(enrolment.can_enrol)
def enrol(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        _formflash_errors(request, form)
        return redirect(obj_url(obj) + "#service")
    return _act(
        request,
        obj,
        lambda: enrolment.enrolment_create(
            actor=request.user, request=obj, starts_on=form.cleaned_data["starts_on"]
        ),
        "#service",
    )


@require_POST
@role_required(enrolment.can_deliver)
def deliver(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    enrolled = getattr(obj, "enrolment", None)
    if enrolled is None:
        raise Http404
    form = DeliveryForm(request.POST, request.FILES)
    if not form.is_valid():
        _formflash_errors(request, form)
        return redirect(obj_url(obj) + "#service")
    data = form.cleaned_data
    return _act(
        request,
        obj,
        lambda: enrolment.delivery_record(
            actor=request.user,
            enrolment=enrolled,
            method=data["method"],
            delivered_on=data["delivered_on"],
            amount=data["amount"],
            transfer_reference=data["transfer_reference"],
            voucher_code=data["voucher_code"],
            receipt=data["receipt"],
        ),
        "#service",
    )


@require_POST
@role_required(permissions.can_view_sensitive)
def photo_add(request, public_id):
    obj = selectors.request_get(request.user, public_id)
    research = _open_research(obj)
    form = PhotoForm(request.POST, request.FILES)
    report_url = reverse("assistance:report", args=[obj.public_id])
    if not form.is_valid():
        _formflash_errors(request, form)
        return redirect(report_url)
    try:
        services.research_photo_add(
            actor=request.user,
            research=research,
            upload=form.cleaned_data["image"],
            consent_given=form.cleaned_data["consent_given"],
            caption=form.cleaned_data["caption"],
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The photo has been added."))
    return redirect(report_url)


@require_GET
@role_required(permissions.can_view_sensitive)
def photo_file(request, public_id, photo_id):
    """A home-visit photo for permitted roles; each view is logged."""
    obj = selectors.request_get(request.user, public_id)
    photo = get_object_or_404(
        ResearchPhoto,
        public_id=photo_id,
        research__request=obj,
    )
    log_action(
        actor=request.user,
        action="assistance.research.photo_viewed",
        target=photo,
        subject=obj.beneficiary,
        data={"request": str(obj.public_id), "reference": obj.reference},
    )
    return private_file_response(photo.image, content_type=photo.content_type)
