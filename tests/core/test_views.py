import json

from django.urls import reverse

from tests.factories import CenterFactory


def test_home_page_lists_the_districts_centers_in_chinese(db, client):
    center = CenterFactory(name="白鱼潭社区幸福邻里中心")
    page = client.get("/")
    text = page.content.decode()
    assert page.status_code == 200
    assert center.name in text
    assert "幸福邻里" in text
    assert 'lang="zh-hans"' in text


def test_home_page_speaks_english_and_traditional_chinese_on_request(db, client):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Happy Neighborhood" in english and 'lang="en"' in english
    hant = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "幸福鄰里" in hant


def test_language_switch_is_remembered(db, client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Find activities" in client.get("/").content.decode()


def test_home_page_query_count_does_not_grow_with_centers(db, client):
    from tests.query_budget import assert_flat_queries

    assert_flat_queries(client, "/", lambda n: CenterFactory.create_batch(n))


def test_large_text_switch_sets_a_cookie_and_enlarges_the_page(db, client):
    response = client.post(reverse("core:text_size"), {"large": "1", "next": "/"})
    assert response.status_code == 302
    assert 'class="large-text"' in client.get("/").content.decode()


def test_large_text_switch_refuses_to_redirect_off_site(db, client):
    response = client.post(reverse("core:text_size"), {"large": "1", "next": "https://evil.example.com/"})
    assert response["Location"] == "/"


def test_healthz_reports_database_and_broker(db, client):
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["database"] == "ok"
    assert body["broker"] == "ok"


def test_me_page_needs_sign_in(db, client):
    response = client.get(reverse("core:me"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pages_carry_security_headers(db, client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_not_found_page_is_in_chinese_without_traceback(db, client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in text and "Traceback" not in text
