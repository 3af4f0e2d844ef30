from django.urls import path

from assistance import committee_views, views

app_name = "assistance"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/<uuid:beneficiary_id>/", views.request_create, name="create"),
    path("<uuid:public_id>/", views.request_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.request_edit, name="edit"),
    path("<uuid:public_id>/checklist/attach/", views.checklist_attach, name="attach"),
    path("<uuid:public_id>/checklist/check/", views.checklist_check, name="check"),
    path("<uuid:public_id>/sign/", views.attestation_sign, name="sign"),
    path("<uuid:public_id>/signature/", views.attestation_file, name="signature"),
    path("<uuid:public_id>/submit/", views.request_submit, name="submit"),
    path("<uuid:public_id>/cancel/", views.request_cancel, name="cancel"),
    path("<uuid:public_id>/withdraw/", views.request_withdraw, name="withdraw"),
    path("<uuid:public_id>/verify/", views.verification_start, name="verify"),
    path("<uuid:public_id>/info/", views.info_request, name="info"),
    path("<uuid:public_id>/info/answer/", views.info_answer, name="info_answer"),
    path("<uuid:public_id>/refer/", views.research_refer, name="refer"),
    path("<uuid:public_id>/visit/", views.visit_book, name="visit"),
    path("<uuid:public_id>/report/", views.research_report, name="report"),
    path("<uuid:public_id>/appeal/", views.appeal, name="appeal"),
    path("<uuid:public_id>/close/", views.close, name="close"),
    path("<uuid:public_id>/enrol/", views.enrol, name="enrol"),
    path("<uuid:public_id>/deliver/", views.deliver, name="deliver"),
    path("<uuid:public_id>/decision.pdf", committee_views.decision_letter, name="decision_pdf"),
    path("<uuid:public_id>/form.pdf", views.request_form_pdf, name="form_pdf"),
    path("committee/", committee_views.meeting_list, name="meetings"),
    path("committee/new/", committee_views.meeting_create, name="meeting_create"),
    path("committee/<uuid:public_id>/", committee_views.meeting_detail, name="meeting"),
    path("committee/<uuid:public_id>/agenda/", committee_views.agenda_add, name="agenda_add"),
    path("committee/<uuid:public_id>/vote/", committee_views.vote, name="vote"),
    path("committee/<uuid:public_id>/recuse/", committee_views.recuse, name="recuse"),
    path("committee/<uuid:public_id>/close/", committee_views.meeting_close, name="meeting_close"),
    path("committee/<uuid:public_id>/minutes.pdf", committee_views.minutes_pdf, name="minutes"),
    path("<uuid:public_id>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
]
