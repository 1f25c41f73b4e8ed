import datetime as dt
import re

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from centers import services
from centers.models import Activity, Audience, Category, CenterNotice, Child, Signup
from tests.factories import CenterFactory, StreetFactory, UserFactory
from tests.query_budget import assert_flat_queries

from .factories import ActivityFactory, ChildFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def free_seats_shown(response) -> int:
    return int(re.search(r'data-free-seats="(\d+)"', text(response)).group(1))


# ------------------------------------------------------------------ centers
def test_centers_list_in_chinese_and_filters_by_street(client):
    a, b = CenterFactory(name="白鱼潭社区幸福邻里中心"), CenterFactory(name="龙庭社区幸福邻里中心")
    page = client.get(reverse("centers:list"))
    assert page.status_code == 200
    assert "幸福邻里中心" in text(page) and "筛选" in text(page)
    assert f'href="/centers/{a.slug}/"' in text(page)
    filtered = client.get(reverse("centers:list"), {"street": a.street_id})
    assert a.name in text(filtered) and b.name not in text(filtered)


def test_centers_list_filters_by_service_keyword(client):
    CenterFactory(name="甲中心", services="三点半课堂,亲子")
    CenterFactory(name="乙中心", services="居家养老")
    page = text(client.get(reverse("centers:list"), {"service": "三点半"}))
    assert "甲中心" in page and "乙中心" not in page


def test_center_page_shows_spaces_activities_notices_and_its_calendar(client):
    center = CenterFactory(address="白鱼潭路18号", opening_hours="周一至周六 8:30–20:00")
    SpaceFactory(center=center, name="绿色会客厅")
    ActivityFactory(center=center, title="垃圾分类手工课")
    ActivityFactory(center=center, title="草稿活动", status=Activity.Status.DRAFT)
    CenterNotice.objects.create(center=center, title="国庆开放时间", body="9:00–16:00")
    page = text(client.get(reverse("centers:detail", args=[center.slug])))
    for expected in ("白鱼潭路18号", "周一至周六", "绿色会客厅", "垃圾分类手工课", "国庆开放时间"):
        assert expected in page
    assert "草稿活动" not in page
    assert f'href="/centers/{center.slug}/calendar.ics"' in page


def test_an_inactive_or_unknown_center_is_not_found(client):
    center = CenterFactory(is_active=False)
    assert client.get(reverse("centers:detail", args=[center.slug])).status_code == 404
    assert client.get("/centers/no-such-center/").status_code == 404


def test_center_ical_feed_parses_and_holds_upcoming_activities_only(client):
    center = CenterFactory()
    ActivityFactory(center=center, title="健康讲座")
    ActivityFactory(center=center, title="书法班")
    ActivityFactory(center=center, title="上周的活动", starts_at=timezone.now() - dt.timedelta(days=7))
    response = client.get(reverse("centers:center_ical", args=[center.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(str(e["summary"]) for e in events) == ["书法班", "健康讲座"]
    assert all(center.name in str(e["location"]) for e in events)


# ------------------------------------------------------------------ browsing activities
def test_activity_list_shows_upcoming_published_activities_with_links(client):
    shown = ActivityFactory(title="太极拳晨练")
    ActivityFactory(title="草稿", status=Activity.Status.DRAFT)
    ActivityFactory(title="已取消的", status=Activity.Status.CANCELLED)
    ActivityFactory(title="过去的", starts_at=timezone.now() - dt.timedelta(days=2))
    page = text(client.get(reverse("centers:activity_list")))
    assert f'href="/activities/{shown.pk}/"' in page
    assert "太极拳晨练" in page and "剩余 20 个名额" in page
    for hidden in ("草稿", "已取消的", "过去的"):
        assert hidden not in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": Category.HEALTH}, {"健康讲座"}),
        ({"audience": Audience.ELDERLY}, {"健康讲座"}),
        ({"q": "书法"}, {"书法班"}),
        ({"free_seats": "on"}, {"健康讲座"}),
    ],
)
def test_activity_list_filters(client, params, expected):
    ActivityFactory(title="健康讲座", category=Category.HEALTH, audience=Audience.ELDERLY)
    full = ActivityFactory(title="书法班", category=Category.CULTURE, capacity=1)
    services.sign_up(activity=full, resident=UserFactory())
    page = text(client.get(reverse("centers:activity_list"), params))
    assert {t for t in ("健康讲座", "书法班") if t in page} == expected


def test_activity_list_filters_by_center_street_and_community(client):
    street = StreetFactory()
    here = CenterFactory(community__street=street)
    ActivityFactory(center=here, title="本街道的活动")
    ActivityFactory(title="别处的活动")
    for params in ({"center": here.pk}, {"street": street.pk}, {"community": here.community_id}):
        page = text(client.get(reverse("centers:activity_list"), params))
        assert "本街道的活动" in page and "别处的活动" not in page


def test_activity_list_filters_by_date_range_including_past_days(client):
    today = timezone.localdate()
    ActivityFactory(title="上周", starts_at=timezone.now() - dt.timedelta(days=7))
    ActivityFactory(title="下周", starts_at=timezone.now() + dt.timedelta(days=7))
    week_ago = (today - dt.timedelta(days=8)).isoformat()
    page = text(
        client.get(reverse("centers:activity_list"), {"date_from": week_ago, "date_to": today.isoformat()})
    )
    assert "上周" in page and "下周" not in page


def test_activity_list_paginates_keeping_the_filters(client):
    for i in range(25):
        ActivityFactory(
            title=f"讲座{i:02d}",
            category=Category.HEALTH,
            starts_at=timezone.now() + dt.timedelta(days=1, hours=i),
        )
    first = text(client.get(reverse("centers:activity_list"), {"category": "health"}))
    assert first.count('class="card activity-card"') == 20
    assert "category=health&amp;page=2" in first
    second = text(client.get(reverse("centers:activity_list"), {"category": "health", "page": 2}))
    assert second.count('class="card activity-card"') == 5


def test_a_bad_filter_value_is_ignored_not_an_error(client):
    ActivityFactory(title="照常显示")
    response = client.get(reverse("centers:activity_list"), {"date_from": "not-a-date", "center": "x"})
    assert response.status_code == 200


def test_week_view_groups_the_weeks_activities_by_day(client):
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday()) + dt.timedelta(days=7)
    tz = timezone.get_current_timezone()
    ActivityFactory(
        title="周三书法",
        starts_at=timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=2), dt.time(9)), tz),
    )
    ActivityFactory(
        title="下下周的",
        starts_at=timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=8), dt.time(9)), tz),
    )
    page = text(client.get(reverse("centers:week"), {"week": monday.isoformat()}))
    assert "周三书法" in page and "下下周的" not in page
    assert page.count('<section class="day') == 7
    assert f"?week={(monday + dt.timedelta(days=7)).isoformat()}" in page


