from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Integration API")

    def ready(self) -> None:
        from api import activity  # noqa: F401  (registers timeline sentences)
