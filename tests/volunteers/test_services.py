from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from core.models import Role, RoleAssignment
from core.sms import MemorySmsBackend
from tests.factories import CenterFactory, UserFactory
from volunteers import services
from volunteers.models import (
    Category,
    CategoryWeight,
    DutySignup,
    HourRecord,
    LedgerEntry,
    Membership,
    PointAccount,
    PointRule,
    Redemption,
    Volunteer,
)

from .factories import (
    DutyFactory,
    ShopItemFactory,
    TeamFactory,
    make_volunteer,
    social_worker,
    verified_record,
)


def ledger_sum(volunteer) -> int:
    return LedgerEntry.objects.filter(account__volunteer=volunteer).aggregate(s=Sum("amount"))["s"] or 0


def balance(volunteer) -> int:
    return PointAccount.objects.get(volunteer=volunteer).balance


# ------------------------------------------------------------------ registering and teams
def test_registering_needs_real_name_consent(db):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.register_volunteer(user=user, center=CenterFactory(), real_name="李志强", consent=False)
    assert "consent" in error.value.message_dict
    assert not Volunteer.objects.filter(user=user).exists()


def test_registering_grants_the_volunteer_role_and_opens_an_account(db):
    user = UserFactory(real_name="")
    volunteer = services.register_volunteer(
        user=user, center=CenterFactory(), real_name="李志强", consent=True, availability=["weekend", "bogus"]
    )
    user.refresh_from_db()
    assert user.real_name == "李志强"
    assert RoleAssignment.objects.filter(user=user, role=Role.VOLUNTEER).exists()
    assert PointAccount.objects.get(volunteer=volunteer).balance == 0
    assert volunteer.availability == "weekend"
    assert volunteer.consented_at is not None


def test_registering_again_updates_the_same_profile(db):
    user = UserFactory()
    first = services.register_volunteer(user=user, center=CenterFactory(), real_name="李志强", consent=True)
    other_center = CenterFactory()
    second = services.register_volunteer(user=user, center=other_center, real_name="李志强", consent=True)
    assert first.pk == second.pk
    assert Volunteer.objects.get(user=user).center == other_center


def test_joining_a_team_waits_for_the_leader(db):
    team = TeamFactory()
    volunteer = make_volunteer()
    membership = services.request_membership(volunteer=volunteer, team=team, message="想帮忙")
    assert membership.status == Membership.Status.PENDING
    assert services.request_membership(volunteer=volunteer, team=team).pk == membership.pk
    services.decide_membership(membership=membership, approve=True, by=team.leader)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == team.leader


def test_a_closed_team_takes_no_requests(db):
    team = TeamFactory(is_open=False)
    with pytest.raises(ValidationError):
        services.request_membership(volunteer=make_volunteer(), team=team)


def test_a_worker_of_another_center_cannot_decide_a_request(db):
    team = TeamFactory()
    membership = services.request_membership(volunteer=make_volunteer(), team=team)
    with pytest.raises(PermissionDenied):
        services.decide_membership(membership=membership, approve=True, by=social_worker(CenterFactory()))
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


def test_a_team_is_led_by_a_social_worker_of_its_center(db):
    center = CenterFactory()
    with pytest.raises(ValidationError):
        services.create_team(center=center, name="湖小师", leader=social_worker(CenterFactory()))
    team = services.create_team(center=center, name="湖小师", leader=social_worker(center))
    assert team.center == center


# ------------------------------------------------------------------ duties, check-in and check-out
def test_a_teams_duties_are_for_its_approved_members(db):
    duty = DutyFactory()
    outsider = make_volunteer()
    with pytest.raises(ValidationError, match="加入|join"):
        services.sign_up_for_duty(duty=duty, volunteer=outsider)
    member = make_volunteer(team=duty.team)
    signup = services.sign_up_for_duty(duty=duty, volunteer=member)
    assert services.sign_up_for_duty(duty=duty, volunteer=member) == signup  # idempotent


def test_a_full_duty_refuses_more_sign_ups(db):
    duty = DutyFactory(slots=1)
    services.sign_up_for_duty(duty=duty, volunteer=make_volunteer(team=duty.team))
    with pytest.raises(ValidationError):
        services.sign_up_for_duty(duty=duty, volunteer=make_volunteer(team=duty.team))
    assert duty.signups.count() == 1


def test_a_cancelled_place_can_be_taken_again(db):
    duty = DutyFactory(slots=1)
    first = make_volunteer(team=duty.team)
    signup = services.sign_up_for_duty(duty=duty, volunteer=first)
    services.cancel_duty_signup(signup=signup)
    second = services.sign_up_for_duty(duty=duty, volunteer=make_volunteer(team=duty.team))
    assert second.status == DutySignup.Status.SIGNED_UP


