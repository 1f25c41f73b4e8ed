import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from centers import services
from centers.models import Activity, ActivitySeries, Audience, Booking, Category, Child, Signup
from core.sms import MemorySmsBackend
from tests.factories import CenterFactory, UserFactory

from .factories import ActivityFactory, ChildFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def at(hours: float) -> dt.datetime:
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=5)
    return base + dt.timedelta(hours=hours)


# ------------------------------------------------------------------ bookings
def test_booking_an_overlapping_slot_is_refused_with_a_clear_message():
    space = SpaceFactory(name="议事厅")
    services.book_space(space=space, starts_at=at(0), ends_at=at(2), purpose="3+1议事会", booked_by=None)
    with pytest.raises(ValidationError) as err:
        services.book_space(space=space, starts_at=at(1), ends_at=at(3), purpose="另一个会", booked_by=None)
    assert err.value.code == "overlap"
    assert "议事厅" in err.value.messages[0]
    assert Booking.objects.filter(space=space).count() == 1


def test_back_to_back_bookings_and_other_spaces_are_allowed():
    space, other = SpaceFactory(), SpaceFactory()
    services.book_space(space=space, starts_at=at(0), ends_at=at(2), purpose="a", booked_by=None)
    services.book_space(space=space, starts_at=at(2), ends_at=at(3), purpose="b", booked_by=None)
    services.book_space(space=other, starts_at=at(0), ends_at=at(2), purpose="c", booked_by=None)
    assert Booking.objects.count() == 3


def test_a_cancelled_booking_frees_the_slot():
    space = SpaceFactory()
    first = services.book_space(space=space, starts_at=at(0), ends_at=at(2), purpose="a", booked_by=None)
    services.cancel_booking(booking=first)
    services.book_space(space=space, starts_at=at(0), ends_at=at(2), purpose="b", booked_by=None)
    assert Booking.objects.filter(space=space, cancelled_at__isnull=True).count() == 1


def test_a_booking_must_end_after_it_starts():
    with pytest.raises(ValidationError):
        services.book_space(space=SpaceFactory(), starts_at=at(2), ends_at=at(2), purpose="x", booked_by=None)


def test_moving_a_booking_onto_another_is_refused():
    space = SpaceFactory()
    services.book_space(space=space, starts_at=at(0), ends_at=at(2), purpose="a", booked_by=None)
    later = services.book_space(space=space, starts_at=at(4), ends_at=at(5), purpose="b", booked_by=None)
    with pytest.raises(ValidationError):
        services.move_booking(booking=later, starts_at=at(1), ends_at=at(5))
    services.move_booking(booking=later, starts_at=at(3), ends_at=at(5))
    later.refresh_from_db()
    assert later.starts_at == at(3)


def test_the_database_itself_refuses_overlapping_bookings():
    # PostgreSQL: the exclusion constraint of migration 0002; SQLite: the triggers of 0004.
    space = SpaceFactory()
    Booking.objects.create(space=space, starts_at=at(0), ends_at=at(2), purpose="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(space=space, starts_at=at(1), ends_at=at(3), purpose="b")
    later = Booking.objects.create(space=space, starts_at=at(2), ends_at=at(3), purpose="c")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=later.pk).update(starts_at=at(1))
    Booking.objects.create(
        space=space, starts_at=at(1), ends_at=at(3), purpose="d", cancelled_at=timezone.now()
    )


# ------------------------------------------------------------------ activities
def test_an_activity_with_a_space_books_it_and_a_clash_is_refused():
    space = SpaceFactory()
    first = services.create_activity(
        center=space.center,
        space=space,
        title="太极",
        category=Category.HEALTH,
        starts_at=at(0),
        ends_at=at(2),
        capacity=10,
    )
    assert first.booking.space == space
    with pytest.raises(ValidationError):
        services.create_activity(
            center=space.center,
            space=space,
            title="书法",
            category=Category.CULTURE,
            starts_at=at(1),
            ends_at=at(3),
            capacity=10,
        )
    assert Activity.objects.count() == 1


def test_moving_an_activity_moves_its_booking():
    space = SpaceFactory()
    activity = services.create_activity(
        center=space.center,
        space=space,
        title="太极",
        category=Category.HEALTH,
        starts_at=at(0),
        ends_at=at(2),
        capacity=10,
    )
    activity.starts_at, activity.ends_at = at(5), at(6)
    services.save_activity(activity=activity, by=None)
    assert Booking.objects.get(activity=activity).starts_at == at(5)


