import io
import random

from django.db.models import Count, Sum

from core.models import User
from tests.factories import CenterFactory, UserFactory
from volunteers import seed
from volunteers.models import HourRecord, LedgerEntry, PointAccount, Redemption, Volunteer


def test_seed_builds_consistent_ledgers_in_bulk(db):
    centers = [CenterFactory() for _ in range(3)]
    for n in range(40):
        UserFactory(phone=f"17{n:09d}")
    out = io.StringIO()
    seed.build(volunteers=30, hours=600, ledger=1200, rng=random.Random(1), stdout=out, centers=centers)
    assert Volunteer.objects.count() == 30
    assert HourRecord.objects.count() == 600
    assert 1100 <= LedgerEntry.objects.count() <= 1300
    assert (
        LedgerEntry.objects.filter(kind="earn").count()
        == HourRecord.objects.filter(status="verified").count()
    )
    for account in PointAccount.objects.annotate(total=Sum("entries__amount")):
        assert account.balance == (account.total or 0) >= 0
    assert not LedgerEntry.objects.filter(balance_after__lt=0).exists()
    redeemed = Redemption.objects.aggregate(n=Count("pk"))["n"]
    assert redeemed == LedgerEntry.objects.filter(kind="redeem").count()
    assert User.objects.filter(email__startswith="bench-leader-").count() == 3
    assert "600 hour records" in out.getvalue()
