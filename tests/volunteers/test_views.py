from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CenterFactory, UserFactory
from tests.query_budget import assert_flat_queries, count_data_queries
from volunteers import services
from volunteers.models import (
    DutySignup,
    LedgerEntry,
    Membership,
    PointAccount,
    Redemption,
    ShopItem,
    Volunteer,
)

from .factories import DutyFactory, ShopItemFactory, TeamFactory, make_volunteer, verified_record


def signed_in(client, user):
    client.force_login(user)
    return client


# ------------------------------------------------------------------ public pages
def test_index_lists_teams_and_open_duties_in_chinese(db, client):
    duty = DutyFactory(title="月月助老：走访高龄老人", team__name="银龄互助团")
    DutyFactory(
        title="早已结束的值班",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=2, hours=20),
    )
    page = client.get(reverse("volunteers:index")).content.decode()
    assert "银龄互助团" in page and duty.title in page
    assert "早已结束的值班" not in page
    assert "志愿" in page and "成为志愿者" in page


def test_index_filters_by_center(db, client):
    kept = DutyFactory(title="白鱼潭值班")
    DutyFactory(title="别处值班")
    page = client.get(reverse("volunteers:index"), {"center": kept.center.slug}).content.decode()
    assert "白鱼潭值班" in page and "别处值班" not in page


def test_index_query_count_does_not_grow_with_teams_and_duties(db, client):
    center = CenterFactory()
    leader = TeamFactory(center=center).leader

    def add(n):
        for _ in range(n):
            DutyFactory(team=TeamFactory(center=center, leader=leader))

    assert_flat_queries(client, reverse("volunteers:index"), add, large=20)


def test_team_page_offers_joining_to_a_registered_volunteer(db, client):
    team = TeamFactory(name="环保志愿队")
    volunteer = make_volunteer()
    page = signed_in(client, volunteer.user).get(team.get_absolute_url()).content.decode()
    assert "环保志愿队" in page and reverse("volunteers:team_join", args=[team.pk]) in page


def test_team_page_sends_a_resident_to_the_registration_form(db, client):
    team = TeamFactory()
    page = signed_in(client, UserFactory()).get(team.get_absolute_url()).content.decode()
    assert reverse("volunteers:register") in page


def test_team_page_query_count_is_flat(db, client):
    team = TeamFactory()
    assert_flat_queries(
        client,
        team.get_absolute_url(),
        lambda n: DutyFactory.create_batch(n, team=team, center=team.center),
        large=20,
    )


