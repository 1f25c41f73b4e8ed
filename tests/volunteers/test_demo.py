"""The demo data, loaded as ``make run`` loads it: what the acceptance check and the issue's "Must show" need."""

import io

from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from core.demo import demo_user
from volunteers.models import (
    Counter,
    Honour,
    HourRecord,
    LedgerEntry,
    PointAccount,
    Redemption,
    ShopItem,
    Team,
)


def _load(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())


def test_the_demo_volunteer_has_verified_hours_and_points_on_my_page(db, client, settings):
    _load(settings)
    volunteer = demo_user("volunteer")
    client.force_login(volunteer)
    page = client.get("/me/").content.decode()
    assert "积分" in page and "服务时长" in page and "小时" in page
    assert HourRecord.objects.filter(volunteer__user=volunteer, status="verified").exists()
    balance = PointAccount.objects.get(volunteer__user=volunteer).balance
    assert balance > 0 and f'<span class="stat-value points-balance">{balance}</span>' in page
    # /me/ counts the pickup waiting and links to "my volunteering", which shows its code
    assert "1 件兑换待领取" in page and reverse("volunteers:me") in page
    mine = client.get(reverse("volunteers:me")).content.decode()
    assert Redemption.objects.get(volunteer__user=volunteer).code in mine
    assert client.get("/volunteers/").status_code == 200


def test_the_ledger_total_equals_the_balance_for_every_demo_volunteer(db, settings):
    _load(settings)
    _load(settings)  # idempotent: a second load changes no balance
    for account in PointAccount.objects.all():
        total = LedgerEntry.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or 0
        assert account.balance == total, account
    assert (
        LedgerEntry.objects.filter(kind="earn").count()
        == HourRecord.objects.filter(status="verified").count()
    )


def test_the_demo_has_the_seed_articles_teams_shop_and_honour(db, settings):
    _load(settings)
    assert {"湖小师", "银龄互助团", "平安大姐", "环保志愿队"} <= set(
        Team.objects.values_list("name", flat=True)
    )
    silver = Team.objects.get(name="银龄互助团")
    assert silver.center.slug == "baiyutan" and silver.leader == demo_user("worker")
    assert silver.memberships.filter(volunteer__user=demo_user("volunteer"), status="approved").exists()
    assert set(ShopItem.objects.values_list("counter", flat=True)) == set(Counter.values)
    assert Honour.objects.filter(title="白鱼潭最美志愿者").exists()
