"""What the signed-in home page shows: what needs the beneficiary's attention."""

from beneficiaries.models import Beneficiary


def summary(beneficiary: Beneficiary) -> dict:
    return {"beneficiary": beneficiary}
