"""Apply for support and follow my requests, on the same services as staff intake.

Every page reads the request through `assistance.selectors.applicant_request` with the
signed-in beneficiary, so another person's request id is a 404; every write is an
`assistance` service called with `actor=None` and that beneficiary.

The apply wizard keeps the request as a draft from its first step, so a slow connection or a
closed browser loses nothing: step 1 what is needed, step 2 the documents, step 3 the
declaration signed with a one-time code (which submits), step 4 the reference and the expected
decision date.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assistance import committee, selectors, services
from assistance.models import Declaration, ItemState, Status
from beneficiaries.services import document_upload
from core.forms import add_service_errors, flash_errors
from core.http import pdf_response
from core.models import Channel
from portal import otp, session
from portal.forms import CodeForm
from portal.forms_requests import (
    AnswerForm,
    AppealForm,
    ApplyForm,
    ChecklistUploadForm,
    SignForm,
    item_key,
)
from portal.models import Purpose

# The documents the applicant still has to give: a form to upload each.
_TO_UPLOAD = {ItemState.MISSING, ItemState.EXPIRED, ItemState.REJECTED}
# Where each kind of submission problem (assistance.checks.Problem.section) is put right.
_FIX = {
    "request": ("portal:apply_details", True),
    "documents": ("portal:apply_documents", True),
    "income": ("portal:apply_details", True),
    "applicant": ("portal:profile", False),
    "household": ("portal:profile", False),
}


def _website() -> Channel:
    return Channel.objects.get(code="website")


def _own(request, public_id):
    """The signed-in beneficiary's request, or 404."""
    obj = selectors.applicant_request(request.beneficiary, public_id)
    if obj is None:
        raise Http404
    return obj


def _draft(request, public_id):
    """(the draft, None) for a draft the beneficiary opened on the portal; (None, a redirect to
    the request page) once it is sent. Someone else's request, or a draft opened at our desk
    (completed with the officer), is a 404."""
    obj = _own(request, public_id)
    if selectors.is_resumable(obj):
        return obj, None
    if obj.status == Status.DRAFT:
        raise Http404
    return None, redirect("portal:request", public_id=obj.public_id)


# --- My requests ------------------------------------------------------------------------------


@require_GET
@session.beneficiary_required
def request_list(request):
    return render(
        request,
        "portal/requests/list.html",
        {
            "requests": selectors.applicant_requests(request.beneficiary),
            "title": _("My requests"),
        },
    )


def _detail(request, obj, *, answer_form=None, appeal_form=None):
    context = selectors.applicant_request_detail(obj)
    context |= {
        "r": obj,
        "timeline": selectors.applicant_timeline(obj),
        "answer_form": answer_form or AnswerForm(beneficiary=request.beneficiary),
        "appeal_form": appeal_form or AppealForm(),
        "title": obj.reference or _("Request not sent yet"),
    }
    return render(request, "portal/requests/detail.html", context)


@require_GET
@session.beneficiary_required
def request_detail(request, public_id):
    return _detail(request, _own(request, public_id))


