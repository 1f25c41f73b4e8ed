import pytest
from django.urls import resolve, reverse

from deliberation import views

CASES = [
    ("deliberation:list", {}, "/deliberation/", views.MeetingListView),
    ("deliberation:detail", {"pk": 7}, "/deliberation/7/", views.MeetingDetailView),
    ("deliberation:object", {"pk": 7}, "/deliberation/7/objection/", views.file_objection),
    ("deliberation:manage_list", {}, "/deliberation/manage/", views.meeting_list),
    ("deliberation:create", {}, "/deliberation/manage/new/", views.meeting_create),
    ("deliberation:manage", {"pk": 7}, "/deliberation/manage/7/", views.meeting_manage),
    (
        "deliberation:act",
        {"pk": 7, "action": "cast_vote"},
        "/deliberation/manage/7/do/cast_vote/",
        views.meeting_act,
    ),
    ("deliberation:minutes", {"pk": 7}, "/deliberation/manage/7/minutes/", views.meeting_minutes),
    (
        "deliberation:minutes_export",
        {"pk": 7},
        "/deliberation/manage/7/minutes.xlsx",
        views.meeting_minutes_export,
    ),
    ("deliberation:mediation_list", {}, "/deliberation/mediation/", views.case_list),
    ("deliberation:mediation_export", {}, "/deliberation/mediation/export.xlsx", views.case_export),
    ("deliberation:mediation_detail", {"pk": 3}, "/deliberation/mediation/3/", views.case_detail),
    (
        "deliberation:mediation_act",
        {"pk": 3, "action": "session"},
        "/deliberation/mediation/3/do/session/",
        views.case_act,
    ),
    (
        "deliberation:mediation_agreement",
        {"pk": 3},
        "/deliberation/mediation/3/agreement/",
        views.case_agreement,
    ),
]


@pytest.mark.parametrize(("name", "kwargs", "path", "view"), CASES, ids=[c[0] for c in CASES])
def test_url_reverses_and_resolves_both_ways(name, kwargs, path, view):
    assert reverse(name, kwargs=kwargs or None) == path
    match = resolve(path)
    assert f"{match.namespace}:{match.url_name}" == name
    assert getattr(match.func, "view_class", match.func) == view
