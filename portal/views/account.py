"""The signed-in beneficiary's own area: profile and household (read, with a correction
request), documents (list, download, upload), the notifications we sent, and their rights
over their data (a copy in JSON and PDF, requests under the PDPL).

Everything is read through `request.beneficiary`: another person's document id finds nothing.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from beneficiaries import privacy
from beneficiaries.models import Document, DocumentType, DsrKind
from beneficiaries.services import document_opened, document_upload
from core.forms import add_service_errors
from core.hijri import format_dual
from core.http import pdf_response, private_file_response
from core.listing import paginate
from core.models import Channel
from portal import session
from portal.forms_account import CorrectionForm, DataRequestForm, PortalDocumentForm

PORTAL_CHANNEL = "website"


def _posted(request):
    """The submitted data, or None for a page load: an empty POST is still a submission."""
    return request.POST if request.method == "POST" else None


def _website() -> Channel:
    return Channel.objects.get(code=PORTAL_CHANNEL)


# --- Profile -------------------------------------------------------------------------------


@require_http_methods(["GET"])
@session.beneficiary_required
def profile(request):
    context = privacy.subject_profile(request.beneficiary)
    context["title"] = _("My profile and family")
    return render(request, "portal/account/profile.html", context)


@require_http_methods(["GET", "POST"])
@session.beneficiary_required
def correction(request):
    b = request.beneficiary
    members = list(b.members.all())
    form = CorrectionForm(_posted(request), beneficiary=b, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            dsr = privacy.dsr_open(
                actor=None,
                beneficiary=b,
                kind=DsrKind.CORRECTION,
                channel=_website(),
                proposed_changes=form.proposed_changes(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("We have received your correction request. We will answer by %(date)s.")
                % {"date": format_dual(dsr.due_date)},
            )
            return redirect("portal:my_data")
    return render(
        request,
        "portal/account/correction.html",
        {
            "form": form,
            "due": privacy.due_date_for(timezone.localdate()),
            "title": _("Correct my data"),
        },
    )


# --- Documents -----------------------------------------------------------------------------


@require_http_methods(["GET"])
@session.beneficiary_required
def documents(request):
    rows = list(
        request.beneficiary.documents.select_related("doc_type", "member").order_by(
            "-created_at", "-pk"
        )
    )
    return render(
        request,
        "portal/account/documents.html",
        {"documents": rows, "title": _("My documents")},
    )


@require_http_methods(["GET", "POST"])
@session.beneficiary_required
def document_new(request):
    b = request.beneficiary
    initial = {}
    # A "renew" link names the type (by code) and the household member (by public id).
    doc_type = DocumentType.objects.filter(code=request.GET.get("type", ""), is_active=True).first()
    if doc_type is not None:
        initial["doc_type"] = doc_type
    try:
        member_id = uuid.UUID(request.GET.get("member", ""))
    except ValueError:
        member_id = None
    if member_id is not None:
        initial["member"] = b.members.filter(public_id=member_id).first()
    form = PortalDocumentForm(
        _posted(request), request.FILES or None, beneficiary=b, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document_upload(
                actor=None,
                beneficiary=b,
                doc_type=data["doc_type"],
                upload=data["upload"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                member=data["member"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your document has been uploaded."))
            return redirect("portal:documents")
    return render(
        request,
        "portal/account/document_form.html",
        {"form": form, "title": _("Upload a document")},
    )


@require_http_methods(["GET"])
@session.beneficiary_required
def document_file(request, document_id):
    document = get_object_or_404(
        Document.objects.select_related("doc_type", "beneficiary"),
        public_id=document_id,
        beneficiary=request.beneficiary,
    )
    document_opened(actor=None, document=document, download=True)
    try:
        return private_file_response(
            document.file,
            content_type=document.content_type,
            filename=f"{document.doc_type.code}-{document.public_id.hex[:8]}.{document.extension}",
            download=True,
        )
    except FileNotFoundError as exc:
        raise Http404 from exc


# --- Notifications -------------------------------------------------------------------------


@require_http_methods(["GET"])
@session.beneficiary_required
def notifications(request):
    page = paginate(
        request,
        privacy.beneficiary_messages(request.beneficiary),
        settings.MUSTAFID["PAGE_SIZE"],
    )
    return render(
        request,
        "portal/account/notifications.html",
        {"page": page, "title": _("Notifications")},
    )


# --- My data (PDPL) ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@session.beneficiary_required
def my_data(request):
    b = request.beneficiary
    form = DataRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            dsr = privacy.dsr_open(
                actor=None,
                beneficiary=b,
                kind=form.cleaned_data["kind"],
                channel=_website(),
                details=form.cleaned_data["details"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("We have received your request. We will answer by %(date)s.")
                % {"date": format_dual(dsr.due_date)},
            )
            return redirect("portal:my_data")
    return render(
        request,
        "portal/account/my_data.html",
        {
            "form": form,
            "data_requests": privacy.beneficiary_data_requests(b),
            "due": privacy.due_date_for(timezone.localdate()),
            "response_days": privacy.RESPONSE_DAYS,
            "extension_days": privacy.EXTENSION_DAYS,
            "retention_years": privacy.FINANCIAL_RETENTION_YEARS,
            "title": _("My data"),
        },
    )


def _export_name(extension: str) -> str:
    return f"my-data-{timezone.localdate():%Y%m%d}.{extension}"


@require_http_methods(["GET"])
@session.beneficiary_required
def my_data_json(request):
    data = privacy.subject_export(request.beneficiary)
    privacy.data_exported(beneficiary=request.beneficiary, fmt="json")
    response = JsonResponse(
        data,
        encoder=DjangoJSONEncoder,
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name("json")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET"])
@session.beneficiary_required
def my_data_pdf(request):
    b = request.beneficiary
    content = privacy.data_copy_pdf(b)
    privacy.data_exported(beneficiary=b, fmt="pdf")
    return pdf_response(content, _export_name("pdf"))


urlpatterns = [
    path("me/profile/", profile, name="profile"),
    path("me/profile/correction/", correction, name="correction"),
    path("me/documents/", documents, name="documents"),
    path("me/documents/new/", document_new, name="document_new"),
    path("me/documents/<uuid:document_id>/", document_file, name="document_file"),
    path("me/notifications/", notifications, name="notifications"),
    path("me/data/", my_data, name="my_data"),
    path("me/data/my-data.json", my_data_json, name="my_data_json"),
    path("me/data/my-data.pdf", my_data_pdf, name="my_data_pdf"),
]
