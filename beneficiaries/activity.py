"""Timeline sentences for the registry's action codes (translated when shown)."""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register("beneficiaries.beneficiary.created", _("{actor} registered the beneficiary."))
register("beneficiaries.beneficiary.updated", _("{actor} changed: {fields}."))
register("beneficiaries.preferences.changed", _("{actor} changed the contact choices: {fields}."))
register("beneficiaries.beneficiary.viewed", _("{actor} opened the file."))
register(
    "beneficiaries.beneficiary.confirmed_distinct",
    _("{actor} confirmed this is a different person from a similar file."),
)
register("beneficiaries.member.added", _("{actor} added {name} ({relation}) to the household."))
register("beneficiaries.member.updated", _("{actor} updated household member {name}."))
register(
    "beneficiaries.member.removed", _("{actor} removed {name} ({relation}) from the household.")
)
register("beneficiaries.income.added", _("{actor} added an income source: {kind}."))
register("beneficiaries.income.removed", _("{actor} removed an income source: {kind}."))
register("beneficiaries.obligation.added", _("{actor} added an obligation: {kind}."))
register("beneficiaries.obligation.removed", _("{actor} removed an obligation: {kind}."))
register("beneficiaries.document.uploaded", _("{actor} uploaded a document: {type}."))
register("beneficiaries.document.viewed", _("{actor} viewed the document: {type}."))
register("beneficiaries.document.downloaded", _("{actor} downloaded the document: {type}."))
register(
    "beneficiaries.consent.recorded",
    _("{actor} recorded consent to privacy notice {version} ({channel})."),
)
register(
    "beneficiaries.dsr.opened",
    _("{actor} recorded a request about personal data: {kind} (received by {channel})."),
)
register(
    "beneficiaries.dsr.extended",
    _("{actor} extended the deadline of a personal-data request ({kind}) to {date}."),
)
register(
    "beneficiaries.dsr.completed", _("{actor} answered a personal-data request ({kind}): done.")
)
register(
    "beneficiaries.dsr.refused",
    _("{actor} refused a personal-data request ({kind}), with reasons."),
)
register("beneficiaries.data.exported", _("{actor} downloaded a copy of the data ({format})."))
