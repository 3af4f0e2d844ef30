from django.urls import path

from inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("<uuid:public_id>/", views.item_detail, name="detail"),
    path("<uuid:public_id>/identify/", views.item_identify, name="identify"),
    path("<uuid:public_id>/ticket/", views.item_ticket, name="ticket"),
    path("<uuid:public_id>/request/", views.item_request, name="request"),
    path("<uuid:public_id>/close/", views.item_close, name="close"),
]
