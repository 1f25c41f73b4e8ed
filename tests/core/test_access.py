from core import access
from core.models import Center, Role, RoleAssignment
from core.services import grant_role, revoke_role
from tests.factories import CenterFactory, UserFactory


def test_social_worker_sees_only_the_centers_of_their_assignments(world):
    visible = access.scope(world.user("worker"), Center.objects.all())
    assert list(visible) == [world.center_a]


def test_street_staff_see_every_center_of_their_street_and_no_other(world):
    sibling = CenterFactory(community__street=world.center_a.street)
    visible = set(access.scope(world.user("street"), Center.objects.all()))
    assert visible == {world.center_a, sibling}


def test_district_admin_and_superuser_see_the_whole_district(world):
    for role in ("district", "admin"):
        assert set(access.scope(world.user(role), Center.objects.all())) == {world.center_a, world.center_b}


def test_residents_and_anonymous_users_see_no_staff_rows(world):
    from django.contrib.auth.models import AnonymousUser

    assert not access.scope(world.user("resident"), Center.objects.all()).exists()
    assert not access.scope(AnonymousUser(), Center.objects.all()).exists()


def test_manager_may_change_own_center_but_not_another(world):
    manager = world.user("manager")
    assert access.can(manager, "change", world.center_a)
    assert not access.can(manager, "change", world.center_b)
    assert not access.can(world.user("worker"), "change", world.center_a)


def test_deactivated_staff_lose_access_at_once(world):
    worker = world.user("worker")
    worker.is_active = False
    worker.save()
    assert not access.scope(worker, Center.objects.all()).exists()


def test_granting_a_staff_role_opens_the_admin_and_revoking_closes_it(db):
    user = UserFactory()
    center = CenterFactory()
    assignment = grant_role(user=user, role=Role.SOCIAL_WORKER, center=center)
    user.refresh_from_db()
    assert user.is_staff
    assert grant_role(user=user, role=Role.SOCIAL_WORKER, center=center) == assignment  # idempotent
    revoke_role(assignment=assignment)
    user.refresh_from_db()
    assert not user.is_staff
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_a_role_needs_the_scope_it_works_in(db):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        grant_role(user=UserFactory(), role=Role.SOCIAL_WORKER)  # no center
    with pytest.raises(ValidationError):
        grant_role(user=UserFactory(), role=Role.STREET_STAFF, center=CenterFactory())  # wrong scope


def test_a_scope_of_several_branches_is_their_union_read_on_the_models_own_columns(world):
    """Center branch (through two foreign keys) OR owner branch: each is put on the ledger's own
    account column as a fixed list of ids, never an OR across joins (a sequential scan)."""
    from django.db import connection

    from tests.volunteers.factories import make_volunteer
    from volunteers.models import LedgerEntry

    worker = world.user("worker")
    in_my_center = make_volunteer(center=world.center_a, points=10)
    myself_elsewhere = make_volunteer(user=worker, center=world.center_b, points=20)
    make_volunteer(center=world.center_b, points=30)  # neither mine nor in my center

    visible = access.scope(worker, LedgerEntry.objects.all())
    assert {entry.account.volunteer for entry in visible} == {in_my_center, myself_elsewhere}
    if connection.vendor == "postgresql":
        sql = str(visible.query)
        assert "UNION" not in sql and sql.count("= ANY(ARRAY(") == 4


def test_center_choices_are_the_visible_centers_in_order_and_a_one_center_worker_costs_no_query(
    world, django_assert_num_queries
):
    sibling = CenterFactory(community__street=world.center_a.street)
    two_centers = UserFactory()
    grant_role(user=two_centers, role=Role.SOCIAL_WORKER, center=world.center_a)
    grant_role(user=two_centers, role=Role.SOCIAL_WORKER, center=world.center_b)
    for user in (world.user("worker"), world.user("street"), world.user("district"), two_centers):
        expected = list(access.visible_centers(user, access.FIELD_WORKERS).values_list("pk", "name"))
        assert access.center_choices(user, access.FIELD_WORKERS) == expected
    assert access.center_choices(world.user("street"), access.FIELD_WORKERS) != [
        (world.center_a.pk, world.center_a.name)
    ]
    assert sibling.pk in {pk for pk, _name in access.center_choices(world.user("street"))}

    worker = world.user("worker")
    access.assignments(worker)  # loaded once a request, by the permission checks
    with django_assert_num_queries(0):
        assert access.center_choices(worker, access.FIELD_WORKERS) == [
            (world.center_a.pk, world.center_a.name)
        ]
