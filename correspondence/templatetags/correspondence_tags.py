"""The correspondence register's buttons on other apps' pages."""

from django import template

from assistance.models import AWAITING_DECISION
from correspondence import permissions

register = template.Library()

# The letter a request page offers: asking the applicant for what is still missing.
MISSING_DOCUMENTS_TEMPLATE = "missing_documents"


@register.inclusion_tag("correspondence/_file_actions.html", takes_context=True)
def letter_actions(context, beneficiary=None, support_request=None) -> dict:
    """«Register an incoming letter» and «Draft a letter» on a beneficiary's file, or «Draft
    a letter about missing documents» on a support request, for the roles that write letters.

    A tag rather than context from the registry's views: beneficiaries and assistance sit
    below the correspondence register (DESIGN §3) and must not import it. The register's
    screens read the prefilled links through their own scoped selectors.
    """
    if not permissions.can_write_letters(context["request"].user):
        return {}
    # The template quotes the request's reference and lists what it lacks: it fits a
    # submitted request not decided yet (drafting refuses a request without a reference).
    if support_request is not None and support_request.status not in AWAITING_DECISION:
        support_request = None
    return {
        "beneficiary": beneficiary,
        "support_request": support_request,
        "template_code": MISSING_DOCUMENTS_TEMPLATE,
    }
