"""Surveys in the configuration screens, read only.

Surveys are built in the app (`/surveys/builder/`), where `surveys.builder` keeps the rules a
plain admin form would break: a published version is never edited, one survey is active per
stage, and every change is written to the activity log. Here an administrator can see them
and is pointed there. Invitations, answers, follow-ups and actions are not in the admin.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from surveys.models import Question, Survey, SurveyVersion


class _ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VersionInline(_ReadOnly, admin.TabularInline):
    model = SurveyVersion
    fields = ["number", "published_at", "published_by"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Survey)
class SurveyAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["name_ar", "event", "is_active", "channel", "delay_hours", "builder_link"]
    list_filter = ["event", "is_active"]
    search_fields = ["name_ar", "name_en"]
    fields = [
        "builder_link",
        "name_ar",
        "name_en",
        "event",
        "is_active",
        "allow_anonymous",
        "delay_hours",
        "channel",
        "reminder_after_hours",
        "valid_days",
    ]
    readonly_fields = ["builder_link"]
    inlines = [VersionInline]

    @admin.display(description=_("Edit in the survey builder"))
    def builder_link(self, obj: Survey) -> str:
        url = reverse("surveys:survey_detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open in the builder"))


class QuestionInline(_ReadOnly, admin.TabularInline):
    model = Question
    fields = ["position", "kind", "text_ar", "text_en", "options", "required"]
    readonly_fields = fields
    extra = 0


@admin.register(SurveyVersion)
class SurveyVersionAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["survey", "number", "published_at"]
    list_filter = ["survey"]
    inlines = [QuestionInline]

    def has_module_permission(self, request) -> bool:
        # Reached from a survey's page only, not listed on the index.
        return False
