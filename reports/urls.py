from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance.pdf", views.compliance_pdf, name="compliance_pdf"),
    path("requests/", views.request_list, name="requests"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("contacts/", views.contact_list, name="contacts"),
]
