from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from core.hijri import format_dual, format_gregorian, format_hijri
from core.validators import mask_identity

register = template.Library()


def _as_date(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value if isinstance(value, date) else None


@register.filter
def dual_date(value):
    """Hijri first, then Gregorian: «23/03/1447هـ — 15/09/2025م» (DOMAIN.md §3)."""
    return format_dual(_as_date(value))


@register.filter
def dual_datetime(value):
    if not isinstance(value, datetime):
        return ""
    local = timezone.localtime(value)
    return f"{format_dual(local.date())} {local:%H:%M}"


@register.simple_tag
def date_pair(value):
    """Both calendars as markup a screen reader and a narrow phone both handle."""
    d = _as_date(value)
    if d is None:
        return ""
    hijri = format_hijri(d)
    gregorian = format_gregorian(d)
    if not hijri:
        return format_html('<time datetime="{}">{}</time>', d.isoformat(), gregorian)
    return format_html(
        '<time datetime="{}"><span class="hijri">{}</span> <span class="greg">{}</span></time>',
        d.isoformat(),
        hijri,
        gregorian,
    )


@register.filter
def masked_id(value):
    return mask_identity(value) if value else ""


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (sort and page links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    if "page" not in kwargs:
        params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def sort_link(sort, key):
    """`{% query_with sort=sort|sort_link:'name' %}`: the header link's sort value."""
    return sort.link(key)
