from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<uuid:public_id>/", views.rule_detail, name="rule_detail"),
    path("rules/<uuid:public_id>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<uuid:public_id>/send/", views.rule_send, name="rule_send"),
    path("rules/<uuid:public_id>/active/", views.rule_activate, name="rule_activate"),
    path("rules/<uuid:public_id>/runs/", views.rule_runs, name="rule_runs"),
    path("seasons/", views.seasons, name="seasons"),
    path("seasons/<slug:code>/date/", views.season_date, name="season_date"),
    path("seasons/<slug:code>/reset/", views.season_reset, name="season_reset"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<uuid:public_id>/close/", views.task_close, name="task_close"),
]