# ------------------------------------------------------------------ an activity and signing up
def test_activity_page_shows_free_seats_and_a_sign_up_button(client_for):
    activity = ActivityFactory(capacity=12)
    page = client_for(UserFactory()).get(activity.get_absolute_url())
    assert free_seats_shown(page) == 12
    assert re.search(r"<h1[^>]*>" + activity.title + "</h1>", text(page))
    assert f'action="/activities/{activity.pk}/signup/"' in text(page)
    assert ">报名</button>" in text(page)


def test_anonymous_visitors_are_asked_to_sign_in(client):
    activity = ActivityFactory()
    page = text(client.get(activity.get_absolute_url()))
    assert "登录后报名" in page and f"/activities/{activity.pk}/signup/" not in page


def test_a_draft_activity_is_not_found(client):
    assert client.get(ActivityFactory(status=Activity.Status.DRAFT).get_absolute_url()).status_code == 404


def test_signing_up_drops_the_free_seats_by_one_and_shows_on_my_page(client_for):
    activity = ActivityFactory(capacity=12, title="邻里电影夜")
    client = client_for(UserFactory())
    response = client.post(reverse("centers:signup", args=[activity.pk]), follow=True)
    assert "报名成功" in text(response)
    assert free_seats_shown(response) == 11
    assert "取消参加" in text(response)
    me = text(client.get(reverse("core:me")))
    assert "邻里电影夜" in me and "已确认" in me


def test_signing_up_for_a_full_activity_lands_on_the_waitlist_with_a_position(client_for):
    activity = ActivityFactory(capacity=1, title="包饺子")
    services.sign_up(activity=activity, resident=UserFactory())
    services.sign_up(activity=activity, resident=UserFactory())
    client = client_for(UserFactory())
    page = text(client.get(activity.get_absolute_url()))
    assert "报名候补" in page and "1 人候补" in page
    response = client.post(reverse("centers:signup", args=[activity.pk]), follow=True)
    assert "候补名单" in text(response) and "候补名单第 2 位" in text(response)
    assert "候补第 2 位" in text(client.get(reverse("core:me")))


def test_a_second_sign_up_changes_nothing(client_for):
    activity = ActivityFactory(capacity=5)
    client = client_for(UserFactory())
    client.post(reverse("centers:signup", args=[activity.pk]))
    client.post(reverse("centers:signup", args=[activity.pk]))
    assert Signup.objects.filter(activity=activity).count() == 1
    assert Activity.objects.get(pk=activity.pk).confirmed_count == 1


