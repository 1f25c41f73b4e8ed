"""Checking uploaded site photos and agreement documents before they are stored.

Photos: Pillow must recognise the file as one of an allow-list of formats; the file size and the
pixel count are bounded (checked from the header, before the pixels are decoded, so a
decompression bomb is refused cheaply); the image is re-encoded, which drops EXIF (GPS position,
camera serial) and anything appended to the file.
"""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import ImageOps

from core.images import ALLOWED_FORMATS, open_checked_image, server_file_name

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 10_000
MAX_STORED_SIDE = 2560  # photos are shrunk to this for the web
MAX_PHOTOS = 6

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def clean_photo(upload) -> ContentFile:
    """Return a safe re-encoded copy of ``upload``; raise ValidationError (in Chinese) otherwise."""
    name = getattr(upload, "name", "photo")
    try:
        image = open_checked_image(upload, max_bytes=MAX_PHOTO_BYTES, max_pixels=MAX_PIXELS)
    except ValidationError as error:  # name the photo: several are sent at once
        raise ValidationError(
            _("%(name)s: %(problem)s") % {"name": name, "problem": error.messages[0]}, code=error.code
        ) from None
    kind = image.format
    width, height = image.size
    if max(width, height) > MAX_SIDE:
        raise ValidationError(
            _("%(name)s has too many pixels (%(width)d × %(height)d).")
            % {"name": name, "width": width, "height": height},
            code="too_many_pixels",
        )
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE))
    out = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    else:
        image.save(out, kind)
    return ContentFile(out.getvalue(), name=server_file_name(ALLOWED_FORMATS[kind]))


def clean_document(upload):
    """An agreement document: a PDF, JPEG or PNG by its first bytes, at most 10 MB. Returns the
    file to store (a photo of the agreement is re-encoded like any photo)."""
    name = getattr(upload, "name", "document")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": name, "limit": MAX_DOCUMENT_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in DOCUMENT_SIGNATURES):
        raise ValidationError(_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": name})
    if head.startswith(b"%PDF-"):
        return ContentFile(upload.read(), name=server_file_name("pdf"))
    return clean_photo(upload)


def document_kind(name: str) -> str:
    return {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}.get(
        Path(name).suffix.lstrip(".").lower(), "application/octet-stream"
    )
