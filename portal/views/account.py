"""Profile, household, documents, notifications and my data. (Being built.)"""

from django.http import Http404
from django.urls import path


def _pending(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("me/profile/", _pending, name="profile"),
    path("me/documents/", _pending, name="documents"),
    path("me/notifications/", _pending, name="notifications"),
    path("me/data/", _pending, name="my_data"),
]
