from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("articles/new/", views.article_create, name="article_create"),
    path("articles/<uuid:public_id>/", views.article_detail, name="article_detail"),
    path("articles/<uuid:public_id>/edit/", views.article_edit, name="article_edit"),
    path("articles/<uuid:public_id>/status/", views.article_status, name="article_status"),
    path("articles/<uuid:public_id>/vote/", views.article_vote, name="article_vote"),
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/new/", views.policy_create, name="policy_create"),
    path("policies/<uuid:public_id>/", views.policy_detail, name="policy_detail"),
    path("policies/<uuid:public_id>/edit/", views.policy_edit, name="policy_edit"),
    path("policies/<uuid:public_id>/versions/new/", views.version_add, name="version_add"),
    path(
        "policies/<uuid:public_id>/acknowledgements/",
        views.policy_acknowledgements,
        name="policy_acknowledgements",
    ),
    path("versions/<uuid:public_id>/", views.version_detail, name="version_detail"),
    path("versions/<uuid:public_id>/approve/", views.version_approve, name="version_approve"),
    path("versions/<uuid:public_id>/file/", views.version_file, name="version_file"),
    path(
        "versions/<uuid:public_id>/acknowledge/",
        views.version_acknowledge,
        name="version_acknowledge",
    ),
]