def test_the_database_refuses_more_confirmed_than_seats():
    activity = ActivityFactory(capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(confirmed_count=2)


# ------------------------------------------------------------------ sign-ups
def test_sign_up_takes_a_seat_and_full_activity_puts_next_on_waitlist():
    activity = ActivityFactory(capacity=2)
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    assert services.sign_up(activity=activity, resident=a).status == Signup.Status.CONFIRMED
    assert services.sign_up(activity=activity, resident=b).status == Signup.Status.CONFIRMED
    third = services.sign_up(activity=activity, resident=c)
    assert third.status == Signup.Status.WAITLISTED
    activity.refresh_from_db()
    assert (activity.confirmed_count, activity.free_seats) == (2, 0)


def test_a_second_sign_up_by_the_same_person_changes_nothing():
    activity = ActivityFactory(capacity=5)
    resident = UserFactory()
    first = services.sign_up(activity=activity, resident=resident)
    again = services.sign_up(activity=activity, resident=resident)
    assert again.pk == first.pk and again.code == first.code
    activity.refresh_from_db()
    assert activity.confirmed_count == 1
    assert Signup.objects.filter(activity=activity).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"signup_opens_at": timezone.now() + dt.timedelta(days=1)}, "opens"),
        ({"signup_closes_at": timezone.now() - dt.timedelta(minutes=1)}, "closed"),
        ({"starts_at": timezone.now() - dt.timedelta(minutes=5)}, "started"),
        ({"status": Activity.Status.CANCELLED}, "not open"),
    ],
)
def test_sign_up_outside_the_window_is_refused_with_a_clear_message(changes, message):
    activity = ActivityFactory(**changes)
    from django.utils import translation

    with translation.override("en"):
        with pytest.raises(ValidationError) as err:
            services.sign_up(activity=activity, resident=UserFactory())
        assert message in err.value.messages[0]
    assert not Signup.objects.exists()


