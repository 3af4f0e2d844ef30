from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Beneficiary registry")

    def ready(self) -> None:
        from beneficiaries import activity  # noqa: F401  (registers timeline sentences)
