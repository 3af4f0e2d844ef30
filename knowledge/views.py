"""Knowledge-base and policy-registry screens. Each view: load through a selector, check
permission, call a service, render. htmx requests get the named partial of the same screen."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import activity
from core.decorators import role_required
from core.forms import add_service_errors, flash_errors
from core.http import private_file_response
from core.listing import paginate
from knowledge import permissions, selectors, services
from knowledge.forms import (
    ArticleForm,
    PolicyApprovalForm,
    PolicyDocumentForm,
    PolicyVersionForm,
    VoteForm,
)
from knowledge.models import (
    Article,
    ArticleCategory,
    ArticleKind,
    ArticleStatus,
    Audience,
)

SEARCH_LIMIT = 200  # ranked matches a search page can page through

# --- Knowledge base -----------------------------------------------------------------------


def _choice(value: str, choices) -> str:
    return value if value in dict(choices) else ""


@require_GET
@role_required(permissions.is_staff_member)
def article_list(request):
    user = request.user
    query = request.GET.get("q", "").strip()
    can_write = permissions.can_write_articles(user)
    filters = {
        "category": request.GET.get("category", ""),
        "kind": _choice(request.GET.get("kind", ""), ArticleKind.choices),
        "audience": _choice(request.GET.get("audience", ""), Audience.choices),
        # Drafts and archived articles are listed for writers only, on request.
        "status": _choice(request.GET.get("status", ""), ArticleStatus.choices)
        if can_write
        else "",
    }
    qs = selectors.articles_for(user).filter(status=filters["status"] or ArticleStatus.PUBLISHED)
    if filters["category"]:
        qs = qs.filter(category__code=filters["category"])
    if filters["kind"]:
        qs = qs.filter(kind=filters["kind"])
    if filters["audience"]:
        qs = qs.filter(audience=filters["audience"])

    page_size = settings.MUSTAFID["PAGE_SIZE"]
    if query:
        ranked = selectors.ranked_article_ids(qs, query, limit=SEARCH_LIMIT)
        page = paginate(request, ranked, page_size)
        rows = Article.objects.select_related("category").in_bulk(page.object_list)
        page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    else:
        rows = qs.select_related("category").order_by("category__sort_order", "-updated_at")
        page = paginate(request, rows, page_size)

    context = {
        "page": page,
        "query": query,
        "filters": filters,
        "categories": ArticleCategory.objects.filter(is_active=True),
        "kinds": ArticleKind.choices,
        "audiences": Audience.choices,
        "statuses": ArticleStatus.choices if can_write else [],
        "can_write": can_write,
        "title": _("Knowledge base"),
    }
    template = "knowledge/_article_results.html" if request.htmx else "knowledge/article_list.html"
    return render(request, template, context)


@require_GET
@role_required(permissions.is_staff_member)
def article_detail(request, public_id):
    article = selectors.article_get(request.user, public_id, include_drafts=True)
    if article.is_published:
        services.article_viewed(article=article)
        article.view_count += 1  # the page shows the count including this reading
    user = request.user
    context = {
        "article": article,
        "my_vote": selectors.vote_of(user, article),
        "can_edit": permissions.can_edit_article(user, article),
        "can_publish": permissions.can_publish_articles(user),
        "timeline": list(activity.entries_for(article, limit=20))
        if permissions.can_write_articles(user)
        else [],
        "title": article.title,
    }
    return render(request, "knowledge/article_detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_write_articles)
def article_create(request):
    can_publish = permissions.can_publish_articles(request.user)
    form = ArticleForm(request.POST or None, can_publish=can_publish)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(
                actor=request.user,
                publish=form.cleaned_data.get("publish", False),
                **form.article_data(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if article.is_published:
                messages.success(request, _("The article has been published."))
            else:
                messages.success(request, _("The article has been saved as a draft."))
            return redirect(article)
    context = {"form": form, "title": _("New article")}
    return render(request, "knowledge/article_form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_write_articles)
def article_edit(request, public_id):
    article = selectors.article_get(request.user, public_id, include_drafts=True)
    if not permissions.can_edit_article(request.user, article):
        raise PermissionDenied
    form = ArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        try:
            # The form worked on `article` in memory; the service reloads it under a lock.
            services.article_update(actor=request.user, article=article, **form.article_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(article)
    context = {"form": form, "article": article, "title": _("Edit article")}
    return render(request, "knowledge/article_form.html", context)


@require_POST
@role_required(permissions.can_publish_articles)
def article_status(request, public_id):
    article = selectors.article_get(request.user, public_id, include_drafts=True)
    status = request.POST.get("status", "")
    try:
        services.article_set_status(actor=request.user, article=article, status=status)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            {
                ArticleStatus.PUBLISHED: _("The article has been published."),
                ArticleStatus.ARCHIVED: _("The article has been archived."),
                ArticleStatus.DRAFT: _("The article is a draft again."),
            }[status],
        )
    return redirect(article)


@require_POST
@role_required(permissions.is_staff_member)
def article_vote(request, public_id):
    article = selectors.article_get(request.user, public_id, include_drafts=True)
    form = VoteForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.article_vote(
                actor=request.user, article=article, helpful=form.cleaned_data["helpful"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose whether the article was helpful.")
    if request.htmx:
        article.refresh_from_db(fields=["helpful_count", "unhelpful_count"])
        context = {
            "article": article,
            "my_vote": selectors.vote_of(request.user, article),
            "vote_error": error,
            "voted": not error,
        }
        return render(request, "knowledge/_vote.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you: your rating has been recorded."))
    return redirect(article)


# --- Policy registry ----------------------------------------------------------------------


@require_GET
@role_required(permissions.is_staff_member)
def policy_list(request):
    context = {
        "documents": selectors.policy_list(request.user),
        "can_manage": permissions.can_manage_policies(request.user),
        "title": _("Policies and guides"),
    }
    return render(request, "knowledge/policy_list.html", context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_policies)
def policy_create(request):
    form = PolicyDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.policy_create(actor=request.user, **form.document_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document has been added. Add its first version."))
            return redirect("knowledge:version_add", public_id=document.public_id)
    context = {"form": form, "title": _("New policy or guide")}
    return render(request, "knowledge/policy_form.html", context)


@require_GET
@role_required(permissions.is_staff_member)
def policy_detail(request, public_id):
    document = selectors.document_get(request.user, public_id)
    context = selectors.policy_detail(request.user, document)
    context |= {
        "can_manage": permissions.can_manage_policies(request.user),
        "timeline": list(activity.entries_for(document, limit=30))
        if permissions.can_manage_policies(request.user)
        else [],
        "title": document.title,
    }
    return render(request, "knowledge/policy_detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_policies)
def policy_edit(request, public_id):
    document = selectors.document_get(request.user, public_id)
    form = PolicyDocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=request.user, document=document, **form.document_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(document)
    context = {"form": form, "document": document, "title": _("Edit policy or guide")}
    return render(request, "knowledge/policy_form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_policies)
def version_add(request, public_id):
    document = selectors.document_get(request.user, public_id)
    form = PolicyVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.policy_version_add(
                actor=request.user,
                document=document,
                label=data["label"],
                text=data["text"],
                file=data["file"],
                changes_summary=data["changes_summary"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The version has been saved as a draft. Record its approval when ready.")
            )
            return redirect(document)
    context = {"form": form, "document": document, "title": _("Add a version")}
    return render(request, "knowledge/version_form.html", context)


@require_GET
@role_required(permissions.is_staff_member)
def version_detail(request, public_id):
    version = selectors.version_get(request.user, public_id)
    context = {
        "version": version,
        "document": version.document,
        "can_manage": permissions.can_manage_policies(request.user),
        "title": f"{version.document.title} — {version.display_label}",
    }
    return render(request, "knowledge/version_detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_manage_policies)
def version_approve(request, public_id):
    version = selectors.version_get(request.user, public_id)
    form = PolicyApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_version_approve(
                actor=request.user, version=version, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The approval has been recorded; this version is in force.")
            )
            return redirect(version.document)
    context = {
        "form": form,
        "version": version,
        "document": version.document,
        "title": _("Record the approval"),
    }
    return render(request, "knowledge/version_approve.html", context)


@require_GET
@role_required(permissions.is_staff_member)
def version_file(request, public_id):
    version = selectors.version_get(request.user, public_id)
    if not version.file:
        raise Http404
    download = request.GET.get("download") == "1"
    services.policy_file_opened(actor=request.user, version=version, download=download)
    filename = f"{version.document.title} - {version.display_label}.pdf"
    return private_file_response(
        version.file, content_type="application/pdf", filename=filename, download=download
    )


@require_POST
@role_required(permissions.is_staff_member)
def version_acknowledge(request, public_id):
    version = selectors.version_get(request.user, public_id)
    try:
        services.policy_acknowledge(actor=request.user, version=version)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Thank you: your reading has been recorded."))
    return redirect(version.document)


@require_GET
@role_required(permissions.can_manage_policies)
def policy_acknowledgements(request, public_id):
    document = selectors.document_get(request.user, public_id)
    current, groups = selectors.acknowledgement_report(request.user, document)
    context = {
        "document": document,
        "current": current,
        "groups": groups,
        "title": _("Read acknowledgements"),
    }
    return render(request, "knowledge/acknowledgements.html", context)