def test_sign_up_after_the_start_is_refused_with_a_clear_message(client_for):
    activity = ActivityFactory()
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    client = client_for(UserFactory())
    response = client.post(reverse("centers:signup", args=[activity.pk]))
    assert response.status_code == 400
    assert "活动已经开始" in text(response)
    assert not Signup.objects.exists()


def test_a_closed_activity_shows_why_instead_of_a_button(client_for):
    activity = ActivityFactory(signup_opens_at=timezone.now() + dt.timedelta(days=1))
    page = text(client_for(UserFactory()).get(activity.get_absolute_url()))
    assert "报名将于" in page and f"/activities/{activity.pk}/signup/" not in page


def test_cancelling_frees_the_seat_for_the_first_on_the_waitlist(
    client_for, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(capacity=1)
    me, waiting = UserFactory(), UserFactory()
    mine = services.sign_up(activity=activity, resident=me)
    queued = services.sign_up(activity=activity, resident=waiting)
    client = client_for(me)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("centers:cancel", args=[activity.pk]), {"signup": mine.pk, "next": "/me/"}
        )
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert Signup.objects.get(pk=mine.pk).status == Signup.Status.CANCELLED
    assert Signup.objects.get(pk=queued.pk).status == Signup.Status.CONFIRMED


def test_nobody_can_cancel_someone_elses_sign_up(client_for):
    activity = ActivityFactory()
    theirs = services.sign_up(activity=activity, resident=UserFactory())
    response = client_for(UserFactory()).post(
        reverse("centers:cancel", args=[activity.pk]), {"signup": theirs.pk}
    )
    assert response.status_code == 404
    assert Signup.objects.get(pk=theirs.pk).status == Signup.Status.CONFIRMED


# ------------------------------------------------------------------ children
def test_a_childrens_activity_asks_a_guardian_without_children_to_add_one(client_for):
    activity = ActivityFactory(audience=Audience.CHILDREN, category=Category.CHILDREN, title="三点半课堂")
    page = text(client_for(UserFactory()).get(activity.get_absolute_url()))
    assert "添加孩子" in page and f"/activities/{activity.pk}/signup/" not in page


