from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("dates/preview/", views.date_preview, name="date_preview"),
]
