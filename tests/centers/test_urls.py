import pytest
from django.urls import resolve, reverse

from centers import views


@pytest.mark.parametrize(
    ("name", "kwargs", "path", "view"),
    [
        ("centers:list", {}, "/centers/", views.CenterListView),
        ("centers:detail", {"slug": "baiyutan"}, "/centers/baiyutan/", views.center_detail),
        ("centers:center_ical", {"slug": "baiyutan"}, "/centers/baiyutan/calendar.ics", views.center_ical),
        ("centers:activity_list", {}, "/activities/", views.ActivityListView),
        ("centers:week", {}, "/activities/week/", views.activity_week),
        ("centers:activity_detail", {"pk": 7}, "/activities/7/", views.activity_detail),
        ("centers:activity_ical", {"pk": 7}, "/activities/7/calendar.ics", views.activity_ical),
        ("centers:signup", {"pk": 7}, "/activities/7/signup/", views.signup),
        ("centers:cancel", {"pk": 7}, "/activities/7/cancel/", views.cancel),
        ("centers:my_ical", {"token": "abc_DEF-1"}, "/me/calendar/abc_DEF-1.ics", views.my_ical),
        ("centers:reset_calendar", {}, "/me/calendar/reset/", views.reset_calendar),
        ("centers:children", {}, "/me/children/", views.children),
    ],
)
def test_urls_reverse_and_resolve_both_ways(name, kwargs, path, view):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    assert getattr(match.func, "view_class", match.func) is view
