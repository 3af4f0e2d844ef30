from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = _("Correspondence register")

    def ready(self) -> None:
        from correspondence import activity  # noqa: F401  (registers timeline sentences)
