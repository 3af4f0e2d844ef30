"""Templates are configuration and editable; messages are a record, read-only, with actions
that go through the services (so they are permission-checked and logged)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import permissions
from notify import services
from notify.models import Message, MessageTemplate


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "channel", "description", "is_active", "quiet_hours", "updated_at"]
    list_filter = ["channel", "is_active", "quiet_hours"]
    list_editable = ["is_active"]
    search_fields = ["code", "description", "body_ar", "body_en"]
    fields = [
        "code",
        "channel",
        "description",
        "subject_ar",
        "subject_en",
        "body_ar",
        "body_en",
        "is_active",
        "quiet_hours",
    ]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "template_code",
        "status",
        "attempts",
        "sent_at",
        "provider",
    ]
    list_filter = ["status", "channel", "template_code", "provider"]
    search_fields = ["public_id", "template_code", "provider_message_id", "idempotency_key"]
    date_hierarchy = "created_at"
    actions = ["retry", "cancel"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request):
        return permissions.can_manage_configuration(request.user)

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for message in queryset:
            try:
                service(actor=request.user, message=message)
            except (ValidationError, PermissionDenied) as exc:
                reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else ""
                self.message_user(
                    request, f"{message.public_id}: {reason}".rstrip(": "), messages.WARNING
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Send the selected messages again"), permissions=["manage"])
    def retry(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.message_retry,
            lambda n: ngettext(
                "%(count)d message will be sent again.",
                "%(count)d messages will be sent again.",
                n,
            ),
        )

    @admin.action(description=_("Cancel the selected messages"), permissions=["manage"])
    def cancel(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.message_cancel,
            lambda n: ngettext("%(count)d message cancelled.", "%(count)d messages cancelled.", n),
        )
