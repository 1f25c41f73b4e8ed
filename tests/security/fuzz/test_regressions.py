"""The server errors the fuzzing found, each as the user met it (see the report of issue #11)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.dispatch.url_matrix import _call
from tests.volunteers.url_matrix import signed_up_duty


def _text(response) -> str:
    return response.content.decode()


def test_text_size_switch_with_a_bare_word_as_next_goes_home(db, client):
    # redirect("abc") took the word for a URL name: NoReverseMatch, a server error.
    response = client.post(reverse("core:text_size"), {"large": "1", "next": "abc"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_activity_list_refuses_a_date_far_in_the_future_and_says_why(db, client):
    # 9999-12-31 + one day overflowed (OverflowError).
    response = client.get(
        reverse("centers:activity_list"), {"date_to": "9999-12-31", "date_from": "0001-01-01"}
    )
    assert response.status_code == 200
    assert "请输入 1900 年到 2100 年之间的日期。" in _text(response)


def test_week_view_of_the_last_possible_week_shows_this_week(db, client):
    response = client.get(reverse("centers:week"), {"week": "9999-12-31"})
    assert response.status_code == 200
    today = timezone.localdate()
    assert response.context["monday"] == today - dt.timedelta(days=today.weekday())


def test_check_in_code_with_chinese_characters_is_refused_on_the_form(world, client):
    # secrets.compare_digest raised TypeError on a str with non-ASCII characters.
    duty = signed_up_duty(world, "own")
    client.force_login(world.user("volunteer"))
    response = client.post(reverse("volunteers:duty_check", kwargs={"pk": duty.pk}), {"code": "一二三四五六"})
    assert response.status_code == 200
    assert "一二三四五六" in _text(response)
    assert "errorlist" in _text(response)
    assert duty.signups.get().status == "signed_up"


def test_volunteer_registration_with_an_oversized_id_is_refused_on_the_form(world, client):
    # An id beyond 64 bits in a multiple choice raised OverflowError on SQLite.
    from volunteers.models import Volunteer

    client.force_login(world.user("resident"))
    data = {
        "real_name": "王秀英",
        "center": world.center_a.pk,
        "skills": "99999999999999999999999999",
        "consent": "on",
    }
    response = client.post(reverse("volunteers:register"), data)
    assert response.status_code == 200
    assert "99999999999999999999999999" in _text(response)
    assert not Volunteer.objects.filter(user=world.user("resident")).exists()


def test_care_admin_center_filter_with_a_word_lists_nothing(world, client):
    # ?center=<not a number> raised ValueError in the care admin's center filter.
    from tests.care.factories import RecipientFactory

    RecipientFactory(center=world.center_a)
    client.force_login(world.user("admin"))
    response = client.get(reverse("admin:care_recipient_changelist"), {"center": "abc' OR 1=1 --"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_staff_desk_shows_a_refused_filter_value(world, client):
    client.force_login(world.user("worker"))
    response = client.get(reverse("dispatch:desk"), {"status": "abc"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in _text(response)


def test_empty_answer_to_an_emergency_call_says_what_is_missing(world, client):
    call = _call(world, "own")
    client.force_login(world.user("volunteer"))
    response = client.post(reverse("dispatch:call_answer", kwargs={"pk": call.pk}), {"answer": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in _text(response)


def test_adding_a_child_of_the_same_name_twice_says_so(world, client):
    # The unique (guardian, name) constraint raised ValidationError out of the view: a server error.
    from centers.models import Child

    client.force_login(world.user("resident"))
    data = {"name": "小明", "birth_year": timezone.localdate().year - 8, "relation": "奶奶"}
    client.post(reverse("centers:children"), data)
    response = client.post(reverse("centers:children"), data)
    assert response.status_code == 400
    assert "小明已经在您的账户里了" in _text(response)
    assert Child.objects.filter(guardian=world.user("resident")).count() == 1


@pytest.mark.parametrize(
    "model",
    [
        "volunteers/volunteer",
        "volunteers/membership",
        "volunteers/dutysignup",
        "volunteers/certificate",
        "volunteers/redemption",
        "dispatch/feedback",
        "dispatch/dispatchreminder",
    ],
)
def test_rows_that_only_services_create_have_no_add_page_in_the_admin(model, world, client):
    client.force_login(world.user("admin"))
    assert client.get(f"/admin/{model}/add/").status_code == 403
    assert f'href="/admin/{model}/add/"' not in client.get(f"/admin/{model}/").content.decode()


def test_junk_in_an_autocomplete_field_is_a_form_error_not_a_server_error(world, client):
    client.force_login(world.user("admin"))
    response = client.post("/admin/care/visit/add/", {"recipient": "1e309", "kind": "home"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
