import io
import random

import pytest

from core import demo as core_demo
from core.models import Center, Community, District, Street
from orgs import demo, seed, selectors
from orgs.credit_code import is_valid_credit_code
from orgs.models import GrantCall, Organization, ServiceContract, StageChange

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_seeds_organizations_and_loads_twice_without_change():
    core_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    counts = (Organization.objects.count(), ServiceContract.objects.count(), StageChange.objects.count())
    demo.load(stdout=io.StringIO())
    assert (
        Organization.objects.count(),
        ServiceContract.objects.count(),
        StageChange.objects.count(),
    ) == counts
    names = set(Organization.objects.values_list("name", flat=True))
    assert {
        "仁与公益组织发展中心",
        "湖州市吴兴区南太湖居家养老服务中心",
        "乐家社工",
        "吴兴区蚂蚁公益协会",
        "平安大姐工作室",
        "白鱼潭社区发展联合会",
        "织里镇安徽商会",
    } <= names
    assert Organization.objects.filter(status="filed").count() >= 5
    registered = Organization.objects.filter(status="registered")
    assert registered.count() >= 5 and all(is_valid_credit_code(o.credit_code) for o in registered)
    assert Organization.objects.get(name="白鱼潭社区发展联合会").kind == "hub"
    assert GrantCall.objects.get().proposals.filter(status="funded").exists()


def test_the_demo_centers_have_their_operators():
    core_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    operators = selectors.operators_by_center(
        [core_demo.demo_center(s).pk for s in ("baiyutan", "longting", "yujiayang")]
    )
    assert {o.name for o in operators.values()} == {
        "乐家社工",
        "湖州市吴兴区南太湖居家养老服务中心",
        "仁与公益组织发展中心",
    }


def test_the_seed_builds_3000_filed_and_400_registered_organizations_with_a_consistent_history():
    district = District.objects.create(name="基准区")
    for i in range(2):
        street = Street.objects.create(district=district, name=f"基准街道{i:03d}")
        Center.objects.create(
            name=f"{street.name}中心", slug=f"bench-s{street.pk}", level="street", street=street
        )
        for j in range(2):
            community = Community.objects.create(street=street, name=f"{street.name}第{j:02d}社区")
            Center.objects.create(
                name=f"{community.name}中心",
                slug=f"bench-c{community.pk}",
                level="community",
                street=street,
                community=community,
            )
    seed.seed(scale=1, rng=random.Random(1), stdout=io.StringIO())
    assert Organization.objects.filter(status="filed").count() == 3000
    assert Organization.objects.filter(status="registered").count() == 400
    assert all(
        is_valid_credit_code(c)
        for c in Organization.objects.exclude(credit_code=None).values_list("credit_code", flat=True)
    )
    # Every organization's last history entry leads to its current stage.
    for org in Organization.objects.order_by("?")[:200]:
        last = org.stage_changes.order_by("-sequence").first()
        assert last.to_stage == org.stage and last.sequence == org.stage_changes.count()
    assert ServiceContract.objects.count() == 6
    assert all(c.targets.count() == 3 for c in ServiceContract.objects.all())
