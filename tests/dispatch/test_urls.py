import uuid

import pytest
from django.urls import resolve, reverse

TOKEN = uuid.UUID("12345678-1234-5678-1234-567812345678")
CASES = [
    ("dispatch:create", {}, "/requests/new/"),
    ("dispatch:confirm", {"token": TOKEN}, f"/requests/confirm/{TOKEN}/"),
    ("dispatch:site_list", {}, "/requests/sites/"),
    ("dispatch:status", {"public_id": TOKEN}, f"/requests/{TOKEN}/"),
    ("dispatch:rate", {"public_id": TOKEN}, f"/requests/{TOKEN}/rate/"),
    ("dispatch:photo", {"public_id": TOKEN}, f"/requests/{TOKEN}/photo/"),
    ("dispatch:desk", {}, "/requests/desk/"),
    ("dispatch:desk_create", {}, "/requests/desk/new/"),
    ("dispatch:desk_detail", {"pk": 7}, "/requests/desk/7/"),
    ("dispatch:desk_assign", {"pk": 7}, "/requests/desk/7/assign/"),
    ("dispatch:desk_answer", {"pk": 7}, "/requests/desk/7/answer/"),
    ("dispatch:desk_status", {"pk": 7}, "/requests/desk/7/status/"),
    ("dispatch:desk_feedback", {"pk": 7}, "/requests/desk/7/feedback/"),
    ("dispatch:supply_list", {}, "/requests/supplies/"),
    ("dispatch:task_list", {}, "/requests/tasks/"),
    ("dispatch:task_answer", {"pk": 3}, "/requests/tasks/3/answer/"),
    ("dispatch:task_status", {"pk": 3}, "/requests/tasks/3/status/"),
    ("dispatch:call_answer", {"pk": 2}, "/requests/calls/2/"),
    ("dispatch:mobilisation_list", {}, "/requests/mobilisations/"),
    ("dispatch:mobilisation_detail", {"pk": 2}, "/requests/mobilisations/2/"),
    ("dispatch:mobilisation_close", {"pk": 2}, "/requests/mobilisations/2/close/"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), CASES, ids=[c[0] for c in CASES])
def test_names_and_paths_map_both_ways(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert f"{match.namespace}:{match.url_name}" == name
    assert {
        k: (uuid.UUID(str(v)) if isinstance(v, uuid.UUID) else v) for k, v in match.kwargs.items()
    } == kwargs


def test_every_dispatch_pattern_is_listed_here():
    from dispatch.urls import urlpatterns

    assert {f"dispatch:{p.name}" for p in urlpatterns} == {c[0] for c in CASES}


def test_the_navigation_name_for_asking_for_help_exists():
    assert reverse("dispatch:create") == "/requests/new/"
