"""Django admin serves configuration tables only; beneficiary files are edited in the app,
where services check scope and write the activity log."""

from django.contrib import admin

from beneficiaries.models import Category, DocumentType, PrivacyNotice


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "code", "requires_note", "is_sensitive", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name_ar", "name_en", "code"]


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "code", "has_expiry", "max_age_days", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name_ar", "name_en", "code"]


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    list_display = ["version", "effective_from", "created_at"]
