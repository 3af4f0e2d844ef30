from django.urls import path

from beneficiaries import views

app_name = "beneficiaries"
urlpatterns = [
    path("", views.beneficiary_list, name="list"),
    path("new/", views.beneficiary_create, name="create"),
    path("<uuid:public_id>/", views.beneficiary_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.beneficiary_edit, name="edit"),
    path("<uuid:public_id>/members/new/", views.member_add, name="member_add"),
    path("<uuid:public_id>/members/<uuid:member_id>/", views.member_edit, name="member_edit"),
    path(
        "<uuid:public_id>/members/<uuid:member_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("<uuid:public_id>/income/new/", views.income_add, name="income_add"),
    path("<uuid:public_id>/obligations/new/", views.obligation_add, name="obligation_add"),
    path(
        "<uuid:public_id>/<str:kind>/<uuid:row_id>/remove/",
        views.money_remove,
        name="money_remove",
    ),
    path("<uuid:public_id>/documents/new/", views.document_add, name="document_add"),
    path("<uuid:public_id>/consent/new/", views.consent_add, name="consent_add"),
    path("documents/<uuid:document_id>/", views.document_file, name="document_file"),
]

# Personal-data requests (PDPL): "data-requests/…" is not a UUID, so it never meets the
# "<uuid>/" routes above.
from beneficiaries import privacy_views  # noqa: E402

urlpatterns += [
    path("data-requests/", privacy_views.dsr_queue, name="dsr_queue"),
    path("data-requests/<uuid:dsr_id>/", privacy_views.dsr_detail, name="dsr_detail"),
    path("data-requests/<uuid:dsr_id>/copy.pdf", privacy_views.dsr_copy, name="dsr_copy"),
    path("data-requests/<uuid:dsr_id>/extend/", privacy_views.dsr_extend, name="dsr_extend"),
    path("data-requests/<uuid:dsr_id>/complete/", privacy_views.dsr_complete, name="dsr_complete"),
    path("data-requests/<uuid:dsr_id>/refuse/", privacy_views.dsr_refuse, name="dsr_refuse"),
    path("<uuid:public_id>/data-requests/new/", privacy_views.dsr_new, name="dsr_new"),
]