def _running_duty(**kwargs):
    now = timezone.now()
    return DutyFactory(starts_at=now - timedelta(hours=3), ends_at=now + timedelta(hours=1), **kwargs)


def test_check_in_needs_the_code_shown_at_the_site(db):
    duty = _running_duty()
    signup = services.sign_up_for_duty(duty=duty, volunteer=make_volunteer(team=duty.team))
    with pytest.raises(ValidationError) as error:
        services.check_in(signup=signup, code="000000")
    assert "code" in error.value.message_dict
    services.check_in(signup=signup, code=duty.check_in_code)
    signup.refresh_from_db()
    assert signup.status == DutySignup.Status.CHECKED_IN and signup.checked_in_by is None


def test_check_in_with_the_code_opens_an_hour_before_the_start(db):
    duty = DutyFactory(starts_at=timezone.now() + timedelta(hours=5))
    signup = services.sign_up_for_duty(duty=duty, volunteer=make_volunteer(team=duty.team))
    with pytest.raises(ValidationError):
        services.check_in(signup=signup, code=duty.check_in_code)


def test_check_out_records_the_hours_served_waiting_for_verification(db):
    duty = _running_duty()
    volunteer = make_volunteer(team=duty.team)
    signup = services.sign_up_for_duty(duty=duty, volunteer=volunteer)
    services.check_in(signup=signup, code=duty.check_in_code)
    DutySignup.objects.filter(pk=signup.pk).update(
        checked_in_at=timezone.now() - timedelta(hours=2, minutes=5)
    )
    record = services.check_out(signup=signup, code=duty.check_in_code)
    assert record.hours == Decimal("2.00")
    assert record.status == HourRecord.Status.PENDING
    assert record.source == HourRecord.Source.ATTENDANCE
    assert record.category == Category.ELDERLY
    assert ledger_sum(volunteer) == 0  # no points before verification


def test_the_leader_checks_volunteers_in_and_out_without_the_code(db):
    duty = DutyFactory()  # tomorrow: the leader is not bound to the check-in window
    signup = services.sign_up_for_duty(duty=duty, volunteer=make_volunteer(team=duty.team))
    services.check_in(signup=signup, by=duty.team.leader)
    signup.refresh_from_db()
    assert signup.checked_in_by == duty.team.leader
    with pytest.raises(PermissionDenied):
        services.check_out(signup=signup, by=social_worker(CenterFactory()))


# ------------------------------------------------------------------ hours and points
def test_verifying_hours_credits_points_once(db):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    record = verified_record(volunteer=volunteer, team=team, hours="2")
    services.verify_hours(record=record, by=team.leader)  # again: nothing more
    services.award_points(record=record)
    assert LedgerEntry.objects.filter(hour_record=record).count() == 1
    assert balance(volunteer) == ledger_sum(volunteer) == 20  # the default rule: 10 points an hour


def test_points_follow_the_rules_weight_and_cap_per_activity(db):
    rule = PointRule.objects.create(name="规则", points_per_hour=10, cap_per_activity=40, expiry_years=3)
    CategoryWeight.objects.create(rule=rule, category=Category.ELDERLY, weight=Decimal("1.5"))
    duty = DutyFactory(category=Category.ELDERLY)
    volunteer = make_volunteer(team=duty.team)
    first = verified_record(
        volunteer=volunteer, team=duty.team, duty=duty, hours="2", category=Category.ELDERLY
    )
    second = verified_record(
        volunteer=volunteer, team=duty.team, duty=duty, hours="2", category=Category.ELDERLY
    )
    assert LedgerEntry.objects.get(hour_record=first).amount == 30  # 2 h × 10 × 1.5
    assert LedgerEntry.objects.get(hour_record=second).amount == 10  # capped at 40 for the duty
    earn = LedgerEntry.objects.get(hour_record=first)
    assert earn.expires_at.year == timezone.now().year + 3
    assert balance(volunteer) == 40


def test_nobody_verifies_their_own_hours(db):
    team = TeamFactory()
    leader_as_volunteer = make_volunteer(user=team.leader, team=team)
    record = services.report_hours(
        volunteer=leader_as_volunteer,
        team=team,
        served_on=timezone.localdate(),
        hours=Decimal("3"),
        description="自己",
        category=Category.OTHER,
    )
    with pytest.raises(PermissionDenied):
        services.verify_hours(record=record, by=team.leader)
    assert ledger_sum(leader_as_volunteer) == 0


