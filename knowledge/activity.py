"""Timeline sentences for the knowledge base's and the registry's action codes (translated
when shown)."""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register("knowledge.article.created", _("{actor} wrote the article «{title}»."))
register("knowledge.article.updated", _("{actor} edited the article «{title}»."))
register("knowledge.article.published", _("{actor} published the article «{title}»."))
register("knowledge.article.archived", _("{actor} archived the article «{title}»."))
register("knowledge.article.drafted", _("{actor} took the article «{title}» back to draft."))
register("knowledge.article.used", _("{actor} used the article «{title}» in a reply."))
register("knowledge.article.voted", _("{actor} rated the article «{title}»."))
register("knowledge.policy.created", _("{actor} added «{title}» to the policy registry."))
register("knowledge.policy.updated", _("{actor} edited the details of «{title}»."))
register("knowledge.policy.version_added", _("{actor} added version {version} of «{title}»."))
register(
    "knowledge.policy.version_approved",
    _("{actor} recorded the approval of version {version} of «{title}»: {body}, {date}."),
)
register(
    "knowledge.policy.version_superseded",
    _("Version {version} of «{title}» was superseded."),
)
register(
    "knowledge.policy.acknowledged",
    _("{actor} acknowledged reading version {version} of «{title}»."),
)
register(
    "knowledge.policy.file_viewed", _("{actor} viewed the file of version {version} of «{title}».")
)
register(
    "knowledge.policy.file_downloaded",
    _("{actor} downloaded the file of version {version} of «{title}»."),
)
register(
    "knowledge.policy.review_reminded",
    _("{actor} reminded the managers that «{title}» is due for review on {date}."),
)
