"""Public pages, no sign-in. (Being built.)"""

from django.http import Http404
from django.urls import path


def _pending(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("", _pending, name="index"),
    path("services/", _pending, name="services"),
    path("kb/", _pending, name="kb"),
    path("policies/", _pending, name="policies"),
    path("reach-us/", _pending, name="channels"),
    path("contact/", _pending, name="contact"),
    path("status/", _pending, name="status"),
]
