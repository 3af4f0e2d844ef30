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
