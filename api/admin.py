"""Integration clients, kept by the system administrator. Adding a client, or re-issuing its
credentials, shows the token and the webhook secret on one page, once; afterwards only the
key (the public half of the token) is ever shown."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from api import credentials, services
from api.models import ENDPOINTS, ApiClient
from inbox.models import Source


def _is_system_admin(request) -> bool:
    user = request.user
    return user.is_active and (user.is_superuser or user.role == Role.ADMIN)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "source",
        "channel",
        "is_active",
        "key",
        "credentials_issued_at",
        "last_used_at",
    ]
    list_filter = ["source", "is_active"]
    search_fields = ["name", "key"]
    readonly_fields = ["key", "created_at", "created_by", "credentials_issued_at", "last_used_at"]
    actions = ["reissue_credentials"]

    def has_module_permission(self, request):
        return _is_system_admin(request)

    def has_view_permission(self, request, obj=None):
        return _is_system_admin(request)

    def has_add_permission(self, request):
        return _is_system_admin(request)

    def has_change_permission(self, request, obj=None):
        return _is_system_admin(request)

    def has_delete_permission(self, request, obj=None):
        # Items keep the client's id inside their idempotency key; deactivate instead.
        return False

    def get_fields(self, request, obj=None):
        fields = ["name", "source", "channel", "is_active"]
        return fields if obj is None else fields + self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        # The source is part of the client's identity (its items' keys); fixed once created.
        return self.readonly_fields + (["source"] if obj is not None else [])

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "source":
            kwargs["choices"] = [(s.value, s.label) for s in Source if s in ENDPOINTS]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        request._api_credentials = services.api_client_create(actor=request.user, client=obj)

    def response_add(self, request, obj, post_url_continue=None):
        issued = getattr(request, "_api_credentials", None)
        if issued is None:
            return super().response_add(request, obj, post_url_continue)
        return self._show_credentials(request, obj, issued)

    @admin.action(description=gettext_lazy("Issue a new token and webhook secret"))
    def reissue_credentials(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Choose exactly one client to re-issue."), level=messages.ERROR
            )
            return None
        if not _is_system_admin(request):
            raise PermissionDenied
        client = queryset.get()
        issued = services.api_client_rotate(actor=request.user, client=client)
        client.refresh_from_db()
        return self._show_credentials(request, client, issued)

    def _show_credentials(self, request, client: ApiClient, issued: credentials.Credentials):
        """The one page that shows the secrets; never cached by the browser or a proxy."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Credentials for %(name)s") % {"name": client.name},
            "client": client,
            "issued": issued,
            "endpoint": request.build_absolute_uri(reverse(ENDPOINTS[client.source])),
            "signed": client.source != Source.WEB_FORM,
            "signature_header": credentials.SIGNATURE_HEADER,
            "timestamp_header": credentials.TIMESTAMP_HEADER,
            "opts": self.model._meta,
        }
        response = TemplateResponse(request, "admin/api/apiclient/credentials.html", context)
        add_never_cache_headers(response)
        return response