def test_sign_up_refusal_reads_in_chinese_by_default():
    activity = ActivityFactory(starts_at=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(ValidationError) as err:
        services.sign_up(activity=activity, resident=UserFactory())
    assert "已经开始" in err.value.messages[0]


def test_cancelling_promotes_the_first_on_the_waitlist_and_tells_them(django_capture_on_commit_callbacks):
    activity = ActivityFactory(capacity=1, title="重阳节包饺子")
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    taken = services.sign_up(activity=activity, resident=first)
    waiting = services.sign_up(activity=activity, resident=second)
    services.sign_up(activity=activity, resident=third)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_signup(signup=taken, by=first)
    assert promoted.pk == waiting.pk
    waiting.refresh_from_db()
    assert waiting.status == Signup.Status.CONFIRMED
    assert Signup.objects.get(resident=third).status == Signup.Status.WAITLISTED
    activity.refresh_from_db()
    assert activity.confirmed_count == 1
    assert [phone for phone, _ in MemorySmsBackend.outbox] == [second.phone]
    assert "重阳节包饺子" in MemorySmsBackend.outbox[0][1]


def test_cancelling_a_waitlisted_place_frees_no_seat():
    activity = ActivityFactory(capacity=1)
    services.sign_up(activity=activity, resident=UserFactory())
    waiting = services.sign_up(activity=activity, resident=UserFactory())
    assert services.cancel_signup(signup=waiting) is None
    activity.refresh_from_db()
    assert activity.confirmed_count == 1
    assert MemorySmsBackend.outbox == []


def test_signing_up_again_after_cancelling_reuses_the_row_at_the_back_of_the_queue():
    activity = ActivityFactory(capacity=1)
    resident = UserFactory()
    signup = services.sign_up(activity=activity, resident=resident)
    services.cancel_signup(signup=signup, by=resident)
    other = services.sign_up(activity=activity, resident=UserFactory())
    again = services.sign_up(activity=activity, resident=resident)
    assert again.pk == signup.pk
    assert other.status == Signup.Status.CONFIRMED
    assert again.status == Signup.Status.WAITLISTED


def test_residents_cannot_cancel_after_the_start_but_staff_can():
    activity = ActivityFactory(capacity=3)
    resident, staff = UserFactory(), UserFactory()
    signup = services.sign_up(activity=activity, resident=resident)
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        services.cancel_signup(signup=signup, by=resident)
    services.cancel_signup(signup=signup, by=staff)
    signup.refresh_from_db()
    assert signup.status == Signup.Status.CANCELLED


def test_adding_seats_promotes_from_the_waitlist():
    activity = ActivityFactory(capacity=1)
    services.sign_up(activity=activity, resident=UserFactory())
    waiting = [services.sign_up(activity=activity, resident=UserFactory()) for _ in range(3)]
    activity.refresh_from_db()
    activity.capacity = 3
    services.save_activity(activity=activity, by=None)
    statuses = [Signup.objects.get(pk=s.pk).status for s in waiting]
    assert statuses == [Signup.Status.CONFIRMED, Signup.Status.CONFIRMED, Signup.Status.WAITLISTED]
    assert Activity.objects.get(pk=activity.pk).confirmed_count == 3


def test_seats_cannot_be_cut_below_the_confirmed_sign_ups():
    activity = ActivityFactory(capacity=2)
    services.sign_up(activity=activity, resident=UserFactory())
    services.sign_up(activity=activity, resident=UserFactory())
    activity.refresh_from_db()
    activity.capacity = 1
    with pytest.raises(ValidationError):
        services.save_activity(activity=activity, by=None)


def test_check_in_codes_are_unique_within_an_activity():
    activity = ActivityFactory(capacity=50)
    codes = {services.sign_up(activity=activity, resident=UserFactory()).code for _ in range(30)}
    assert len(codes) == 30


# ------------------------------------------------------------------ children and the 3:30 classroom
def test_a_childrens_activity_needs_a_child_of_the_guardian():
    activity = ActivityFactory(audience=Audience.CHILDREN, category=Category.CHILDREN)
    guardian = UserFactory()
    with pytest.raises(ValidationError):
        services.sign_up(activity=activity, resident=guardian)
    with pytest.raises(ValidationError):
        services.sign_up(activity=activity, resident=guardian, child=ChildFactory())
    mine = ChildFactory(guardian=guardian)
    brother = ChildFactory(guardian=guardian)
    services.sign_up(activity=activity, resident=guardian, child=mine)
    services.sign_up(activity=activity, resident=guardian, child=brother)
    assert Signup.objects.filter(activity=activity, resident=guardian).count() == 2


def test_staff_sign_up_on_behalf_records_channel_and_who_did_it():
    activity = ActivityFactory()
    resident, worker = UserFactory(phone="13700000001"), UserFactory()
    signup = services.sign_up_on_behalf(activity=activity, phone="13700000001", channel="phone", staff=worker)
    assert (signup.resident, signup.channel, signup.registered_by) == (resident, "phone", worker)
    with pytest.raises(ValidationError):
        services.sign_up_on_behalf(activity=activity, phone="13700009999", channel="counter", staff=worker)


def test_staff_sign_up_on_behalf_of_a_child_creates_the_child_under_the_guardian():
    activity = ActivityFactory(audience=Audience.CHILDREN)
    guardian = UserFactory(phone="13700000002")
    signup = services.sign_up_on_behalf(
        activity=activity, phone="13700000002", channel="counter", staff=UserFactory(), child_name="小明"
    )
    assert signup.child == Child.objects.get(guardian=guardian, name="小明")


def test_check_in_by_code_and_the_collection_of_a_child_are_recorded():
    activity = ActivityFactory(audience=Audience.CHILDREN)
    guardian, worker = UserFactory(), UserFactory()
    signup = services.sign_up(activity=activity, resident=guardian, child=ChildFactory(guardian=guardian))
    services.check_in_by_code(activity=activity, code=signup.code, by=worker)
    services.check_in_by_code(activity=activity, code=signup.code, by=worker)  # a second tap changes nothing
    services.record_collection(signup=signup, collected_by="外婆", by=worker)
    signup.refresh_from_db()
    assert signup.attended_at is not None and signup.checked_in_by == worker
    assert signup.collected_by == "外婆" and signup.collected_at is not None
    with pytest.raises(ValidationError):
        services.check_in_by_code(
            activity=activity, code="000000" if signup.code != "000000" else "111111", by=worker
        )


def test_a_waitlisted_person_cannot_be_checked_in():
    activity = ActivityFactory(capacity=1)
    services.sign_up(activity=activity, resident=UserFactory())
    waiting = services.sign_up(activity=activity, resident=UserFactory())
    with pytest.raises(ValidationError):
        services.check_in(signup=waiting, by=UserFactory())


def test_the_school_day_rule_generates_weekday_occurrences_once_and_skips_holidays():
    center = CenterFactory()
    space = SpaceFactory(center=center, name="三点半课堂")
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    series = ActivitySeries.objects.create(
        center=center,
        space=space,
        title="三点半课堂",
        category=Category.CHILDREN,
        audience=Audience.CHILDREN,
        capacity=20,
        first_date=monday,
        start_time=dt.time(15, 30),
        end_time=dt.time(17, 30),
        skip_dates=(monday + dt.timedelta(days=2)).isoformat(),
    )
    created = services.generate_occurrences(series=series, until=monday + dt.timedelta(days=13))
    days = sorted(timezone.localtime(a.starts_at).date() for a in created)
    assert len(days) == 9  # two school weeks less the holiday
    assert all(d.weekday() < 5 for d in days)
    assert monday + dt.timedelta(days=2) not in days
    assert timezone.localtime(created[0].starts_at).time() == dt.time(15, 30)
    assert Booking.objects.filter(space=space).count() == 9
    assert services.generate_occurrences(series=series, until=monday + dt.timedelta(days=13)) == []


def test_an_invalid_recurrence_rule_is_refused():
    with pytest.raises(ValidationError):
        services.validate_rrule("EVERY SCHOOL DAY")
    services.validate_rrule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")


def test_a_calendar_token_is_stable_until_reset():
    user = UserFactory()
    token = services.get_calendar_token(user=user).token
    assert services.get_calendar_token(user=user).token == token
    assert services.reset_calendar_token(user=user).token != token


def test_an_activity_lasts_at_most_a_week():
    center = CenterFactory()
    with pytest.raises(ValidationError) as err:
        services.create_activity(
            center=center,
            title="长期展览",
            category=Category.CULTURE,
            starts_at=at(0),
            ends_at=at(24 * 8),
            capacity=5,
        )
    assert "ends_at" in err.value.message_dict
