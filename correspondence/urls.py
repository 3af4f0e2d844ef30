from django.urls import path

from correspondence import views

app_name = "correspondence"
urlpatterns = [
    path("", views.letter_list, name="list"),
    path("incoming/new/", views.register_incoming, name="register_incoming"),
    path("outgoing/new/", views.draft_outgoing, name="draft"),
    path("<uuid:public_id>/", views.letter_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.draft_edit, name="edit"),
    path("<uuid:public_id>/letter.pdf", views.letter_pdf, name="pdf"),
    path("<uuid:public_id>/issue/", views.letter_issue, name="issue"),
    path("<uuid:public_id>/sent/", views.letter_mark_sent, name="mark_sent"),
    path("<uuid:public_id>/refer/", views.letter_refer, name="refer"),
    path("<uuid:public_id>/file/", views.letter_file, name="file"),
    path("<uuid:public_id>/discard/", views.draft_discard, name="discard"),
    path("<uuid:public_id>/attachments/", views.attachment_add, name="attach"),
    path(
        "<uuid:public_id>/attachments/<uuid:attachment_id>/",
        views.attachment_file,
        name="attachment",
    ),
]
