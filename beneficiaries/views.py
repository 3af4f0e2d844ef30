"""Registry screens. Each view: load through a selector, check permission, call a service,
render. htmx requests get the named partial of the same screen."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from accounts.models import Branch
from beneficiaries import selectors, services
from beneficiaries.forms import (
    BeneficiaryForm,
    ConsentForm,
    DocumentForm,
    IncomeForm,
    MemberForm,
    ObligationForm,
)
from beneficiaries.models import Beneficiary, Category, HouseholdMember, IncomeSource, Obligation
from core.decorators import role_required
from core.forms import add_service_errors
from core.http import private_file_response
from core.listing import Sort, paginate

SORT_COLUMNS = {"name": "name_key", "created": "created_at", "birth": "birth_date"}


@require_GET
@role_required(permissions.can_view_registry)
def beneficiary_list(request):
    user = request.user
    query = request.GET.get("q", "").strip()
    sort = Sort.from_request(request, SORT_COLUMNS, "-created")
    qs = selectors.beneficiaries_for(user)
    category = request.GET.get("category", "")
    if category.isdigit():
        qs = qs.filter(categories=int(category))
    branch = request.GET.get("branch", "")
    if branch.isdigit() and not user.branch_id:
        qs = qs.filter(branch_id=int(branch))

    if query:
        ranked = selectors.beneficiary_search(user, query)
        if category or branch:
            allowed = set(qs.filter(pk__in=ranked).values_list("pk", flat=True))
            ranked = [pk for pk in ranked if pk in allowed]
        page = paginate(request, ranked, settings.MUSTAFID["PAGE_SIZE"])
        rows = {b.pk: b for b in _list_rows(Beneficiary.objects.filter(pk__in=page.object_list))}
        page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    else:
        page = paginate(
            request, _list_rows(qs.order_by(*sort.order_by)), settings.MUSTAFID["PAGE_SIZE"]
        )

    context = {
        "page": page,
        "query": query,
        "sort": sort,
        "categories": Category.objects.filter(is_active=True),
        "branches": Branch.objects.filter(is_active=True) if not user.branch_id else [],
        "selected_category": category,
        "selected_branch": branch,
        "can_create": permissions.can_edit_registry(user),
        "title": _("Beneficiaries"),
    }
    template = "beneficiaries/_results.html" if request.htmx else "beneficiaries/list.html"
    return render(request, template, context)


def _list_rows(qs):
    return qs.select_related("branch", "city").prefetch_related("categories")


def _form_context(form, candidates, beneficiary=None):
    return {
        "form": form,
        "candidates": candidates,
        "beneficiary": beneficiary,
        "title": _("Edit beneficiary") if beneficiary else _("Register a beneficiary"),
    }


def _save_beneficiary(request, form, beneficiary=None):
    """Validate, check for duplicates, save. Returns (saved beneficiary or None, candidates)."""
    data = form.cleaned_data
    candidates = selectors.duplicate_candidates(
        request.user,
        first_name=data["first_name"],
        father_name=data["father_name"],
        grandfather_name=data["grandfather_name"],
        family_name=data["family_name"],
        birth_date=data["birth_date"],
        mobile=data["mobile"],
        exclude_pk=beneficiary.pk if beneficiary else None,
    )
    if beneficiary is not None:
        decided = set(beneficiary.duplicate_decisions.values_list("candidate_id", flat=True))
        candidates = [c for c in candidates if c.beneficiary.pk not in decided]
    if candidates and not data.get("confirm_distinct"):
        return None, candidates
    confirmed = [c.beneficiary for c in candidates]
    try:
        if beneficiary is None:
            saved = services.beneficiary_create(
                actor=request.user,
                data=form.model_data(),
                categories=data["categories"],
                confirmed_distinct=confirmed,
            )
        else:
            saved = services.beneficiary_update(
                actor=request.user,
                beneficiary=beneficiary,
                data=form.model_data(),
                categories=data["categories"],
                confirmed_distinct=confirmed,
            )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None, []
    except IntegrityError:
        # Another desk registered the same identity number a moment ago.
        form.add_error("id_number", _("This identity number is already registered."))
        return None, []
    return saved, []


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_edit_registry)
def beneficiary_create(request):
    candidates = []
    form = BeneficiaryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved, candidates = _save_beneficiary(request, form)
        if saved:
            messages.success(request, _("The beneficiary has been registered."))
            return redirect("beneficiaries:detail", public_id=saved.public_id)
    return render(request, "beneficiaries/form.html", _form_context(form, candidates))


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_edit_registry)
def beneficiary_edit(request, public_id):
    beneficiary = selectors.beneficiary_get(request.user, public_id)
    candidates = []
    initial = {"categories": list(beneficiary.categories.all())}
    form = BeneficiaryForm(
        request.POST or None, instance=beneficiary, initial=initial, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        saved, candidates = _save_beneficiary(request, form, beneficiary)
        if saved:
            messages.success(request, _("The changes have been saved."))
            return redirect("beneficiaries:detail", public_id=saved.public_id)
    return render(request, "beneficiaries/form.html", _form_context(form, candidates, beneficiary))


@require_GET
@role_required(permissions.can_view_registry)
def beneficiary_detail(request, public_id):
    beneficiary = selectors.beneficiary_get(request.user, public_id)
    services.beneficiary_viewed(actor=request.user, beneficiary=beneficiary)
    context = selectors.beneficiary_detail(request.user, beneficiary)
    context |= {
        "title": beneficiary.full_name,
        "can_edit": permissions.can_edit_registry(request.user),
        "can_upload": permissions.can_upload_documents(request.user),
    }
    return render(request, "beneficiaries/detail.html", context)


# --- Household, money, documents, consent: small forms on their own pages -----------------


def _child_form_view(request, public_id, form_class, save, title, anchor, instance=None):
    beneficiary = selectors.beneficiary_get(request.user, public_id)
    form = form_class(request.POST or None, instance=instance, beneficiary=beneficiary)
    if request.method == "POST" and form.is_valid():
        try:
            save(beneficiary, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("beneficiaries:detail", args=[beneficiary.public_id]) + anchor)
    return render(
        request,
        "beneficiaries/child_form.html",
        {"form": form, "beneficiary": beneficiary, "title": title, "anchor": anchor},
    )


def _member_data(form):
    return dict(form.cleaned_data)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_edit_registry)
def member_add(request, public_id):
    return _child_form_view(
        request,
        public_id,
        MemberForm,
        lambda b, form: services.member_save(
            actor=request.user, beneficiary=b, data=_member_data(form)
        ),
        _("Add a household member"),
        "#household",
    )


def _member_get(request, public_id, member_id) -> HouseholdMember:
    beneficiary = selectors.beneficiary_get(request.user, public_id)
    return get_object_or_404(beneficiary.members, public_id=member_id)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_edit_registry)
def member_edit(request, public_id, member_id):
    member = _member_get(request, public_id, member_id)
    return _child_form_view(
        request,
        public_id,
        MemberForm,
        lambda b, form: services.member_save(
            actor=request.user, beneficiary=b, member=member, data=_member_data(form)
        ),
        _("Edit household member"),
        "#household",
        instance=member,
    )


@require_POST
@role_required(permissions.can_edit_registry)
def member_remove(request, public_id, member_id):
    member = _member_get(request, public_id, member_id)
    services.member_remove(actor=request.user, member=member)
    messages.success(request, _("The household member has been removed."))
    return redirect(reverse("beneficiaries:detail", args=[public_id]) + "#household")


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_edit_registry)
def income_add(request, public_id):
    return _child_form_view(
        request,
        public_id,
        IncomeForm,
        lambda b, form: services.income_add(
            actor=request.user, beneficiary=b, data=form.cleaned_data
        ),
        _("Add an income source"),
        "#money",
    )


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_edit_registry)
def obligation_add(request, public_id):
    return _child_form_view(
        request,
        public_id,
        ObligationForm,
        lambda b, form: services.obligation_add(
            actor=request.user, beneficiary=b, data=form.cleaned_data
        ),
        _("Add an obligation"),
        "#money",
    )


@require_POST
@role_required(permissions.can_edit_registry)
def money_remove(request, public_id, kind, row_id):
    beneficiary = selectors.beneficiary_get(request.user, public_id)
    model = {"income": IncomeSource, "obligation": Obligation}.get(kind)
    if model is None:
        raise Http404
    row = get_object_or_404(model, beneficiary=beneficiary, public_id=row_id)
    row.beneficiary = beneficiary
    services.money_row_remove(actor=request.user, row=row)
    messages.success(request, _("Removed."))
    return redirect(reverse("beneficiaries:detail", args=[public_id]) + "#money")


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_upload_documents)
def document_add(request, public_id):
    beneficiary = selectors.beneficiary_get(request.user, public_id)
    form = DocumentForm(request.POST or None, request.FILES or None, beneficiary=beneficiary)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_upload(
                actor=request.user,
                beneficiary=beneficiary,
                doc_type=data["doc_type"],
                upload=data["upload"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                member=data["member"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document has been uploaded."))
            return redirect(reverse("beneficiaries:detail", args=[public_id]) + "#documents")
    return render(
        request,
        "beneficiaries/child_form.html",
        {
            "form": form,
            "beneficiary": beneficiary,
            "title": _("Upload a document"),
            "anchor": "#documents",
            "multipart": True,
        },
    )


@require_GET
@role_required(permissions.can_view_sensitive)
def document_file(request, document_id):
    """Stream a document to a permitted user, after logging the access."""
    document = selectors.document_get(request.user, document_id)
    download = request.GET.get("download") == "1"
    services.document_opened(actor=request.user, document=document, download=download)
    try:
        return private_file_response(
            document.file,
            content_type=document.content_type,
            filename=f"{document.doc_type.code}-{document.public_id.hex[:8]}.{document.extension}",
            download=download,
        )
    except FileNotFoundError as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_edit_registry)
def consent_add(request, public_id):
    beneficiary = selectors.beneficiary_get(request.user, public_id)
    form = ConsentForm(request.POST or None, beneficiary=beneficiary)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(
                actor=request.user,
                beneficiary=beneficiary,
                notice=form.cleaned_data["notice"],
                channel=form.cleaned_data["channel"],
            )
        except (ValidationError, IntegrityError):
            form.add_error("notice", _("This version has already been acknowledged."))
        else:
            messages.success(request, _("The consent has been recorded."))
            return redirect(reverse("beneficiaries:detail", args=[public_id]) + "#consent")
    notice = form["notice"].value()
    return render(
        request,
        "beneficiaries/consent_form.html",
        {
            "form": form,
            "beneficiary": beneficiary,
            "title": _("Record privacy consent"),
            "notices": list(form.fields["notice"].queryset),
            "selected_notice": notice,
        },
    )
