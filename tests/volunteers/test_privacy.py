from django.db.models import Sum

from volunteers import privacy, services
from volunteers.models import (
    HourRecord,
    LedgerEntry,
    Membership,
    PointAccount,
    Redemption,
    ShopItem,
    Volunteer,
)

from .factories import ShopItemFactory, TeamFactory, make_volunteer, verified_record


def test_the_data_download_holds_hours_points_and_redemptions(db):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    verified_record(volunteer=volunteer, team=team, hours="2")
    services.redeem_item(
        volunteer=volunteer, item=ShopItemFactory(point_price=5, name="理发券"), notify=False
    )
    data = privacy.export(volunteer.user)
    assert [row["hours"] for row in data["服务时长"]] == ["2.00"]
    assert sorted(row["points"] for row in data["积分流水"]) == [-5, 20]
    assert data["兑换记录"][0]["item"] == "理发券"


def test_erasure_keeps_hours_and_ledger_and_returns_reserved_goods(db):
    team = TeamFactory()
    volunteer = make_volunteer(team=team)
    verified_record(volunteer=volunteer, team=team, hours="3")
    item = ShopItemFactory(point_price=10, stock=2)
    services.redeem_item(volunteer=volunteer, item=item, notify=False)
    privacy.erase(volunteer.user)
    volunteer.refresh_from_db()
    assert not volunteer.is_active and volunteer.availability == ""
    assert HourRecord.objects.filter(volunteer=volunteer).count() == 1  # the district's totals keep it
    assert Redemption.objects.get(volunteer=volunteer).status == Redemption.Status.CANCELLED
    assert ShopItem.objects.get(pk=item.pk).stock == 2
    total = LedgerEntry.objects.filter(account__volunteer=volunteer).aggregate(s=Sum("amount"))["s"]
    assert PointAccount.objects.get(volunteer=volunteer).balance == total == 30
    assert Membership.objects.get(volunteer=volunteer).status == Membership.Status.LEFT
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()
