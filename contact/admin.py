"""Configuration tables of the contact centre: ticket categories with their deadlines, and
the escalation ladder. Contacts, visits and tickets are worked on in the app's own screens,
which check scope and confidentiality; they are not in the admin."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from contact import services
from contact.models import EscalationLevel, TicketCategory


class EscalationLevelForm(forms.ModelForm):
    class Meta:
        model = EscalationLevel
        fields = ["category", "trigger", "level", "hours_after", "notify_roles", "notify_owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A level may tell only the ticket's owner.
        self.fields["notify_roles"].required = False

    def clean_notify_roles(self):
        roles = self.cleaned_data.get("notify_roles") or []
        if not isinstance(roles, list) or any(role not in Role.values for role in roles):
            raise ValidationError(
                _("Give a list of role codes, from: %(codes)s."),
                params={"codes": ", ".join(Role.values)},
            )
        return roles


class EscalationLevelInline(admin.TabularInline):
    model = EscalationLevel
    form = EscalationLevelForm
    extra = 0
    fields = ["trigger", "level", "hours_after", "notify_roles", "notify_owner"]


@admin.register(TicketCategory)
class TicketCategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name_ar",
        "name_en",
        "kind",
        "first_response_hours",
        "resolution_hours",
        "about_staff",
        "is_active",
        "sort_order",
    ]
    list_filter = ["kind", "about_staff", "is_active"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["name_ar", "name_en", "code"]
    inlines = [EscalationLevelInline]

    def save_model(self, request, obj, form, change):
        # Through the service: a category made about staff hides its tickets at once.
        services.category_save(category=obj)


@admin.register(EscalationLevel)
class EscalationLevelAdmin(admin.ModelAdmin):
    """The default ladder (no category) and any category's own rows."""

    form = EscalationLevelForm
    list_display = ["trigger", "level", "category", "hours_after", "notify_roles", "notify_owner"]
    list_filter = ["trigger", "category"]
    list_select_related = ["category"]
