"""Showing a table cell of reports.tables: dates in both calendars, numbers as numbers."""

from datetime import date, datetime

from django import template

from core.templatetags.mustafid import dual_date, dual_datetime

register = template.Library()


@register.filter
def cell(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return dual_datetime(value)
    if isinstance(value, date):
        return dual_date(value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:,.1f}" if not value.is_integer() else f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return value


@register.filter
def percent(value):
    """A share in percent, or a dash when there is nothing to divide."""
    return "—" if value is None else f"{value:.1f}%"


@register.filter
def item(sequence, index):
    """`headers|item:forloop.counter0`: the column's header, for the stacked mobile layout."""
    try:
        return sequence[index]
    except (IndexError, TypeError):
        return ""
