import pytest

from centers import privacy, services
from centers.models import CalendarToken, Child, Signup
from tests.factories import UserFactory

from .factories import ActivityFactory, ChildFactory

pytestmark = pytest.mark.django_db


def test_the_download_holds_my_sign_ups_and_children():
    guardian = UserFactory()
    child = ChildFactory(guardian=guardian, name="王小宇")
    services.sign_up(activity=ActivityFactory(title="邻里电影夜"), resident=guardian)
    services.sign_up(
        activity=ActivityFactory(title="三点半课堂", audience="children"), resident=guardian, child=child
    )
    data = privacy.export(guardian)
    rows = data["活动报名"]
    assert {r["activity"] for r in rows} == {"邻里电影夜", "三点半课堂"}
    assert [c["name"] for c in data["儿童"]] == ["王小宇"]
    assert privacy.export(UserFactory()) == {}


def test_erasure_frees_upcoming_seats_and_removes_what_identifies_the_family(
    django_capture_on_commit_callbacks,
):
    guardian, waiting = UserFactory(), UserFactory()
    activity = ActivityFactory(capacity=1, audience="children")
    child = ChildFactory(guardian=guardian, name="王小宇")
    mine = services.sign_up(activity=activity, resident=guardian, child=child)
    theirs = services.sign_up(activity=activity, resident=waiting, child=ChildFactory(guardian=waiting))
    services.get_calendar_token(user=guardian)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase(guardian)
    assert Signup.objects.get(pk=mine.pk).status == Signup.Status.CANCELLED  # the row stays for the counts
    assert Signup.objects.get(pk=theirs.pk).status == Signup.Status.CONFIRMED
    child.refresh_from_db()
    assert "王小宇" not in child.name and child.birth_year is None
    assert not CalendarToken.objects.filter(user=guardian).exists()
    assert Child.objects.filter(guardian=guardian).count() == 1
