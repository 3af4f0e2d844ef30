"""Configuration in the admin: the seasons' names and usual days. Rules, their runs and tasks
are worked on the outreach screens, through the services that audit them."""

from django.contrib import admin

from outreach.models import Season


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "name_en", "calendar", "start_month", "start_day")
    list_filter = ("is_active",)

    def get_readonly_fields(self, request, obj=None):
        # The code names the season in rules' idempotency keys: fixed once created.
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        # Rules refer to seasons; switching one off hides it instead.
        return False
