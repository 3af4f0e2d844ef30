from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Mustafid administration")
admin.site.site_title = _("Mustafid")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("beneficiaries/", include("beneficiaries.urls")),
    path("requests/", include("assistance.urls")),
    path("contact/", include("contact.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("letters/", include("correspondence.urls")),
    path("inbox/", include("inbox.urls")),
    path("surveys/", include("surveys.urls")),
    path("outreach/", include("outreach.urls")),
    path("reports/", include("reports.urls")),
    path("api/", include("api.urls")),
    path("portal/", include("portal.urls")),
    path("", include("core.urls")),
]
