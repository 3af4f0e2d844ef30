"""Correspondence register screens. Each view: load through a selector (404 to outsiders),
check the role, call a service, render. htmx requests get the named partial of the same
screen (the register's rows, a draft's preview)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assistance import selectors as assistance_selectors
from beneficiaries import selectors as registry
from core.decorators import role_required
from core.forms import add_service_errors, flash_errors
from core.http import pdf_response, private_file_response
from core.listing import paginate

from . import permissions, selectors, services
from .forms import (
    AttachForm,
    DraftEditForm,
    FileForm,
    IncomingLetterForm,
    OutgoingDraftForm,
    ReferForm,
    RegisterFilterForm,
    SendForm,
    link_initial,
)
from .models import PLACEHOLDERS, Direction, LetterStatus, LetterTemplate

REPLY_TEMPLATE_CODE = "inquiry_reply"


def _detail_url(letter) -> str:
    return reverse("correspondence:detail", args=[letter.public_id])


@require_GET
@role_required(permissions.can_read_letters)
def letter_list(request):
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.letter_register(
        request.user,
        direction=filters.get("direction", ""),
        status=filters.get("status", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        query=filters.get("q", ""),
        mine=filters.get("mine", False),
    )
    context = {
        "form": form,
        "page": paginate(request, qs, settings.MUSTAFID["PAGE_SIZE"]),
        "can_write": permissions.can_write_letters(request.user),
        "title": _("Correspondence register"),
    }
    template = "correspondence/_register.html" if request.htmx else "correspondence/list.html"
    return render(request, template, context)


def _prefill_links(request) -> dict:
    """Initial link fields from `?beneficiary=<uuid>` or `?request=<uuid>` (the buttons on a
    file or a request), each read through its own scoped selector."""
    initial: dict = {}
    beneficiary_id = request.GET.get("beneficiary")
    request_id = request.GET.get("request")
    if request_id:
        support_request = assistance_selectors.request_get(request.user, request_id)
        initial["support_request"] = support_request.reference or ""
        beneficiary = support_request.beneficiary
    elif beneficiary_id:
        beneficiary = registry.beneficiary_get(request.user, beneficiary_id)
    else:
        return initial
    initial["beneficiary"] = beneficiary.id_number
    return initial | {"_beneficiary": beneficiary}


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_write_letters)
def register_incoming(request):
    initial = _prefill_links(request)
    initial.pop("_beneficiary", None)
    form = IncomingLetterForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = services.letter_register_incoming(
                actor=request.user,
                letter_date=data["letter_date"],
                sender_reference=data["sender_reference"],
                subject=data["subject"],
                body=data["body"],
                attachments=data["attachments"],
                **form.party(),
                **form.links(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The letter has been registered as %(reference)s.")
                % {"reference": letter.reference},
            )
            return redirect(_detail_url(letter))
    return render(
        request,
        "correspondence/incoming_form.html",
        {"form": form, "title": _("Register an incoming letter")},
    )


def _draft_initial(request) -> tuple[dict, object]:
    """Initial values of a new outgoing letter: links (and a template) from the query string;
    for an answer (`?reply_to=<uuid>`) the sender of the incoming letter and its links."""
    initial = {
        "signatory_name": request.user.display_name,
        "signatory_title": request.user.get_role_display(),
    }
    reply_to = None
    reply_id = request.GET.get("reply_to")
    if reply_id:
        reply_to = selectors.letter_get(request.user, reply_id)
        if reply_to.direction != Direction.INCOMING:
            raise Http404
        initial |= link_initial(reply_to) | {
            "party_name": reply_to.party_name,
            "party_organisation": reply_to.party_organisation,
            "party_address": reply_to.party_address,
            "template": LetterTemplate.objects.filter(
                code=REPLY_TEMPLATE_CODE, is_active=True
            ).first(),
        }
        return initial, reply_to
    links = _prefill_links(request)
    beneficiary = links.pop("_beneficiary", None)
    initial |= links
    # `?template=missing_documents` from a request page preselects the template.
    template = LetterTemplate.objects.filter(
        code=request.GET.get("template", ""), is_active=True
    ).first()
    if template is not None:
        initial["template"] = template
    if beneficiary is not None:
        # A letter opened from a file is usually to that person.
        from assistance.documents import _address

        initial |= {"party_name": beneficiary.full_name, "party_address": _address(beneficiary)}
    return initial, reply_to


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_write_letters)
def draft_outgoing(request):
    initial, reply_to = _draft_initial(request)
    form = OutgoingDraftForm(request.POST or None, user=request.user, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "actor": request.user,
            "template": data["template"],
            "party_name": data["party_name"],
            "party_organisation": data["party_organisation"],
            "in_reply_to": reply_to,
            **form.links(),
        }
        try:
            if "preview" in request.POST:
                subject, body = services.preview_from_template(**arguments)
                preview = {
                    "subject": subject,
                    "body": body,
                    "signatory_name": data["signatory_name"],
                    "signatory_title": data["signatory_title"],
                    **form.party(),
                }
            else:
                letter = services.letter_draft_create(
                    party_address=data["party_address"],
                    signatory_name=data["signatory_name"],
                    signatory_title=data["signatory_title"],
                    **arguments,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if preview is None:
                messages.success(
                    request,
                    _("The draft has been saved. Read it, correct it if needed, then issue it."),
                )
                return redirect(_detail_url(letter))
    context = {
        "form": form,
        "preview": preview,
        "reply_to": reply_to,
        "placeholders": _placeholder_help(),
        "title": _("Draft an outgoing letter"),
    }
    if request.htmx and "preview" in request.POST:
        return render(request, "correspondence/_draft_form.html", context)
    return render(request, "correspondence/outgoing_form.html", context)


def _placeholder_help() -> list[tuple[str, str]]:
    return [("{" + name + "}", description) for name, (description, _field) in PLACEHOLDERS.items()]


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_write_letters)
def draft_edit(request, public_id):
    letter = selectors.letter_get(request.user, public_id)
    if letter.status != LetterStatus.DRAFT:
        messages.error(
            request, _("An issued letter cannot be changed: write a new letter instead.")
        )
        return redirect(_detail_url(letter))
    initial = link_initial(letter) | {
        name: getattr(letter, name) for name in services.EDITABLE_FIELDS
    }
    form = DraftEditForm(request.POST or None, user=request.user, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in services.EDITABLE_FIELDS}
        if "preview" in request.POST:
            preview = fields
        else:
            try:
                services.letter_draft_update(
                    actor=request.user, letter=letter, **fields, **form.links()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The draft has been saved."))
                return redirect(_detail_url(letter))
    context = {
        "form": form,
        "letter": letter,
        "preview": preview,
        "title": _("Edit the draft letter"),
    }
    if request.htmx and "preview" in request.POST:
        return render(request, "correspondence/_draft_form.html", context)
    return render(request, "correspondence/outgoing_form.html", context)


@require_GET
@role_required(permissions.can_read_letters)
def letter_detail(request, public_id):
    letter = selectors.letter_get(request.user, public_id)
    user = request.user
    context = selectors.letter_detail(user, letter)
    can_write = permissions.can_write_letters(user)
    context |= {
        "title": letter.reference or _("Draft letter"),
        "can_write": can_write,
        "can_issue": permissions.can_issue_letters(user),
        "can_open_attachments": permissions.can_open_attachments(user),
        "attach_form": AttachForm(),
    }
    if can_write and letter.is_open:
        context["refer_form"] = ReferForm(letter=letter)
        context["file_form"] = FileForm()
    if can_write and letter.status == LetterStatus.ISSUED:
        context["send_form"] = SendForm()
    return render(request, "correspondence/detail.html", context)


@require_GET
@role_required(permissions.can_read_letters)
def letter_pdf(request, public_id):
    """An issued letter's stored PDF (each download logged), or a draft's watermarked preview
    rendered on the spot (not stored, not a letter)."""
    letter = selectors.letter_get(request.user, public_id)
    if letter.direction != Direction.OUTGOING:
        raise Http404
    if letter.status == LetterStatus.DRAFT:
        from .documents import letter_pdf as render_letter

        content = render_letter(letter, enclosures=letter.attachments.count())
        return pdf_response(content, "draft.pdf")
    services.letter_pdf_opened(actor=request.user, letter=letter)
    try:
        return private_file_response(
            letter.pdf, content_type="application/pdf", filename=f"{letter.reference}.pdf"
        )
    except FileNotFoundError as exc:
        raise Http404 from exc


def _act(request, letter, action, success: str, anchor: str = ""):
    """Run a service from a small form on the letter page; refusals come back as messages."""
    try:
        action()
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, success)
    return redirect(_detail_url(letter) + anchor)


def _form_errors(request, form, letter, anchor: str = ""):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect(_detail_url(letter) + anchor)


@require_POST
@role_required(permissions.can_issue_letters)
def letter_issue(request, public_id):
    letter = selectors.letter_get(request.user, public_id)
    try:
        letter = services.letter_issue(actor=request.user, letter=letter)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(_detail_url(letter))
    messages.success(
        request,
        _("Issued as %(reference)s. The PDF is fixed; print it or send it, then record how.")
        % {"reference": letter.reference},
    )
    return redirect(_detail_url(letter))


@require_POST
@role_required(permissions.can_write_letters)
def letter_mark_sent(request, public_id):
    letter = selectors.letter_get(request.user, public_id)
    form = SendForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form, letter, "#dispatch")
    data = form.cleaned_data
    return _act(
        request,
        letter,
        lambda: services.letter_mark_sent(
            actor=request.user,
            letter=letter,
            method=data["method"],
            sent_on=data["sent_on"],
            note=data["note"],
        ),
        _("The dispatch has been recorded."),
    )


@require_POST
@role_required(permissions.can_write_letters)
def letter_refer(request, public_id):
    letter = selectors.letter_get(request.user, public_id)
    form = ReferForm(request.POST, letter=letter)
    if not form.is_valid():
        return _form_errors(request, form, letter, "#actions")
    return _act(
        request,
        letter,
        lambda: services.letter_refer(
            actor=request.user,
            letter=letter,
            to=form.cleaned_data["to"],
            note=form.cleaned_data["note"],
        ),
        _("The letter has been referred; they have been told by e-mail."),
    )


@require_POST
@role_required(permissions.can_write_letters)
def letter_file(request, public_id):
    letter = selectors.letter_get(request.user, public_id)
    form = FileForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form, letter, "#actions")
    return _act(
        request,
        letter,
        lambda: services.letter_file(
            actor=request.user, letter=letter, note=form.cleaned_data["note"]
        ),
        _("The letter has been filed."),
    )


@require_POST
@role_required(permissions.can_write_letters)
def draft_discard(request, public_id):
    letter = selectors.letter_get(request.user, public_id)
    try:
        services.letter_draft_discard(actor=request.user, letter=letter)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect(_detail_url(letter))
    messages.success(request, _("The draft has been discarded."))
    return redirect("correspondence:list")


@require_POST
@role_required(permissions.can_write_letters)
def attachment_add(request, public_id):
    letter = selectors.letter_get(request.user, public_id)
    form = AttachForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_errors(request, form, letter, "#attachments")
    return _act(
        request,
        letter,
        lambda: services.attachment_add(
            actor=request.user,
            letter=letter,
            uploads=form.cleaned_data["attachments"],
            description=form.cleaned_data["description"],
        ),
        _("The files have been attached."),
        "#attachments",
    )


@require_GET
@role_required(permissions.can_open_attachments)
def attachment_file(request, public_id, attachment_id):
    """An attachment, streamed to a permitted user after the view is logged."""
    letter = selectors.letter_get(request.user, public_id)
    attachment = selectors.attachment_get(request.user, letter, attachment_id)
    services.attachment_opened(actor=request.user, attachment=attachment)
    try:
        return private_file_response(
            attachment.file,
            content_type=attachment.content_type,
            filename=(
                f"{letter.reference or 'draft'}-{attachment.public_id.hex[:8]}"
                f".{attachment.extension}"
            ),
        )
    except FileNotFoundError as exc:
        raise Http404 from exc