@require_POST
@session.beneficiary_required
def request_answer(request, public_id):
    """Answer the open request for information: text, a document, or both."""
    obj = _own(request, public_id)
    info = obj.info_requests.filter(answered_at__isnull=True).first()
    if info is None:
        raise Http404
    form = AnswerForm(request.POST, request.FILES, beneficiary=request.beneficiary)
    if form.is_valid():
        data = form.cleaned_data
        try:
            # The document and the answer together: a refused answer keeps no stray document.
            with transaction.atomic():
                document = None
                if data["upload"]:
                    document = document_upload(
                        actor=None,
                        beneficiary=request.beneficiary,
                        doc_type=data["doc_type"],
                        upload=data["upload"],
                        issued_on=data["issued_on"],
                        expires_on=data["expires_on"],
                    )
                services.info_request_answer(
                    actor=None,
                    beneficiary=request.beneficiary,
                    info=info,
                    answer=data["answer"],
                    document=document,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. We have your answer and continue our work."))
            return redirect("portal:request", public_id=obj.public_id)
    return _detail(request, obj, answer_form=form)


@require_POST
@session.beneficiary_required
def request_appeal(request, public_id):
    obj = _own(request, public_id)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            committee.appeal_lodge(
                actor=None,
                beneficiary=request.beneficiary,
                request=obj,
                grounds=form.cleaned_data["grounds"],
                channel=_website(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your appeal has been received. The committee will look at your request again."),
            )
            return redirect("portal:request", public_id=obj.public_id)
    return _detail(request, obj, appeal_form=form)


@require_http_methods(["GET", "POST"])
@session.beneficiary_required
def request_withdraw(request, public_id):
    """A confirmation page, then the withdrawal (no script: the question is a page)."""
    obj = _own(request, public_id)
    if obj.status not in services.CLOSABLE:
        return redirect("portal:request", public_id=obj.public_id)
    if request.method == "POST":
        try:
            services.request_withdraw(actor=None, beneficiary=request.beneficiary, request=obj)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Your request has been withdrawn."))
        return redirect("portal:request", public_id=obj.public_id)
    return render(
        request,
        "portal/requests/withdraw.html",
        {"r": obj, "title": _("Withdraw the request")},
    )


@require_GET
@session.beneficiary_required
def request_letter(request, public_id, meeting_id):
    """The committee's decision letter, as staff print it; each download is logged."""
    obj = _own(request, public_id)
    item = selectors.applicant_letter_item(obj, meeting_id)
    if item is None:
        raise Http404
    from assistance.documents import decision_letter_pdf  # WeasyPrint: loaded when needed

    committee.decision_letter_opened(actor=None, beneficiary=request.beneficiary, item=item)
    return pdf_response(decision_letter_pdf(item), f"{obj.reference}-decision.pdf")


# --- Apply: the wizard ------------------------------------------------------------------------


def _details_page(request, form, obj=None):
    context = {"form": form, "r": obj, "step": 1, "title": _("Apply for support")}
    if obj is not None:
        context["review"] = selectors.applicant_draft_review(obj)
    return render(request, "portal/requests/apply_details.html", context)


@require_http_methods(["GET", "POST"])
@session.beneficiary_required
def apply(request):
    """Step 1 of a new request. A draft already under way is resumed instead."""
    draft = selectors.applicant_draft(request.beneficiary)
    if draft is not None:
        return redirect("portal:apply_details", public_id=draft.public_id)
    form = ApplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.request_create(
                actor=None,
                beneficiary=request.beneficiary,
                channel=_website(),
                aid_types=form.cleaned_data["aid_types"],
                **form.fields_for_service(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("portal:apply_documents", public_id=obj.public_id)
    return _details_page(request, form)


@require_http_methods(["GET", "POST"])
@session.beneficiary_required
def apply_details(request, public_id):
    """Step 1 again, on the saved draft."""
    obj, elsewhere = _draft(request, public_id)
    if elsewhere:
        return elsewhere
    initial = {
        "aid_types": list(obj.aid_types.all()),
        "need": obj.need,
        "requested_amount": obj.requested_amount,
        "declares_no_income": obj.declares_no_income,
    }
    form = ApplyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update_draft(
                actor=None,
                beneficiary=request.beneficiary,
                request=obj,
                aid_types=form.cleaned_data["aid_types"],
                **form.fields_for_service(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("portal:apply_documents", public_id=obj.public_id)
    return _details_page(request, form, obj)


@require_http_methods(["GET", "POST"])
@session.beneficiary_required
def apply_documents(request, public_id):
    """Step 2: each required document and its state; upload what is missing or out of date.
    Documents already in the file fill their place by themselves."""
    obj, elsewhere = _draft(request, public_id)
    if elsewhere:
        return elsewhere
    review = selectors.applicant_draft_review(obj)
    bound = None
    if request.method == "POST":
        key = request.POST.get("item", "")
        item = next((i for i in review["checklist"] if item_key(i) == key), None)
        if item is None:
            raise Http404
        bound = ChecklistUploadForm(request.POST, request.FILES, item=item)
        if bound.is_valid():
            try:
                services.checklist_upload(
                    actor=None,
                    beneficiary=request.beneficiary,
                    item=item,
                    upload=bound.cleaned_data["upload"],
                    issued_on=bound.cleaned_data["issued_on"],
                    expires_on=bound.cleaned_data["expires_on"],
                )
            except ValidationError as exc:
                add_service_errors(bound, exc)
            else:
                messages.success(
                    request, _("%(document)s has been added.") % {"document": item.doc_type}
                )
                url = reverse("portal:apply_documents", args=[obj.public_id])
                return redirect(f"{url}#documents")
    rows = []
    for item in review["checklist"]:
        form = None
        if bound is not None and bound.item.pk == item.pk:
            form = bound
        elif item.state in _TO_UPLOAD:
            form = ChecklistUploadForm(item=item)
        rows.append({"item": item, "key": item_key(item), "form": form})
    return render(
        request,
        "portal/requests/apply_documents.html",
        {
            "r": obj,
            "rows": rows,
            "eligibility": review["eligibility"],
            "missing": sum(1 for row in rows if row["item"].state in _TO_UPLOAD),
            "step": 2,
            "title": _("Your documents"),
        },
    )


def _fixes(obj, problems) -> list[dict]:
    """Each submission problem with the page where the applicant puts it right."""
    fixes = []
    for problem in problems:
        name, with_request = _FIX.get(problem.section, ("portal:apply_documents", True))
        url = reverse(name, args=[obj.public_id]) if with_request else reverse(name)
        fixes.append({"message": problem.message, "section": problem.section, "url": url})
    return fixes


@require_http_methods(["GET", "POST"])
@session.beneficiary_required
def apply_sign(request, public_id):
    """Step 3: the declaration with the rights and duties; once confirmed, a code is sent to
    the mobile on file. Nothing is sent while something still stops the submission."""
    obj, elsewhere = _draft(request, public_id)
    if elsewhere:
        return elsewhere
    problems = selectors.applicant_draft_review(obj)["problems"]
    declaration = Declaration.current()
    form = SignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not problems and declaration and form.is_valid():
        try:
            challenge = otp.otp_issue(
                purpose=Purpose.SIGN,
                typed=str(obj.public_id),
                beneficiary=request.beneficiary,
                subject_id=str(obj.public_id),
                ip_address=session.client_ip(request),
                field="code",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(
                "portal:apply_code", public_id=obj.public_id, challenge_id=challenge.public_id
            )
    return render(
        request,
        "portal/requests/apply_sign.html",
        {
            "r": obj,
            "form": form,
            "declaration": declaration,
            "fixes": _fixes(obj, problems),
            "step": 3,
            "title": _("Declaration and signature"),
        },
    )


@require_http_methods(["GET", "POST"])
@session.beneficiary_required
def apply_code(request, public_id, challenge_id):
    """Step 3, the code: confirmed, it signs the declaration and sends the request."""
    # The code first: someone else's is a 404 whatever the request named beside it.
    challenge = otp.challenge_for(challenge_id, purpose=Purpose.SIGN)
    if (
        challenge is None
        or challenge.beneficiary_id != request.beneficiary.pk
        or challenge.subject_id != str(public_id)
    ):
        raise Http404
    obj, elsewhere = _draft(request, public_id)
    if elsewhere:
        return elsewhere
    if challenge.verified_at is not None:
        raise Http404
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            row = otp.otp_verify(
                challenge=challenge, code=form.cleaned_data["code"], purpose=Purpose.SIGN
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            try:
                # The code was sent only after the declaration was confirmed (step 3).
                services.request_sign_and_submit(
                    actor=None,
                    beneficiary=request.beneficiary,
                    request=obj,
                    otp=row,
                    ip_address=session.client_ip(request),
                    rights_acknowledged=True,
                )
            except ValidationError as exc:
                flash_errors(request, exc)
                return redirect("portal:apply_sign", public_id=obj.public_id)
            return redirect("portal:apply_done", public_id=obj.public_id)
    return render(
        request,
        "portal/requests/apply_code.html",
        {
            "r": obj,
            "form": form,
            "minutes": int(otp.limits().ttl.total_seconds() // 60),
            "step": 3,
            "title": _("Enter the code"),
        },
    )


@require_GET
@session.beneficiary_required
def apply_done(request, public_id):
    """Step 4: the reference and the expected decision date (also sent by SMS)."""
    obj = _own(request, public_id)
    if obj.reference is None:
        raise Http404
    return render(
        request,
        "portal/requests/apply_done.html",
        {"r": obj, "step": 4, "title": _("Your request has been sent")},
    )


urlpatterns = [
    path("me/requests/", request_list, name="requests"),
    path("me/requests/<uuid:public_id>/", request_detail, name="request"),
    path("me/requests/<uuid:public_id>/answer/", request_answer, name="request_answer"),
    path("me/requests/<uuid:public_id>/appeal/", request_appeal, name="request_appeal"),
    path("me/requests/<uuid:public_id>/withdraw/", request_withdraw, name="request_withdraw"),
    path(
        "me/requests/<uuid:public_id>/letters/<uuid:meeting_id>.pdf",
        request_letter,
        name="request_letter",
    ),
    path("me/apply/", apply, name="apply"),
    path("me/apply/<uuid:public_id>/", apply_details, name="apply_details"),
    path("me/apply/<uuid:public_id>/documents/", apply_documents, name="apply_documents"),
    path("me/apply/<uuid:public_id>/sign/", apply_sign, name="apply_sign"),
    path("me/apply/<uuid:public_id>/sign/<uuid:challenge_id>/", apply_code, name="apply_code"),
    path("me/apply/<uuid:public_id>/done/", apply_done, name="apply_done"),
]
