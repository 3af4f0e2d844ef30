from django.urls import path

from contact import views

app_name = "contact"
urlpatterns = [
    # Contacts (P4)
    path("", views.interaction_list, name="list"),
    path("log/", views.interaction_log, name="log"),
    path("log/details/", views.channel_details, name="details"),
    path("find/", views.beneficiary_find, name="find"),
    path("<uuid:public_id>/", views.interaction_detail, name="interaction"),
    path("<uuid:public_id>/identify/", views.interaction_identify, name="identify"),
    # Reception (P6.1)
    path("reception/", views.desk, name="desk"),
    path("reception/check-in/", views.visit_check_in, name="check_in"),
    path("reception/<uuid:public_id>/start/", views.visit_start, name="visit_start"),
    path("reception/<uuid:public_id>/end/", views.visit_end, name="visit_end"),
    path("reception/times/", views.visit_stats, name="visit_stats"),
    # Tickets (P2, P3.7.5)
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/new/", views.ticket_new, name="ticket_new"),
    path("tickets/<uuid:public_id>/", views.ticket_detail, name="ticket"),
    path("tickets/<uuid:public_id>/assign/", views.ticket_assign, name="ticket_assign"),
    path("tickets/<uuid:public_id>/take/", views.ticket_take, name="ticket_take"),
    path("tickets/<uuid:public_id>/reply/", views.ticket_reply, name="ticket_reply"),
    path("tickets/<uuid:public_id>/note/", views.ticket_note, name="ticket_note"),
    path("tickets/<uuid:public_id>/wait/", views.ticket_wait, name="ticket_wait"),
    path("tickets/<uuid:public_id>/resume/", views.ticket_resume, name="ticket_resume"),
    path("tickets/<uuid:public_id>/resolve/", views.ticket_resolve, name="ticket_resolve"),
    path("tickets/<uuid:public_id>/outcome/", views.ticket_outcome, name="ticket_outcome"),
    path("tickets/<uuid:public_id>/close/", views.ticket_close, name="ticket_close"),
    path("tickets/<uuid:public_id>/reopen/", views.ticket_reopen, name="ticket_reopen"),
]
