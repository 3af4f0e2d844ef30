"""Configuration a manager edits without a code change: the letter templates. Letters
themselves are worked in the register, where services check permission and write the log."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from correspondence.models import PLACEHOLDERS, LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "code", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["name_ar", "name_en", "code", "subject_ar"]
    readonly_fields = ["available_placeholders"]
    fields = [
        "name_ar",
        "name_en",
        "code",
        "description",
        "subject_ar",
        "body_ar",
        "available_placeholders",
        "is_active",
        "sort_order",
    ]

    @admin.display(description=_("Placeholders available"))
    def available_placeholders(self, obj=None):
        return format_html_join(
            "",
            '<div><code dir="ltr">{{{}}}</code> — {}</div>',
            ((name, description) for name, (description, _field) in PLACEHOLDERS.items()),
        )
