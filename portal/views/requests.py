"""Apply for support and follow my requests. (Being built.)"""

from django.http import Http404
from django.urls import path


def _pending(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("me/requests/", _pending, name="requests"),
    path("me/apply/", _pending, name="apply"),
]