# ------------------------------------------------------------------ registering and joining
def test_registering_keeps_the_input_and_explains_a_missing_consent(db, client):
    center = CenterFactory()
    signed_in(client, UserFactory())
    response = client.post(reverse("volunteers:register"), {"real_name": "李志强", "center": center.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="李志强"' in page
    assert "同意" in page  # the consent error, in Chinese
    assert not Volunteer.objects.exists()


def test_registering_creates_the_profile_and_returns_to_the_team(db, client):
    team = TeamFactory()
    user = UserFactory()
    signed_in(client, user)
    response = client.post(
        reverse("volunteers:register") + f"?next={team.get_absolute_url()}",
        {"real_name": "王小明", "center": team.center.pk, "availability": ["weekend"], "consent": "on"},
    )
    assert response.status_code == 302 and response["Location"] == team.get_absolute_url()
    volunteer = Volunteer.objects.get(user=user)
    assert volunteer.center == team.center and volunteer.availability == "weekend"


def test_registering_refuses_a_next_address_off_the_volunteer_pages(db, client):
    signed_in(client, UserFactory())
    response = client.post(
        reverse("volunteers:register") + "?next=https://evil.example.com/",
        {"real_name": "王小明", "center": CenterFactory().pk, "consent": "on"},
    )
    assert response["Location"] == reverse("volunteers:index")


def test_joining_a_team_sends_a_request_to_the_leader(db, client):
    team = TeamFactory()
    volunteer = make_volunteer()
    response = signed_in(client, volunteer.user).post(
        reverse("volunteers:team_join", args=[team.pk]), {"message": "周末有空"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(team=team, volunteer=volunteer)
    assert membership.status == Membership.Status.PENDING and membership.message == "周末有空"


# ------------------------------------------------------------------ duties
def test_a_member_signs_up_for_a_duty_and_sees_the_check_in_form(db, client):
    duty = DutyFactory()
    volunteer = make_volunteer(team=duty.team)
    signed_in(client, volunteer.user)
    client.post(reverse("volunteers:duty_signup", args=[duty.pk]))
    assert DutySignup.objects.filter(duty=duty, volunteer=volunteer).exists()
    page = client.get(duty.get_absolute_url()).content.decode()
    assert reverse("volunteers:duty_check", args=[duty.pk]) in page
    assert "签到" in page


def test_a_non_member_is_told_to_join_the_team_first(db, client):
    duty = DutyFactory()
    signed_in(client, make_volunteer().user)
    response = client.post(reverse("volunteers:duty_signup", args=[duty.pk]), follow=True)
    assert "加入" in response.content.decode()
    assert not DutySignup.objects.exists()


def test_a_wrong_check_in_code_shows_the_error_next_to_the_field(db, client):
    now = timezone.now()
    duty = DutyFactory(starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=2))
    volunteer = make_volunteer(team=duty.team)
    services.sign_up_for_duty(duty=duty, volunteer=volunteer)
    response = signed_in(client, volunteer.user).post(
        reverse("volunteers:duty_check", args=[duty.pk]), {"code": "999999"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'value="999999"' in page and "errorlist" in page
    assert DutySignup.objects.get(duty=duty).status == DutySignup.Status.SIGNED_UP


def test_checking_in_and_out_with_the_code_records_hours(db, client):
    now = timezone.now()
    duty = DutyFactory(starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=2))
    volunteer = make_volunteer(team=duty.team)
    signup = services.sign_up_for_duty(duty=duty, volunteer=volunteer)
    signed_in(client, volunteer.user)
    client.post(reverse("volunteers:duty_check", args=[duty.pk]), {"code": duty.check_in_code})
    DutySignup.objects.filter(pk=signup.pk).update(checked_in_at=now - timedelta(hours=1))
    response = client.post(
        reverse("volunteers:duty_check", args=[duty.pk]), {"code": duty.check_in_code}, follow=True
    )
    signup.refresh_from_db()
    assert signup.status == DutySignup.Status.CHECKED_OUT
    assert signup.hour_record.hours == 1
    assert "1.00" in response.content.decode()


def test_cancelling_a_duty_place(db, client):
    duty = DutyFactory()
    volunteer = make_volunteer(team=duty.team)
    services.sign_up_for_duty(duty=duty, volunteer=volunteer)
    signed_in(client, volunteer.user).post(reverse("volunteers:duty_cancel", args=[duty.pk]))
    assert DutySignup.objects.get(duty=duty).status == DutySignup.Status.CANCELLED


def test_reporting_hours_keeps_input_on_error(db, client):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    signed_in(client, volunteer.user)
    response = client.post(
        reverse("volunteers:hours_report"),
        {
            "team": team.pk,
            "served_on": "2999-01-01",
            "hours": "1.3",
            "category": "elderly",
            "description": "陪老人聊天",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "陪老人聊天" in page and "errorlist" in page
    response = client.post(
        reverse("volunteers:hours_report"),
        {
            "team": team.pk,
            "served_on": timezone.localdate().isoformat(),
            "hours": "1.5",
            "category": "elderly",
            "description": "陪老人聊天",
        },
    )
    assert response.status_code == 302
    assert volunteer.hour_records.get().hours == 1.5


# ------------------------------------------------------------------ /me/ and the shop
def test_my_page_shows_verified_hours_points_and_a_pickup_waiting_with_a_link_to_my_volunteering(db, client):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    verified_record(volunteer=volunteer, team=team, hours="3")
    duty = DutyFactory(team=team, center=team.center, title="周六助老值班")
    services.sign_up_for_duty(volunteer=volunteer, duty=duty)
    services.redeem_item(
        volunteer=volunteer, item=ShopItemFactory(point_price=10, name="理发券"), notify=False
    )
    page = signed_in(client, volunteer.user).get(reverse("core:me")).content.decode()
    assert "积分" in page and "服务时长" in page
    assert '<span class="stat-value verified-hours">3</span>' in page
    assert '<span class="stat-value points-balance">20</span>' in page
    assert "1 件兑换待领取" in page and "下一次值班" in page and "周六助老值班" in page
    assert f'href="{reverse("volunteers:me")}"' in page


def test_my_volunteering_shows_summary_redemptions_with_codes_duties_and_teams(db, client):
    team = TeamFactory(name="银龄互助团")
    volunteer = make_volunteer(team=team)
    verified_record(volunteer=volunteer, team=team, hours="3")
    duty = DutyFactory(team=team, center=team.center, title="周六助老值班")
    services.sign_up_for_duty(volunteer=volunteer, duty=duty)
    redemption = services.redeem_item(
        volunteer=volunteer, item=ShopItemFactory(point_price=10, name="理发券"), notify=False
    )
    page = signed_in(client, volunteer.user).get(reverse("volunteers:me")).content.decode()
    assert "我的志愿服务" in page
    assert '<span class="stat-value verified-hours">3</span>' in page
    assert '<span class="stat-value points-balance">20</span>' in page
    assert redemption.code in page and "理发券" in page
    assert reverse("volunteers:redemption_cancel", args=[redemption.pk]) in page
    assert "周六助老值班" in page and "银龄互助团" in page
    assert reverse("volunteers:my_records") in page and reverse("volunteers:certificate_create") in page


def test_my_records_lists_hours_points_honours_and_certificates_together(db, client):
    team = TeamFactory(name="银龄互助团")
    volunteer = make_volunteer(team=team)
    verified_record(volunteer=volunteer, team=team, hours="2.5")
    certificate = services.issue_certificate(volunteer=volunteer)
    services.award_honour(
        center=team.center, title="最美志愿者", volunteer=volunteer, awarded_on=timezone.localdate()
    )
    services.award_honour(
        center=team.center, title="优秀团队", team=team, awarded_on=timezone.localdate() - timedelta(days=3)
    )
    page = signed_in(client, volunteer.user).get(reverse("volunteers:my_records")).content.decode()
    assert "走访高龄老人" in page and "2.5" in page  # the hour record
    earned = LedgerEntry.objects.get(account__volunteer=volunteer, hour_record__isnull=False)
    assert f"+{earned.amount}" in page  # its points
    assert "最美志愿者" in page and "优秀团队" in page and "银龄互助团" in page
    assert certificate.number in page and certificate.get_absolute_url() in page
    assert page.index("最美志愿者") < page.index("优秀团队")  # newest first


def test_my_volunteering_pages_send_residents_to_register(db, client):
    signed_in(client, UserFactory())
    for name in ("volunteers:me", "volunteers:my_records"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("volunteers:register"))


def test_my_volunteering_pages_need_sign_in(db, client):
    for name in ("volunteers:me", "volunteers:my_records"):
        assert "/accounts/login/" in client.get(reverse(name))["Location"]


def test_my_page_invites_residents_to_volunteer(db, client):
    page = signed_in(client, UserFactory()).get(reverse("core:me")).content.decode()
    assert reverse("volunteers:register") in page and "积分" in page


@pytest.mark.parametrize("name", ["core:me", "volunteers:me", "volunteers:my_records"])
def test_my_volunteering_query_counts_stay_within_budget_and_do_not_grow(db, client, name):
    team = TeamFactory()
    volunteer = make_volunteer(team=team, points=10_000)
    item = ShopItemFactory(point_price=1, stock=1000)
    signed_in(client, volunteer.user)
    client.get(reverse("core:me"))  # other apps' sections create rows on a first visit

    def add(n):
        for i in range(n):
            record = verified_record(volunteer=volunteer, team=team, hours="1")
            services.redeem_item(volunteer=volunteer, item=item, notify=False)
            duty = DutyFactory(
                team=team, center=team.center, starts_at=timezone.now() + timedelta(days=i + 1)
            )
            duty.ends_at = duty.starts_at + timedelta(hours=2)
            duty.save()
            services.sign_up_for_duty(volunteer=volunteer, duty=duty)
            services.award_honour(
                center=team.center, title=f"荣誉{i}", volunteer=volunteer, awarded_on=record.served_on
            )
            services.issue_certificate(volunteer=volunteer)

    assert_flat_queries(client, reverse(name), add, large=25)
    assert count_data_queries(client, reverse(name))[0] <= 8


def test_the_shop_shows_every_counter_with_prices_stock_and_balance(db, client):
    item = ShopItemFactory(name="保温杯", point_price=200, stock=7, donor="吴兴区慈善总会")
    volunteer = make_volunteer(points=250)
    page = signed_in(client, volunteer.user).get(item.shop.get_absolute_url()).content.decode()
    for counter in ("真心铺", "倾心铺", "善心铺", "爱心铺"):
        assert counter in page
    assert "保温杯" in page and "200" in page and "吴兴区慈善总会" in page
    assert '<strong class="points-balance">250</strong>' in page
    assert reverse("volunteers:redeem", args=[item.pk]) in page


def test_the_shop_query_count_does_not_grow_with_items(db, client):
    shop = ShopItemFactory().shop
    assert_flat_queries(
        client, shop.get_absolute_url(), lambda n: ShopItemFactory.create_batch(n, shop=shop), large=30
    )


def test_redeeming_shows_the_code_and_cancelling_restores_points_and_stock(db, client):
    item = ShopItemFactory(point_price=50, stock=4, name="雨伞")
    volunteer = make_volunteer(points=120)
    signed_in(client, volunteer.user)
    response = client.post(reverse("volunteers:redeem", args=[item.pk]), {"quantity": "2"}, follow=True)
    redemption = Redemption.objects.get(volunteer=volunteer)
    page = response.content.decode()
    assert redemption.code in page and "兑换码" in page
    assert ShopItem.objects.get(pk=item.pk).stock == 2
    assert PointAccount.objects.get(volunteer=volunteer).balance == 20
    response = client.post(reverse("volunteers:redemption_cancel", args=[redemption.pk]), follow=True)
    assert ShopItem.objects.get(pk=item.pk).stock == 4
    assert PointAccount.objects.get(volunteer=volunteer).balance == 120
    assert '<span class="stat-value points-balance">120</span>' in response.content.decode()


def test_redeeming_beyond_the_balance_says_so_in_chinese_and_changes_nothing(db, client):
    item = ShopItemFactory(point_price=200, stock=4, name="保温杯")
    volunteer = make_volunteer(points=58)
    response = signed_in(client, volunteer.user).post(
        reverse("volunteers:redeem", args=[item.pk]), {"quantity": "1"}, follow=True
    )
    page = response.content.decode()
    assert "积分不足" in page and "58" in page and "200" in page
    assert ShopItem.objects.get(pk=item.pk).stock == 4
    assert PointAccount.objects.get(volunteer=volunteer).balance == 58
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REDEEM).exists()


def test_another_volunteer_cannot_cancel_my_redemption(db, client):
    volunteer = make_volunteer(points=100)
    redemption = services.redeem_item(volunteer=volunteer, item=ShopItemFactory(point_price=30), notify=False)
    other = make_volunteer()
    response = signed_in(client, other.user).post(
        reverse("volunteers:redemption_cancel", args=[redemption.pk])
    )
    assert response.status_code == 404
    assert Redemption.objects.get(pk=redemption.pk).status == Redemption.Status.RESERVED


def test_the_keeper_hands_out_goods_against_the_code(db, client):
    item = ShopItemFactory(point_price=30, name="毛巾")
    keeper = UserFactory()
    item.shop.keepers.add(keeper)
    redemption = services.redeem_item(volunteer=make_volunteer(points=100), item=item, notify=False)
    signed_in(client, keeper)
    url = reverse("volunteers:pickup", args=[item.shop_id])
    response = client.post(url, {"code": redemption.code})
    assert "毛巾 × 1" in response.content.decode()
    assert Redemption.objects.get(pk=redemption.pk).status == Redemption.Status.FULFILLED
    again = client.post(url, {"code": redemption.code}).content.decode()
    assert "errorlist" in again and redemption.code in again


@pytest.mark.parametrize("who", ["resident", "volunteer"])
def test_the_pickup_page_is_closed_to_others(db, client, who):
    item = ShopItemFactory()
    user = UserFactory() if who == "resident" else make_volunteer(points=0).user
    assert signed_in(client, user).get(reverse("volunteers:pickup", args=[item.shop_id])).status_code == 404


def test_the_certificate_is_printable_and_private(db, client):
    team = TeamFactory()
    volunteer = make_volunteer(team=team, center=team.center)
    verified_record(volunteer=volunteer, team=team, hours="6.5")
    signed_in(client, volunteer.user)
    response = client.post(reverse("volunteers:certificate_create"))
    page = client.get(response["Location"]).content.decode()
    assert "志愿服务证明" in page and "6.5" in page and team.center.name in page
    assert "volunteers.css" in page and "js-print" in page
    number = volunteer.certificates.get().number
    assert number in page
    assert signed_in(client, make_volunteer().user).get(response["Location"]).status_code == 404
