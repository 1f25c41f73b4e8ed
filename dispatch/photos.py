"""Checking and cleaning uploaded photos with Pillow before anything is stored."""

import io

from django.core.files.base import ContentFile
from PIL import ImageOps

from core.images import open_checked_image

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000  # width x height of the original
MAX_SIDE = 2000  # stored photos are scaled down to this


def clean_photo(upload) -> ContentFile:
    """Return a re-encoded JPEG of ``upload`` without EXIF (no GPS position, no camera serial).

    Refuses files that are too large, not an image, of a format outside the allow-list, or
    with too many pixels (decompression bombs). The returned file has a neutral name; the
    model's upload_to gives the stored one.
    """
    image = open_checked_image(upload, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS)
    image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF tag asked for
    image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= argument: none kept
    return ContentFile(out.getvalue(), name="photo.jpg")
