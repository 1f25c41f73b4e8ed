import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from centers import services
from centers.models import Activity, ActivitySeries, Audience, Booking, Signup
from tests.factories import UserFactory

from .factories import ActivityFactory, ChildFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def roll_url(activity) -> str:
    return reverse("admin:centers_activity_roll", args=[activity.pk])


def test_a_worker_sees_only_their_centers_activities(world, client_for):
    ActivityFactory(center=world.center_a, title="本中心的活动")
    ActivityFactory(center=world.center_b, title="别的中心的活动")
    page = text(client_for(world.user("worker")).get(reverse("admin:centers_activity_changelist")))
    assert "本中心的活动" in page and "别的中心的活动" not in page


def test_a_worker_cannot_open_another_centers_activity_or_its_roll(world, client_for):
    other = ActivityFactory(center=world.center_b)
    client = client_for(world.user("worker"))
    assert client.get(reverse("admin:centers_activity_change", args=[other.pk])).status_code in (
        302,
        403,
        404,
    )
    assert client.get(roll_url(other)).status_code == 404


def test_the_activity_page_lists_its_sign_ups_inline(world, client_for):
    activity = ActivityFactory(center=world.center_a)
    services.sign_up(activity=activity, resident=UserFactory(real_name="张阿姨"))
    page = text(
        client_for(world.user("manager")).get(reverse("admin:centers_activity_change", args=[activity.pk]))
    )
    assert "张阿姨" in page
    assert roll_url(activity) in page


