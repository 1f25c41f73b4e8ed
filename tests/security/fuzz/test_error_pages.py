"""The 400, 403, 404 and 500 pages: the portal's own, in Chinese by default, never a traceback."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from .targets import assert_friendly_error_page


def _text(response) -> str:
    return response.content.decode()


def test_404_page_is_in_chinese_without_traceback(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_friendly_error_page(response)
    assert "页面不存在" in _text(response) or "找不到" in _text(response)


def test_403_page_is_in_chinese_without_traceback(world, client):
    client.force_login(world.user("resident"))
    response = client.get(reverse("care:overview"))
    assert response.status_code == 403
    assert_friendly_error_page(response)
    assert "权限" in _text(response)


@override_settings(ROOT_URLCONF="tests.security.fuzz.urls_raising")
def test_500_page_is_in_chinese_without_traceback(db):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Traceback" not in _text(response) and "RuntimeError" not in _text(response)
    assert 'lang="zh-hans"' in _text(response)
    assert "出错" in _text(response) or "抱歉" in _text(response)


def test_too_many_fields_get_the_400_page_saying_so(db, client):
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.generic("POST", reverse("dispatch:create"), body, "application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert_friendly_error_page(response)
    assert "栏目或文件太多" in _text(response)


def test_body_over_the_limit_gets_the_400_page_saying_so(db, client):
    body = b"x=" + b"y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.generic("POST", reverse("dispatch:create"), body, "application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "内容太大" in _text(response)


def test_400_page_follows_the_chosen_language(db, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("volunteers:index"), {"center": "a\x00b"})
    assert response.status_code == 400
    assert "invisible control character (NUL)" in _text(response)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/volunteers/", {"center": "\x00"}),  # a slug looked up as is: PostgreSQL refuses NUL
        ("/healthz/worker/%00/", {}),  # a token in the address
        ("/activities/", {"q": "水\x00电"}),
    ],
)
def test_nul_in_the_address_gets_the_400_page_not_a_database_error(db, client, path, query):
    response = client.get(path, query)
    assert response.status_code == 400
    assert_friendly_error_page(response)
    assert "控制字符（NUL）" in _text(response)


def test_nul_in_a_form_gets_the_400_page_and_nothing_is_stored(world, client):
    from dispatch.models import ServiceRequest

    client.force_login(world.user("resident"))
    data = {"category": "other", "community": world.center_a.community_id, "description": "水管\x00漏水了"}
    response = client.post(reverse("dispatch:create"), data)
    assert response.status_code == 400
    assert "控制字符（NUL）" in _text(response)
    assert not ServiceRequest.objects.exists()


def test_a_form_without_its_csrf_token_gets_the_expired_page_in_chinese(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("dispatch:create"), {"description": "水管漏水了"})
    assert response.status_code == 403
    assert_friendly_error_page(response)
    assert "表单没有提交成功" in _text(response)