def test_a_worker_of_another_center_cannot_verify(db):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    record = services.record_hours(
        volunteer=volunteer, team=team, served_on=timezone.localdate(), hours=Decimal("1"), by=team.leader
    )
    with pytest.raises(PermissionDenied):
        services.verify_hours(record=record, by=social_worker(CenterFactory()))


def test_disputed_hours_need_a_reason_and_earn_nothing(db):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    record = services.record_hours(
        volunteer=volunteer, team=team, served_on=timezone.localdate(), hours=Decimal("5"), by=team.leader
    )
    with pytest.raises(ValidationError):
        services.dispute_hours(record=record, by=team.leader, reason="  ")
    services.dispute_hours(record=record, by=team.leader, reason="当天没有签到记录")
    record.refresh_from_db()
    assert record.status == HourRecord.Status.DISPUTED and record.review_note == "当天没有签到记录"
    assert ledger_sum(volunteer) == 0
    services.verify_hours(record=record, by=team.leader)  # corrected after a talk: now it counts
    assert ledger_sum(volunteer) == 50


def test_verified_hours_cannot_be_disputed(db):
    team = TeamFactory()
    record = verified_record(volunteer=make_volunteer(team=team), team=team)
    with pytest.raises(ValidationError):
        services.dispute_hours(record=record, by=team.leader, reason="弄错了")


def test_self_reported_hours_need_membership_and_a_past_date(db):
    team = TeamFactory()
    outsider = make_volunteer()
    with pytest.raises(ValidationError):
        services.report_hours(
            volunteer=outsider,
            team=team,
            served_on=timezone.localdate(),
            hours=Decimal("1"),
            description="x",
            category=Category.OTHER,
        )
    member = make_volunteer(team=team)
    with pytest.raises(ValidationError) as error:
        services.report_hours(
            volunteer=member,
            team=team,
            served_on=timezone.localdate() + timedelta(days=1),
            hours=Decimal("1"),
            description="x",
            category=Category.OTHER,
        )
    assert "served_on" in error.value.message_dict
    record = services.report_hours(
        volunteer=member,
        team=team,
        served_on=timezone.localdate(),
        hours=Decimal("1.5"),
        description="陪老人聊天",
        category=Category.ELDERLY,
    )
    assert record.source == HourRecord.Source.SELF and record.status == HourRecord.Status.PENDING


# ------------------------------------------------------------------ the ledger
def test_an_adjustment_needs_a_reason(db):
    volunteer = make_volunteer()
    admin = UserFactory(is_superuser=True)
    with pytest.raises(ValidationError):
        services.adjust_points(volunteer=volunteer, amount=10, reason="", by=admin)
    entry = services.adjust_points(volunteer=volunteer, amount=10, reason="补录三月活动", by=admin)
    assert entry.kind == LedgerEntry.Kind.ADJUST and entry.created_by == admin
    assert balance(volunteer) == 10


def test_a_negative_adjustment_never_takes_the_balance_below_zero(db):
    volunteer = make_volunteer(points=30)
    with pytest.raises(ValidationError):
        services.adjust_points(
            volunteer=volunteer, amount=-31, reason="纠错", by=UserFactory(is_superuser=True)
        )
    assert balance(volunteer) == ledger_sum(volunteer) == 30


def test_the_ledger_refuses_updates_and_deletes(db):
    volunteer = make_volunteer(points=30)
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(account__volunteer=volunteer).update(amount=1000)
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(account__volunteer=volunteer).delete()
    assert ledger_sum(volunteer) == 30


def test_the_database_refuses_a_negative_balance(db):
    volunteer = make_volunteer(points=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PointAccount.objects.filter(volunteer=volunteer).update(balance=-1)


def test_the_database_refuses_a_second_earn_entry_for_one_record(db):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    record = verified_record(volunteer=volunteer, team=team)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            account=volunteer.point_account, kind="earn", amount=20, balance_after=40, hour_record=record
        )


def test_points_past_their_expiry_are_taken_off_once_oldest_first(db):
    rule = PointRule.objects.create(name="规则", points_per_hour=10, expiry_years=1)
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    verified_record(volunteer=volunteer, team=team, hours="5")  # 50 points, expire in a year
    item = ShopItemFactory(point_price=20)
    services.redeem_item(volunteer=volunteer, item=item)  # spends 20 of the old points
    later = timezone.now() + timedelta(days=400)
    rule.expiry_years = 3
    rule.save()
    verified_record(volunteer=volunteer, team=team, hours="1")  # 10 points that last three years
    entry = services.expire_points(volunteer=volunteer, now=later)
    assert entry.amount == -30
    assert services.expire_points(volunteer=volunteer, now=later) is None
    assert balance(volunteer) == ledger_sum(volunteer) == 10


