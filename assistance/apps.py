from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = _("Support requests")

    def ready(self) -> None:
        from assistance import activity  # noqa: F401  (registers timeline sentences)
