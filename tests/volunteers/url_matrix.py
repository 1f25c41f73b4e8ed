"""The volunteers app's rows of the role × URL matrix.

Objects are made on demand in the actor's own scope (center A) or the other scope (center B).
The world's "volunteer" is registered as a volunteer (with an approved membership) by the rows
that need it; every other signed-in actor is a resident without a volunteer profile, so the
volunteer-only actions send them to the registration form (REDIRECT).
"""

from tests.url_matrix_rows import DENY, LOGIN, NOT_ALLOWED, OK, PUBLIC, REDIRECT, SIGNED_IN, STAFF, Row

from .factories import DutyFactory, ShopItemFactory, TeamFactory, social_worker


def _cache(world) -> dict:
    if not hasattr(world, "_volunteers"):
        world._volunteers = {}
    return world._volunteers


def team(world, scope):
    cache = _cache(world)
    if ("team", scope) not in cache:
        center = world.center(scope)
        leader = world.user("worker") if scope == "own" else social_worker(center)
        cache[("team", scope)] = TeamFactory(center=center, leader=leader, name=f"银龄互助团-{scope}")
    return cache[("team", scope)]


def volunteer(world, scope="own"):
    """The world's volunteer, registered at the scope's center and a member of its team."""
    from volunteers import services
    from volunteers.models import Volunteer

    existing = Volunteer.objects.filter(user=world.user("volunteer")).first()
    if existing is not None:
        return existing
    the_team = team(world, scope)
    registered = services.register_volunteer(
        user=world.user("volunteer"), center=world.center(scope), real_name="李志强", consent=True
    )
    membership = services.request_membership(volunteer=registered, team=the_team)
    services.decide_membership(membership=membership, approve=True, by=the_team.leader)
    return registered


def duty(world, scope):
    cache = _cache(world)
    if ("duty", scope) not in cache:
        cache[("duty", scope)] = DutyFactory(team=team(world, scope), center=world.center(scope))
    return cache[("duty", scope)]


def signed_up_duty(world, scope):
    from volunteers import services

    the_duty = duty(world, scope)
    services.sign_up_for_duty(duty=the_duty, volunteer=volunteer(world, scope))
    return the_duty


def item(world, scope):
    cache = _cache(world)
    if ("item", scope) not in cache:
        cache[("item", scope)] = ShopItemFactory(shop__center=world.center(scope), point_price=20, stock=5)
    return cache[("item", scope)]


def redemption(world, scope):
    from volunteers import services

    the_volunteer = volunteer(world, scope)
    services.adjust_points(volunteer=the_volunteer, amount=100, reason="矩阵测试", by=world.user("admin"))
    return services.redeem_item(volunteer=the_volunteer, item=item(world, scope), notify=False)


def certificate(world, scope):
    from volunteers import services

    from .factories import verified_record

    the_volunteer = volunteer(world, scope)
    verified_record(volunteer=the_volunteer, team=team(world, scope))
    return services.issue_certificate(volunteer=the_volunteer)


POST_ONLY = {"*": NOT_ALLOWED}
VOLUNTEER_ACTION = {"anonymous": LOGIN, "*": REDIRECT}  # non-volunteers go to the registration form

ROWS = [
    Row("volunteers:index", get=PUBLIC),
    Row(
        "volunteers:register", get=SIGNED_IN, post=SIGNED_IN, note="an empty form re-renders with its errors"
    ),
    Row("volunteers:team_detail", kwargs=lambda w, s: {"pk": team(w, s).pk}, get=PUBLIC),
    Row(
        "volunteers:team_join",
        kwargs=lambda w, s: {"pk": team(w, s).pk} if volunteer(w) else {},
        get=POST_ONLY,
        post=VOLUNTEER_ACTION,
    ),
    Row("volunteers:duty_detail", kwargs=lambda w, s: {"pk": duty(w, s).pk}, get=PUBLIC),
    Row(
        "volunteers:duty_signup",
        kwargs=lambda w, s: {"pk": duty(w, s).pk} if volunteer(w) else {},
        get=POST_ONLY,
        post=VOLUNTEER_ACTION,
        note="the volunteer of the other scope's team is refused with a message (redirect)",
    ),
    Row(
        "volunteers:duty_cancel",
        kwargs=lambda w, s: {"pk": signed_up_duty(w, "own").pk},
        get=POST_ONLY,
        post=VOLUNTEER_ACTION,
    ),
    Row(
        "volunteers:duty_check",
        kwargs=lambda w, s: {"pk": signed_up_duty(w, "own").pk},
        get=POST_ONLY,
        post={"anonymous": LOGIN, "volunteer": OK, "*": REDIRECT},
        note="the volunteer's empty code re-renders the duty page with the error",
    ),
    Row(
        "volunteers:hours_report",
        kwargs=lambda w, s: {} if volunteer(w) else {},
        get={"anonymous": LOGIN, "volunteer": OK, "*": REDIRECT},
        post={"anonymous": LOGIN, "volunteer": OK, "*": REDIRECT},
    ),
    Row(
        "volunteers:me",
        kwargs=lambda w, s: {} if volunteer(w) else {},
        get={"anonymous": LOGIN, "volunteer": OK, "*": REDIRECT},
        note="my volunteering; residents without a volunteer profile go to the registration form",
    ),
    Row(
        "volunteers:my_records",
        kwargs=lambda w, s: {} if volunteer(w) else {},
        get={"anonymous": LOGIN, "volunteer": OK, "*": REDIRECT},
    ),
    Row("volunteers:certificate_create", get=POST_ONLY, post=VOLUNTEER_ACTION),
    Row(
        "volunteers:certificate_detail",
        kwargs=lambda w, s: {"number": certificate(w, s).number},
        get={"anonymous": LOGIN, "resident": DENY, "volunteer": OK, **STAFF},
        note="the volunteer's own certificate; staff of the issuing center",
    ),
    Row("volunteers:shop_list", get=PUBLIC),
    Row("volunteers:shop_detail", kwargs=lambda w, s: {"pk": item(w, s).shop_id}, get=PUBLIC),
    Row(
        "volunteers:pickup",
        kwargs=lambda w, s: {"pk": item(w, s).shop_id},
        get={"anonymous": LOGIN, "resident": DENY, "volunteer": DENY, **STAFF, "street": DENY},
        post={"anonymous": LOGIN, "resident": DENY, "volunteer": DENY, **STAFF, "street": DENY},
        note="shop keepers and the center's field staff; street staff only read",
    ),
    Row(
        "volunteers:redeem",
        kwargs=lambda w, s: {"pk": item(w, s).pk} if volunteer(w) else {},
        get=POST_ONLY,
        post=VOLUNTEER_ACTION,
    ),
    Row(
        "volunteers:redemption_cancel",
        kwargs=lambda w, s: {"pk": redemption(w, "own").pk},
        get=POST_ONLY,
        post=VOLUNTEER_ACTION,
        note="someone else's redemption is a 404 for other volunteers (tests/volunteers/test_views.py)",
    ),
]
