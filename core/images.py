"""Checking an uploaded picture before anything decodes its pixels, and naming stored files.

Every upload of the portal passes through ``open_checked_image``: the byte size is bounded, the
format comes from the file's content (never its name), and the pixel count is read from the
header and refused before any pixel is decoded, so a small file that claims a huge canvas (a
decompression bomb) costs no memory. Apps then re-encode the pixels (dropping EXIF) their way.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def open_checked_image(upload, *, max_bytes: int, max_pixels: int) -> Image.Image:
    """The decoded image of ``upload``, or ValidationError (codes: too_big, format, pixels, invalid)."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > max_bytes:
        raise ValidationError(
            _("The file is too big (%(mb)s MB at most).") % {"mb": max_bytes // (1024 * 1024)}, code="too_big"
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    too_many = _(
        "The picture has too many pixels (%(mp)s megapixels at most). Please send a smaller one."
    ) % {"mp": max_pixels // 1_000_000}
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Only JPEG, PNG or WebP pictures are accepted."), code="format")
            width, height = probe.size
            if width * height > max_pixels:
                raise ValidationError(too_many, code="pixels")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(too_many, code="pixels") from exc
        except UnidentifiedImageError as exc:
            raise ValidationError(
                _("This file is not a picture we can read. Please send a JPEG, PNG or WebP photo."),
                code="invalid",
            ) from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(_("The picture is damaged and cannot be read."), code="invalid") from exc
    return image


def server_file_name(extension: str) -> str:
    """A name the server chooses: the uploaded name may carry personal data (or a path)."""
    return f"{uuid.uuid4().hex}.{extension.lstrip('.').lower()}"


def validate_image_upload(upload, *, max_bytes: int = 8 * 1024 * 1024, max_pixels: int = 30_000_000) -> None:
    """A form-field validator for image uploads that are stored as sent (e.g. in the admin)."""
    open_checked_image(upload, max_bytes=max_bytes, max_pixels=max_pixels)