# ------------------------------------------------------------------ the shop
def test_redeeming_lowers_balance_and_stock_and_gives_a_code(db, django_capture_on_commit_callbacks):
    volunteer = make_volunteer(points=120)
    item = ShopItemFactory(point_price=50, stock=3)
    with django_capture_on_commit_callbacks(execute=True):
        redemption = services.redeem_item(volunteer=volunteer, item=item, quantity=2)
    item.refresh_from_db()
    assert item.stock == 1
    assert balance(volunteer) == ledger_sum(volunteer) == 20
    assert len(redemption.code) == 8 and redemption.status == Redemption.Status.RESERVED
    assert redemption.points == 100
    assert MemorySmsBackend.outbox and redemption.code in MemorySmsBackend.outbox[-1][1]


def test_a_redemption_worth_more_than_the_balance_is_refused_and_changes_nothing(db):
    volunteer = make_volunteer(points=40)
    item = ShopItemFactory(point_price=50, stock=3)
    with pytest.raises(ValidationError) as error:
        services.redeem_item(volunteer=volunteer, item=item)
    assert "积分不足" in error.value.messages[0] and "40" in error.value.messages[0]
    item.refresh_from_db()
    assert item.stock == 3
    assert balance(volunteer) == 40
    assert not Redemption.objects.exists()
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REDEEM).count() == 0


def test_redeeming_more_than_the_stock_is_refused(db):
    volunteer = make_volunteer(points=500)
    item = ShopItemFactory(point_price=10, stock=1)
    with pytest.raises(ValidationError, match="1"):
        services.redeem_item(volunteer=volunteer, item=item, quantity=2)
    assert balance(volunteer) == 500


def test_items_without_a_point_price_cannot_be_redeemed(db):
    volunteer = make_volunteer(points=500)
    with pytest.raises(ValidationError):
        services.redeem_item(
            volunteer=volunteer, item=ShopItemFactory(point_price=None, cash_price=Decimal("9.80"))
        )


def test_cancelling_restores_points_and_stock_once(db):
    volunteer = make_volunteer(points=100)
    item = ShopItemFactory(point_price=30, stock=5)
    redemption = services.redeem_item(volunteer=volunteer, item=item, quantity=2)
    services.cancel_redemption(redemption=redemption, by=volunteer.user)
    services.cancel_redemption(redemption=redemption, by=volunteer.user)  # twice: nothing more
    item.refresh_from_db()
    redemption.refresh_from_db()
    assert item.stock == 5
    assert balance(volunteer) == ledger_sum(volunteer) == 100
    assert redemption.status == Redemption.Status.CANCELLED
    assert LedgerEntry.objects.filter(redemption=redemption, kind=LedgerEntry.Kind.REFUND).count() == 1


def test_someone_else_cannot_cancel_a_redemption(db):
    volunteer = make_volunteer(points=100)
    redemption = services.redeem_item(volunteer=volunteer, item=ShopItemFactory(point_price=30))
    with pytest.raises(PermissionDenied):
        services.cancel_redemption(redemption=redemption, by=make_volunteer().user)


def test_a_pickup_code_works_once(db):
    volunteer = make_volunteer(points=100)
    item = ShopItemFactory(point_price=30)
    keeper = UserFactory()
    item.shop.keepers.add(keeper)
    redemption = services.redeem_item(volunteer=volunteer, item=item)
    done = services.fulfil_redemption(shop=item.shop, code=redemption.code.lower(), by=keeper)
    assert done.status == Redemption.Status.FULFILLED and done.closed_by == keeper
    with pytest.raises(ValidationError):
        services.fulfil_redemption(shop=item.shop, code=redemption.code, by=keeper)
    with pytest.raises(ValidationError):
        services.cancel_redemption(redemption=redemption, by=volunteer.user)
    assert balance(volunteer) == 70


def test_only_keepers_and_the_centers_field_staff_hand_out_goods(db):
    volunteer = make_volunteer(points=100)
    item = ShopItemFactory(point_price=30)
    redemption = services.redeem_item(volunteer=volunteer, item=item)
    for stranger in (UserFactory(), social_worker(CenterFactory()), volunteer.user):
        with pytest.raises(PermissionDenied):
            services.fulfil_redemption(shop=item.shop, code=redemption.code, by=stranger)
    services.fulfil_redemption(shop=item.shop, code=redemption.code, by=social_worker(item.shop.center))


