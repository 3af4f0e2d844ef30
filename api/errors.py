"""Every API error as one JSON shape, in the caller's language (Arabic unless it asks
otherwise with Accept-Language):

    {"detail": "<what went wrong>", "code": "<stable code>", "errors": {"<field>": ["…"]}}

`errors` appears on validation errors only. A database that cannot be reached is a 503 with
Retry-After — the sender keeps the message and retries — never a 500 page.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The body is too large.")
    default_code = "payload_too_large"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy(
        "The service is briefly unavailable; send the same message again in a minute."
    )
    default_code = "unavailable"


def _first_code(codes) -> str:
    """The code of the first error, however deeply DRF nested it."""
    while isinstance(codes, dict | list):
        if not codes:
            return "invalid"
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return str(codes)


def _field_errors(detail) -> dict[str, list[str]]:
    """{field: [messages]}; a nested field's messages are joined under its top-level name."""
    if not isinstance(detail, dict):
        detail = {"non_field_errors": detail}
    errors: dict[str, list[str]] = {}
    for field, messages in detail.items():
        flat: list[str] = []
        stack = [messages]
        while stack:
            current = stack.pop()
            if isinstance(current, dict):
                stack.extend(current.values())
            elif isinstance(current, list):
                stack.extend(reversed(current))
            else:
                flat.append(str(current))
        errors[str(field)] = flat
    return errors


def exception_handler(exc, context):
    # Django's own exceptions as DRF's, so every answer below is built the same way.
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DatabaseError):
        logger.exception("API: database error")
        exc = ServiceUnavailable()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "detail": _("The request has errors; see “errors” for each field."),
            "code": _first_code(exc.get_codes()),
            "errors": _field_errors(exc.detail),
        }
    else:
        body = {"detail": str(exc.detail), "code": _first_code(exc.get_codes())}
    if isinstance(exc, ServiceUnavailable):
        response["Retry-After"] = "60"
    response.data = body
    return response


def not_found(request, *args, **kwargs):
    """Unknown paths under /api/: JSON, like every other API answer."""
    return JsonResponse(
        {
            "detail": _(
                "There is no such endpoint. Paths end with a slash, e.g. /api/v1/contact-form/."
            ),
            "code": "not_found",
        },
        status=404,
    )
