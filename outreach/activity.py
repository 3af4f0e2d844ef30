"""Timeline sentences for outreach's action codes (translated when shown)."""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register("outreach.rule.created", _("{actor} created the outreach rule “{name}”."))
register("outreach.rule.updated", _("{actor} changed the outreach rule “{name}”."))
register(
    "outreach.rule.activated",
    _("{actor} switched on the daily run of the outreach rule “{name}”."),
)
register("outreach.rule.paused", _("{actor} paused the daily run of the outreach rule “{name}”."))
register(
    "outreach.run.done",
    _("{actor} ran the outreach rule “{name}”: {sent} messages queued, {tasks} tasks created."),
)
register(
    "outreach.run.refused",
    _("{actor} ran the outreach rule “{name}”; nothing was sent: {reason}"),
)
register(
    "outreach.message.queued",
    _("{actor} sent an outreach message (rule “{rule}”): {occasion}."),
)
register(
    "outreach.task.created",
    _("{actor} created a follow-up task (rule “{rule}”): {occasion}."),
)
register("outreach.task.done", _("{actor} completed an outreach task: {text}"))
register("outreach.task.dismissed", _("{actor} dismissed an outreach task ({outcome}): {text}"))
register(
    "outreach.season.dated",
    _("{actor} set the dates of {season} {year}: from {starts_on} to {ends_on}."),
)
register("outreach.season.reset", _("{actor} restored the usual dates of {season} {year}."))
