from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Branch, User


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "code", "city", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_ar", "name_en", "code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "branch", "is_active"]
    list_filter = ["role", "branch", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role and branch"), {"fields": ("full_name", "role", "branch", "gender", "mobile")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role and branch"), {"fields": ("full_name", "role", "branch", "gender")}),
    )
