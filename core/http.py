"""Responses that carry personal data: never cached by a shared machine, and a served file
runs nothing (no script, sandboxed) whatever it contains."""

from django.http import FileResponse, HttpResponse

_FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def private_file_response(field_file, *, content_type: str, filename: str = "", download=False):
    """Stream a privately stored file (a FieldFile) to a user already checked and logged."""
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=download,
        filename=filename or None,
        content_type=content_type,
    )
    response["Content-Security-Policy"] = _FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A generated PDF, shown in the browser (printable), never cached."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
