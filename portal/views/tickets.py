"""My inquiries, complaints and suggestions. (Being built.)"""

from django.http import Http404
from django.urls import path


def _pending(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("me/tickets/", _pending, name="tickets"),
    path("me/tickets/new/", _pending, name="ticket_new"),
]