def test_a_code_of_another_shop_is_not_accepted(db):
    volunteer = make_volunteer(points=100)
    redemption = services.redeem_item(volunteer=volunteer, item=ShopItemFactory(point_price=30))
    other = ShopItemFactory().shop
    with pytest.raises(ValidationError):
        services.fulfil_redemption(shop=other, code=redemption.code, by=UserFactory(is_superuser=True))


def test_restocking_adds_to_what_redemptions_left(db):
    item = ShopItemFactory(point_price=10, stock=2)
    services.redeem_item(volunteer=make_volunteer(points=100), item=item)
    services.restock_item(item=item, quantity=5)
    item.refresh_from_db()
    assert item.stock == 6
    with pytest.raises(ValidationError):
        services.restock_item(item=item, quantity=-7)


# ------------------------------------------------------------------ certificates and honours
def test_a_certificate_snapshots_the_verified_hours(db):
    team = TeamFactory()
    volunteer = make_volunteer(team=team, center=team.center)
    verified_record(volunteer=volunteer, team=team, hours="2.5")
    verified_record(volunteer=volunteer, team=team, hours="1")
    services.record_hours(
        volunteer=volunteer, team=team, served_on=timezone.localdate(), hours=Decimal("8"), by=team.leader
    )
    certificate = services.issue_certificate(volunteer=volunteer)
    assert certificate.hours == Decimal("3.5") and certificate.record_count == 2
    assert certificate.issuer == volunteer.center
    assert certificate.number.startswith("ZYFW")
    assert services.issue_certificate(volunteer=volunteer).number != certificate.number


def test_a_certificate_needs_verified_hours(db):
    with pytest.raises(ValidationError):
        services.issue_certificate(volunteer=make_volunteer())


def test_an_honour_needs_a_recipient(db):
    with pytest.raises(ValidationError):
        services.award_honour(center=CenterFactory(), title="最美志愿者", awarded_on=timezone.localdate())
    team = TeamFactory()
    honour = services.award_honour(
        center=team.center, title="白鱼潭最美志愿者", team=team, awarded_on=timezone.localdate()
    )
    assert honour.team == team


def test_the_database_itself_refuses_to_change_a_ledger_entry(db):
    from django.db import DatabaseError, connection

    volunteer = make_volunteer(points=30)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE volunteers_ledgerentry SET amount = 1000")
    assert ledger_sum(volunteer) == 30


# ------------------------------------------------------------------ duties of an activity (centers)
def test_an_activitys_duties_weigh_points_by_the_activitys_category_and_share_its_cap(db):
    from tests.centers.factories import ActivityFactory

    rule = PointRule.objects.create(name="规则", points_per_hour=10, cap_per_activity=50)
    CategoryWeight.objects.create(rule=rule, category="children", weight=Decimal("2"))
    team = TeamFactory()
    activity = ActivityFactory(center=team.center, category="children", title="三点半课堂")
    now = timezone.now()
    first = services.post_duty(
        activity=activity,
        team=team,
        title="接孩子",
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=2),
        slots=4,
        by=team.leader,
    )
    second = services.post_duty(
        activity=activity,
        team=team,
        title="辅导作业",
        starts_at=now + timedelta(days=1, hours=2),
        ends_at=now + timedelta(days=1, hours=4),
        slots=4,
        by=team.leader,
    )
    assert first.center == activity.center and first.category == "children"
    volunteer = make_volunteer(team=team)
    a = verified_record(volunteer=volunteer, team=team, duty=first, hours="2", category=first.weight_category)
    b = verified_record(
        volunteer=volunteer, team=team, duty=second, hours="2", category=second.weight_category
    )
    assert LedgerEntry.objects.get(hour_record=a).amount == 40  # 2 h × 10 × 2 (the activity's category)
    assert LedgerEntry.objects.get(hour_record=b).amount == 10  # the activity's cap of 50 is shared
    assert balance(volunteer) == 50


def test_a_duty_needs_a_team_or_an_activity_of_its_center(db):
    from tests.centers.factories import ActivityFactory

    now = timezone.now()
    when = {"starts_at": now + timedelta(days=1), "ends_at": now + timedelta(days=1, hours=1), "slots": 2}
    with pytest.raises(ValidationError):
        services.post_duty(title="无主岗位", **when)
    with pytest.raises(ValidationError):
        services.post_duty(title="错位", team=TeamFactory(), activity=ActivityFactory(), **when)
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyFactory(team=None, activity=None, center=CenterFactory())
