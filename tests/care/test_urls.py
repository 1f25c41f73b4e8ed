import pytest
from django.urls import resolve, reverse

from care import views


@pytest.mark.parametrize(
    ("name", "kwargs", "path", "view"),
    [
        ("care:overview", {}, "/care/", views.overview),
        ("care:timeline", {"pk": 7}, "/care/recipients/7/timeline/", views.recipient_timeline),
        ("care:export", {}, "/care/export/", views.export),
    ],
)
def test_care_urls_reverse_and_resolve(name, kwargs, path, view):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).func == view


def test_the_care_admin_pages_exist():
    assert reverse("admin:care_visit_changelist") == "/admin/care/visit/"
    assert reverse("admin:care_recipient_changelist") == "/admin/care/recipient/"
