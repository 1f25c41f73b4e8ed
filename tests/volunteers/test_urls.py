import pytest
from django.urls import resolve, reverse

from volunteers import views

CASES = [
    ("volunteers:index", {}, "/volunteers/", views.index),
    ("volunteers:register", {}, "/volunteers/register/", views.register),
    ("volunteers:team_detail", {"pk": 3}, "/volunteers/teams/3/", views.team_detail),
    ("volunteers:team_join", {"pk": 3}, "/volunteers/teams/3/join/", views.team_join),
    ("volunteers:duty_detail", {"pk": 4}, "/volunteers/duties/4/", views.duty_detail),
    ("volunteers:duty_signup", {"pk": 4}, "/volunteers/duties/4/sign-up/", views.duty_signup),
    ("volunteers:duty_cancel", {"pk": 4}, "/volunteers/duties/4/cancel/", views.duty_cancel),
    ("volunteers:duty_check", {"pk": 4}, "/volunteers/duties/4/check/", views.duty_check),
    ("volunteers:hours_report", {}, "/volunteers/hours/report/", views.hours_report),
    ("volunteers:certificate_create", {}, "/volunteers/certificates/new/", views.certificate_create),
    (
        "volunteers:certificate_detail",
        {"number": "ZYFW20261126-000001"},
        "/volunteers/certificates/ZYFW20261126-000001/",
        views.certificate_detail,
    ),
    ("volunteers:shop_list", {}, "/volunteers/shop/", views.shop_list),
    ("volunteers:shop_detail", {"pk": 1}, "/volunteers/shop/1/", views.shop_detail),
    ("volunteers:pickup", {"pk": 1}, "/volunteers/shop/1/pickup/", views.pickup),
    ("volunteers:redeem", {"pk": 2}, "/volunteers/shop/items/2/redeem/", views.redeem),
    ("volunteers:redemption_cancel", {"pk": 5}, "/volunteers/redemptions/5/cancel/", views.redemption_cancel),
]


@pytest.mark.parametrize(("name", "kwargs", "path", "view"), CASES, ids=[c[0] for c in CASES])
def test_url_names_and_paths_match_both_ways(name, kwargs, path, view):
    assert reverse(name, kwargs=kwargs or None) == path
    match = resolve(path)
    assert match.func == view and match.kwargs == kwargs
