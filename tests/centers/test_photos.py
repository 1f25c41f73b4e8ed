import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from centers import photos
from centers.models import Photo
from tests.factories import CenterFactory

from .factories import ActivityFactory

pytestmark = pytest.mark.django_db


def picture(fmt="JPEG", size=(800, 600), exif=True, name="IMG_0001 我家 GPS.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    kwargs = {}
    if exif and fmt in ("JPEG", "WEBP", "PNG"):
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x0132] = "2026:11:01 10:00:00"  # DateTime
        data[0x8825] = {1: "N", 2: (30.0, 52.0, 0.0)}  # GPS
        kwargs["exif"] = data.tobytes()
    image.save(out, fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_an_allowed_photo_is_stored_re_encoded_without_exif_under_a_server_name(fmt):
    upload = picture(fmt)
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif()  # the upload carried EXIF (maker, time, GPS)
    upload.seek(0)
    photo = photos.add_photo(center=CenterFactory(), upload=upload, uploaded_by=None, caption="活动现场")
    assert "IMG_0001" not in photo.image.name and "我家" not in photo.image.name
    with Image.open(photo.image.path) as stored:
        assert stored.format == fmt
        assert not stored.getexif()
        assert "exif" not in stored.info
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= photos.THUMBNAIL_SIZE
    assert (photo.width, photo.height) == (800, 600)


def test_a_large_photo_is_scaled_to_the_display_size():
    photo = photos.add_photo(
        center=CenterFactory(), upload=picture(size=(4000, 3000), exif=False), uploaded_by=None
    )
    assert max(photo.width, photo.height) == photos.DISPLAY_SIZE


def test_a_gif_is_refused_with_a_clear_chinese_message():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(ValidationError) as err:
        photos.add_photo(
            center=CenterFactory(), upload=SimpleUploadedFile("a.gif", out.getvalue()), uploaded_by=None
        )
    assert "JPEG" in err.value.messages[0] and "只能上传" in err.value.messages[0]
    assert not Photo.objects.exists()


def test_something_that_is_not_a_picture_is_refused():
    with pytest.raises(ValidationError) as err:
        photos.clean_image(SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>"))
    assert "无法识别" in err.value.messages[0]


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # A tiny PNG that claims to be 30000 x 30000 pixels (900 megapixels).
    out = io.BytesIO()
    Image.new("1", (30000, 30000)).save(out, "PNG")
    assert len(out.getvalue()) < 300_000
    with pytest.raises(ValidationError) as err:
        photos.clean_image(SimpleUploadedFile("bomb.png", out.getvalue()))
    assert "图片尺寸太大" in err.value.messages[0]


def test_the_pixel_and_byte_limits_are_configurable(settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError) as err:
        photos.clean_image(picture(size=(200, 200)))
    assert err.value.code == "pixels"
    settings.PHOTO_MAX_BYTES = 100
    with pytest.raises(ValidationError) as err:
        photos.clean_image(picture(size=(50, 50)))
    assert err.value.code == "too_big" and "文件太大" in err.value.messages[0]


def test_a_truncated_picture_is_refused():
    data = picture(exif=False).read()
    with pytest.raises(ValidationError):
        photos.clean_image(SimpleUploadedFile("cut.jpg", data[: len(data) // 2]))


def test_a_photo_of_another_centers_activity_is_refused():
    with pytest.raises(ValidationError):
        photos.add_photo(
            center=CenterFactory(), activity=ActivityFactory(), upload=picture(), uploaded_by=None
        )