def test_a_worker_creates_an_activity_that_books_its_space(world, client_for):
    space = SpaceFactory(center=world.center_a, name="议事厅")
    start = (timezone.localtime() + dt.timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    data = {
        "center": world.center_a.pk,
        "space": space.pk,
        "title": "社区议事会",
        "description": "",
        "category": "deliberation",
        "audience": "everyone",
        "starts_at_0": start.date().isoformat(),
        "starts_at_1": "09:00",
        "ends_at_0": start.date().isoformat(),
        "ends_at_1": "11:00",
        "capacity": 30,
        "status": "published",
        "signups-TOTAL_FORMS": 0,
        "signups-INITIAL_FORMS": 0,
    }
    client = client_for(world.user("worker"))
    response = client.post(reverse("admin:centers_activity_add"), data)
    assert response.status_code == 302, text(response)[:3000]
    activity = Activity.objects.get(title="社区议事会")
    assert activity.booking.space == space and activity.created_by == world.user("worker")
    # The same slot again: refused next to the space field, nothing saved.
    data["title"] = "另一个会"
    again = client.post(reverse("admin:centers_activity_add"), data)
    assert again.status_code == 200 and "已被预订" in text(again)
    assert not Activity.objects.filter(title="另一个会").exists()


def test_booking_an_overlapping_slot_in_the_admin_shows_the_clash(world, client_for):
    space = SpaceFactory(center=world.center_a, name="议事厅")
    start = (timezone.localtime() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    services.book_space(
        space=space,
        starts_at=start.replace(hour=9, minute=0),
        ends_at=start.replace(hour=11, minute=0),
        purpose="3+1会谈",
        booked_by=None,
    )
    data = {
        "space": space.pk,
        "starts_at_0": start.date().isoformat(),
        "starts_at_1": "10:00",
        "ends_at_0": start.date().isoformat(),
        "ends_at_1": "12:00",
        "purpose": "培训",
    }
    client = client_for(world.user("manager"))
    response = client.post(reverse("admin:centers_booking_add"), data)
    assert response.status_code == 200 and "3+1会谈" in text(response)
    data["starts_at_1"], data["ends_at_1"] = "11:00", "12:00"
    assert client.post(reverse("admin:centers_booking_add"), data).status_code == 302
    assert Booking.objects.filter(space=space).count() == 2


def test_a_worker_cannot_pick_another_centers_space(world, client_for):
    theirs = SpaceFactory(center=world.center_b, name="别人的议事厅")
    page = text(client_for(world.user("worker")).get(reverse("admin:centers_booking_add")))
    assert "别人的议事厅" not in page and theirs.center.name not in page


def test_one_tap_check_in_from_the_roll(world, client_for):
    activity = ActivityFactory(center=world.center_a)
    signup = services.sign_up(activity=activity, resident=UserFactory(real_name="李大爷"))
    client = client_for(world.user("worker"))
    page = text(client.get(roll_url(activity)))
    assert "李大爷" in page and "签到" in page
    response = client.post(roll_url(activity), {"action": "check_in", "signup": signup.pk})
    assert response.status_code == 302
    signup.refresh_from_db()
    assert signup.attended_at is not None and signup.checked_in_by == world.user("worker")


def test_check_in_by_the_code_the_resident_shows(world, client_for):
    activity = ActivityFactory(center=world.center_a)
    signup = services.sign_up(activity=activity, resident=UserFactory())
    client = client_for(world.user("worker"))
    bad = client.post(
        roll_url(activity), {"action": "code", "code-code": "999999" if signup.code != "999999" else "111111"}
    )
    assert bad.status_code == 200 and "没有签到码" in text(bad)
    client.post(roll_url(activity), {"action": "code", "code-code": signup.code})
    signup.refresh_from_db()
    assert signup.attended_at is not None


def test_staff_sign_up_a_resident_by_phone_from_the_roll(world, client_for):
    activity = ActivityFactory(center=world.center_a, capacity=1)
    resident = UserFactory(phone="13612345678")
    client = client_for(world.user("worker"))
    response = client.post(
        roll_url(activity), {"action": "behalf", "behalf-phone": "13612345678", "behalf-channel": "phone"}
    )
    assert response.status_code == 302
    signup = Signup.objects.get(activity=activity)
    assert (signup.resident, signup.channel, signup.registered_by) == (
        resident,
        "phone",
        world.user("worker"),
    )
    unknown = client.post(
        roll_url(activity), {"action": "behalf", "behalf-phone": "13600000000", "behalf-channel": "counter"}
    )
    assert unknown.status_code == 200 and "13600000000" in text(unknown)


def test_the_classroom_roll_records_who_collected_each_child(world, client_for):
    activity = ActivityFactory(center=world.center_a, audience=Audience.CHILDREN)
    guardian = UserFactory()
    signup = services.sign_up(
        activity=activity, resident=guardian, child=ChildFactory(guardian=guardian, name="小明")
    )
    client = client_for(world.user("worker"))
    assert "接走人" in text(client.get(roll_url(activity)))
    client.post(
        roll_url(activity), {"action": "collect", "signup": signup.pk, "collect-collected_by": "外公"}
    )
    signup.refresh_from_db()
    assert signup.collected_by == "外公" and signup.collected_at is not None


def test_street_staff_read_the_roll_but_cannot_change_it(world, client_for):
    activity = ActivityFactory(center=world.center_a)
    signup = services.sign_up(activity=activity, resident=UserFactory())
    client = client_for(world.user("street"))
    assert client.get(roll_url(activity)).status_code == 200
    assert client.post(roll_url(activity), {"action": "check_in", "signup": signup.pk}).status_code == 403
    signup.refresh_from_db()
    assert signup.attended_at is None


def test_staff_cancel_from_the_roll_promotes_the_waitlist(world, client_for):
    activity = ActivityFactory(center=world.center_a, capacity=1)
    first = services.sign_up(activity=activity, resident=UserFactory())
    second = services.sign_up(activity=activity, resident=UserFactory())
    client_for(world.user("manager")).post(roll_url(activity), {"action": "cancel", "signup": first.pk})
    second.refresh_from_db()
    assert second.status == Signup.Status.CONFIRMED


def test_saving_a_recurring_activity_generates_its_occurrences(world, client_for):
    space = SpaceFactory(center=world.center_a, name="三点半课堂")
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    data = {
        "center": world.center_a.pk,
        "space": space.pk,
        "title": "三点半课堂",
        "description": "",
        "category": "children",
        "audience": "children",
        "capacity": 20,
        "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "first_date": monday.isoformat(),
        "last_date": (monday + dt.timedelta(days=4)).isoformat(),
        "start_time": "15:30",
        "end_time": "17:30",
        "skip_dates": "",
        "signup_opens_days_before": 7,
        "is_active": "on",
    }
    client = client_for(world.user("manager"))
    assert client.post(reverse("admin:centers_activityseries_add"), data).status_code == 302
    series = ActivitySeries.objects.get()
    assert series.occurrences.count() == 5
    data["rrule"] = "EVERY SCHOOL DAY"
    bad = client.post(reverse("admin:centers_activityseries_add"), data)
    assert bad.status_code == 200 and "重复规则格式不正确" in text(bad)


def test_residents_have_no_access_to_the_admin_pages(world, client_for):
    activity = ActivityFactory(center=world.center_a)
    client = client_for(world.user("resident"))
    assert client.get(roll_url(activity)).status_code == 302
    assert client.get(reverse("admin:centers_activity_changelist")).status_code == 302


def test_a_photo_uploaded_in_the_admin_is_checked_and_re_encoded(world, client_for):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from centers.models import Photo

    client = client_for(world.user("manager"))
    gif = io.BytesIO()
    Image.new("RGB", (20, 20)).save(gif, "GIF")
    bad = client.post(
        reverse("admin:centers_photo_add"),
        {
            "center": world.center_a.pk,
            "caption": "动图",
            "upload": SimpleUploadedFile("a.gif", gif.getvalue()),
        },
    )
    assert bad.status_code == 200 and "只能上传" in text(bad)
    jpeg = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 60)).save(jpeg, "JPEG")
    good = client.post(
        reverse("admin:centers_photo_add"),
        {
            "center": world.center_a.pk,
            "caption": "绿色会客厅",
            "upload": SimpleUploadedFile("家.jpg", jpeg.getvalue()),
        },
    )
    assert good.status_code == 302
    photo = Photo.objects.get()
    assert photo.caption == "绿色会客厅" and photo.uploaded_by == world.user("manager")
    assert "家" not in photo.image.name and photo.thumbnail
