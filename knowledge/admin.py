"""Django admin serves configuration tables only: articles and policies are written in the
app, where services check permission, keep the search index and write the activity log."""

from django.contrib import admin

from knowledge.models import ArticleCategory


@admin.register(ArticleCategory)
class ArticleCategoryAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name_ar", "name_en", "code"]
