"""Photo uploads: only real JPEG, PNG or WebP images within size and pixel limits are kept,
re-encoded from their pixels (so EXIF, GPS position and any other metadata are dropped),
scaled to a display size, with a thumbnail, under names the server chooses."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from core.images import ALLOWED_FORMATS, open_checked_image
from core.models import Center, User

from .models import Activity, Photo

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_MAX_PIXELS = 30_000_000  # 30 megapixels: any phone photo; far below a decompression bomb
DISPLAY_SIZE = 1600
THUMBNAIL_SIZE = 400


def max_bytes() -> int:
    return int(getattr(settings, "PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_pixels() -> int:
    return int(getattr(settings, "PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def _open_checked(upload) -> Image.Image:
    """Open the upload, refusing anything that is not an allowed, sane image (core.images)."""
    return open_checked_image(upload, max_bytes=max_bytes(), max_pixels=max_pixels())


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=85)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def clean_image(upload) -> tuple[bytes, bytes, str]:
    """(display bytes, thumbnail bytes, extension) for an upload, or ValidationError."""
    image = _open_checked(upload)
    fmt = image.format
    image = ImageOps.exif_transpose(image)  # keep the picture upright once the EXIF is gone
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode == "P" else "RGB")
    image.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE))
    # A new image from the pixels alone: no metadata can survive.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    thumb = clean.copy()
    thumb.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    return _encode(clean, fmt), _encode(thumb, fmt), ALLOWED_FORMATS[fmt]


@transaction.atomic
def add_photo(
    *,
    center: Center,
    upload,
    uploaded_by: User | None,
    activity: Activity | None = None,
    caption: str = "",
) -> Photo:
    """Store a checked, re-encoded photo of a center (or of one of its activities)."""
    if activity is not None and activity.center_id != center.pk:
        raise ValidationError(_("The activity belongs to another center."))
    display, thumbnail, ext = clean_image(upload)
    name = uuid.uuid4().hex
    photo = Photo(center=center, activity=activity, caption=caption.strip()[:150], uploaded_by=uploaded_by)
    photo.image.save(f"{name}.{ext}", ContentFile(display), save=False)
    photo.thumbnail.save(f"{name}.{ext}", ContentFile(thumbnail), save=False)
    photo.full_clean()
    photo.save()
    return photo
