from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import errors, views

app_name = "api"
urlpatterns = [
    path("v1/contact-form/", views.ContactFormView.as_view(), name="contact_form"),
    path("v1/webhooks/social/", views.SocialWebhookView.as_view(), name="webhook_social"),
    path("v1/webhooks/sms/", views.SmsWebhookView.as_view(), name="webhook_sms"),
    path("v1/webhooks/whatsapp/", views.WhatsAppWebhookView.as_view(), name="webhook_whatsapp"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^.*$", errors.not_found),
]
