"""Configuration a manager edits without a code change (issue: aid types, required documents,
the decision period, eligibility rules, declarations). Requests themselves are worked in the
app, where services check permission and write the log."""

from django.contrib import admin

from assistance.models import (
    AidType,
    AssistancePolicy,
    Declaration,
    EligibilityRule,
    IncomeLimit,
    RequiredDocument,
)


@admin.register(AidType)
class AidTypeAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "code", "kind", "season", "is_active"]
    list_filter = ["kind", "season", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name_ar", "name_en", "code"]


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(admin.ModelAdmin):
    list_display = ["doc_type", "aid_type", "category", "max_age_days", "members_from_age"]
    list_filter = ["aid_type", "category"]


@admin.register(AssistancePolicy)
class AssistancePolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "decision_period_days",
        "decision_in_working_days",
        "appeal_window_days",
    ]

    def has_add_permission(self, request):
        return not AssistancePolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IncomeLimit)
class IncomeLimitAdmin(admin.ModelAdmin):
    list_display = ["household_size_from", "household_size_to", "monthly_limit_per_person"]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "value", "category", "aid_type", "is_active"]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["cities"]


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["version", "effective_from"]
