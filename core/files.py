"""Checking uploaded files by their content, not their name.

A file is accepted only if its bytes are of an allowed type (magic numbers via `filetype`), its
size is within the limit, and an image actually decodes. The stored extension comes from the
content, so a disguised file cannot be served back as something else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}
ALLOWED_EXTENSIONS = {"pdf", "jpg", "jpeg", "png", "webp"}


@dataclass(frozen=True)
class InspectedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def inspect_upload(upload, *, max_bytes: int | None = None) -> InspectedFile:
    max_bytes = max_bytes or settings.DOCUMENT_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    name_ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if name_ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Only PDF files and photos (JPEG, PNG, WebP) can be uploaded."), code="extension"
        )
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("The file's content is not a PDF or a photo, whatever its name says."),
            code="content",
        )
    if kind.mime.startswith("image/"):
        upload.seek(0)
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise ValidationError(
                _("The photo is damaged and cannot be opened."), code="damaged"
            ) from exc
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return InspectedFile(kind.mime, ALLOWED_TYPES[kind.mime], upload.size, digest.hexdigest())
