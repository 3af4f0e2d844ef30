from django.contrib import admin

from core.models import ActivityLog, Channel, City, Holiday


@admin.register(Channel, City)
class BilingualAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "code", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["name_ar", "name_en", "code"]


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only and only the system writes it."""

    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action"]
    list_select_related = ["actor", "target_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name_ar", "name_en"]
    date_hierarchy = "date"
