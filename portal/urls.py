"""The portal under /portal/. Each area's views module declares its own `urlpatterns`, so the
areas can grow without touching one another; names live in the one `portal` namespace."""

from django.urls import path

from portal.views import account, auth, public, requests, surveys, tickets

app_name = "portal"
urlpatterns = [
    path("login/", auth.login, name="login"),
    path("login/<uuid:challenge_id>/", auth.login_code, name="login_code"),
    path("consent/", auth.consent, name="consent"),
    path("logout/", auth.logout, name="logout"),
    path("me/", auth.home, name="home"),
    *public.urlpatterns,
    *account.urlpatterns,
    *requests.urlpatterns,
    *tickets.urlpatterns,
    *surveys.urlpatterns,
]