def test_a_guardian_adds_a_child_then_signs_them_up(client_for):
    activity = ActivityFactory(audience=Audience.CHILDREN, category=Category.CHILDREN, title="三点半课堂")
    guardian = UserFactory()
    client = client_for(guardian)
    back = activity.get_absolute_url()
    response = client.post(
        reverse("centers:children"), {"name": "王小宇", "birth_year": 2017, "relation": "奶奶", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    child = Child.objects.get(guardian=guardian)
    page = text(client.get(back))
    assert "为哪个孩子报名" in page and "王小宇" in page
    client.post(reverse("centers:signup", args=[activity.pk]), {"child": child.pk})
    signup = Signup.objects.get(activity=activity)
    assert signup.child == child and signup.resident == guardian
    assert "王小宇" in text(client.get(reverse("core:me")))


def test_a_guardian_cannot_sign_up_someone_elses_child(client_for):
    activity = ActivityFactory(audience=Audience.CHILDREN)
    client = client_for(UserFactory())
    ChildFactory(guardian=UserFactory())
    other = ChildFactory()
    response = client.post(reverse("centers:signup", args=[activity.pk]), {"child": other.pk})
    assert response.status_code == 400
    assert not Signup.objects.exists()


def test_a_bad_child_form_keeps_the_input_and_shows_the_error_next_to_the_field(client_for):
    client = client_for(UserFactory())
    response = client.post(reverse("centers:children"), {"name": "李小雨", "birth_year": 1950})
    assert response.status_code == 400
    page = text(response)
    assert 'value="李小雨"' in page and 'value="1950"' in page and "出生年份" in page


def test_the_children_page_refuses_an_open_redirect(client_for):
    client = client_for(UserFactory())
    response = client.post(reverse("centers:children"), {"name": "小红", "next": "https://evil.example/"})
    assert response["Location"] == reverse("centers:children")


# ------------------------------------------------------------------ my calendar
def test_my_calendar_feed_holds_my_sign_ups_behind_a_secret_address(client_for, client):
    resident = UserFactory()
    activity = ActivityFactory(title="健康讲座")
    services.sign_up(activity=activity, resident=resident)
    services.sign_up(activity=ActivityFactory(title="别人的活动"), resident=UserFactory())
    me = text(client_for(resident).get(reverse("core:me")))
    url = re.search(r'href="(http://testserver/me/calendar/[^"]+\.ics)"', me).group(1)
    client.logout()
    events = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["健康讲座"]
    assert client.get("/me/calendar/not-the-token.ics").status_code == 404


def test_a_new_calendar_address_revokes_the_old_one(client_for):
    resident = UserFactory()
    old = services.get_calendar_token(user=resident).token
    client = client_for(resident)
    assert client.post(reverse("centers:reset_calendar")).status_code == 302
    assert client.get(reverse("centers:my_ical", args=[old])).status_code == 404


# ------------------------------------------------------------------ query budgets
def test_activity_list_query_count_is_flat_in_rows(client):
    center = CenterFactory()
    space = SpaceFactory(center=center)
    assert_flat_queries(
        client,
        reverse("centers:activity_list"),
        lambda n: ActivityFactory.create_batch(n, center=center, space=space),
    )


def test_activity_list_query_count_is_flat_for_a_signed_in_resident(client_for):
    client = client_for(UserFactory())
    assert_flat_queries(client, reverse("centers:activity_list"), lambda n: ActivityFactory.create_batch(n))


def test_activity_page_query_count_is_flat_in_sign_ups(client_for):
    activity = ActivityFactory(capacity=30)
    client = client_for(UserFactory())

    def add(n):
        for _i in range(n):
            services.sign_up(activity=activity, resident=UserFactory())

    assert_flat_queries(client, activity.get_absolute_url(), add)


def test_week_and_center_pages_query_counts_are_flat(client):
    center = CenterFactory()
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert_flat_queries(
        client,
        reverse("centers:week"),
        lambda n: ActivityFactory.create_batch(n, center=center, starts_at=tomorrow),
    )
    assert_flat_queries(
        client,
        reverse("centers:detail", args=[center.slug]),
        lambda n: ActivityFactory.create_batch(n, center=center),
    )
    assert_flat_queries(client, reverse("centers:list"), lambda n: CenterFactory.create_batch(n))


def test_my_page_query_count_is_flat_in_my_sign_ups(client_for):
    resident = UserFactory()
    client = client_for(resident)
    client.get(reverse("core:me"))  # the first visit creates the calendar address

    def add(n):
        for _i in range(n):
            activity = ActivityFactory(capacity=1)
            services.sign_up(activity=activity, resident=UserFactory() if _i % 2 else resident)
            services.sign_up(activity=activity, resident=resident)

    assert_flat_queries(client, reverse("core:me"), add)


# ------------------------------------------------------------------ the anonymous page cache
def _seats_badge(response, activity) -> str:
    card = text(response).split(f'href="/activities/{activity.pk}/"', 1)[1].split("</li>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card)).strip()


def test_anonymous_visitor_sees_an_edited_activity_at_once(client):
    activity = ActivityFactory(title="太极拳入门")
    assert "太极拳入门" in text(client.get(reverse("centers:activity_list")))
    activity.title = "八段锦晨练"
    activity.save()
    page = text(client.get(reverse("centers:activity_list")))
    assert "八段锦晨练" in page and "太极拳入门" not in page


def test_anonymous_visitor_sees_a_taken_seat_at_once(client):
    activity = ActivityFactory(capacity=5)
    assert "5" in _seats_badge(client.get(reverse("centers:activity_list")), activity)
    services.sign_up(activity=activity, resident=UserFactory())
    assert "4" in _seats_badge(client.get(reverse("centers:activity_list")), activity)


def test_anonymous_list_is_served_from_the_cache_and_a_signed_in_page_never_is(client, client_for):
    activity = ActivityFactory(title="旧标题活动")
    assert "旧标题活动" in text(client.get(reverse("centers:activity_list")))
    # A change that no signal announces: only the cache can explain the old title.
    Activity.objects.filter(pk=activity.pk).update(title="新标题活动")
    assert "旧标题活动" in text(client.get(reverse("centers:activity_list")))
    # A signed-in user shares the activity cards (the same for everyone), never the page around them.
    signed_in = text(client_for(UserFactory()).get(reverse("centers:activity_list")))
    assert "Sign out" in signed_in or "退出" in signed_in
    assert 'href="/accounts/login/"' not in signed_in


def test_signed_in_list_shows_a_saved_change_at_once(client_for):
    client = client_for(UserFactory())
    activity = ActivityFactory(title="太极拳入门")
    assert "太极拳入门" in text(client.get(reverse("centers:activity_list")))
    activity.title = "八段锦晨练"
    activity.save()
    page = text(client.get(reverse("centers:activity_list")))
    assert "八段锦晨练" in page and "太极拳入门" not in page


def test_cached_list_gives_each_visitor_a_working_csrf_token():
    from django.test import Client

    ActivityFactory()
    Client().get(reverse("centers:activity_list"))  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = text(visitor.get(reverse("centers:activity_list")))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = visitor.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_cached_list_follows_the_visitors_language(client):
    ActivityFactory()
    chinese = text(client.get(reverse("centers:activity_list"), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    english = text(client.get(reverse("centers:activity_list"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "活动" in chinese and "Activities" in english
