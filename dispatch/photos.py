"""Checking and cleaning uploaded photos with Pillow before anything is stored."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000  # width x height of the original
MAX_SIDE = 2000  # stored photos are scaled down to this


def clean_photo(upload) -> ContentFile:
    """Return a re-encoded JPEG of ``upload`` without EXIF (no GPS position, no camera serial).

    Refuses files that are too large, not an image, of a format outside the allow-list, or
    with too many pixels (decompression bombs). The returned file has a neutral name; the
    model's upload_to gives the stored one.
    """
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The photo is larger than 5 MB. Please choose a smaller one."), code="too_big"
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Please send a JPEG, PNG or WebP photo."), code="format")
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."), code="pixels")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF tag asked for
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= argument: none kept
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not a photo we can read."), code="invalid") from None
    return ContentFile(out.getvalue(), name="photo.jpg")
