"""Rate limits on sign-in, sign-up, SMS codes and the public request form: per address and per
account or number, and a forged X-Forwarded-For never buys a fresh per-address allowance.

Covered elsewhere: failed sign-ins per account with a spoofed header
(tests/core/test_accounts.py::test_failed_sign_ins_are_rate_limited_even_with_a_spoofed_forwarded_for);
the request form per address with a spoofed header, behind a trusted proxy, codes per number and
page loads per address (tests/dispatch/test_views.py).
"""

from django.test import Client
from django.urls import reverse

from core.models import User
from core.sms import MemorySmsBackend
from dispatch.models import ServiceRequest
from tests.dispatch.test_views import NEW, _form
from tests.factories import CenterFactory, UserFactory


def _signup(client, phone: str, **headers):
    data = {
        "real_name": "王秀英",
        "phone": phone,
        "email": "",
        "password1": "Xingfu-2026!",
        "password2": "Xingfu-2026!",
        "consent": "on",
    }
    return client.post(reverse("account_signup"), data, **headers)


def _assert_friendly_429(response):
    text = response.content.decode()
    assert response.status_code == 429
    assert "尝试次数过多" in text and "请等几分钟再试" in text
    assert "Traceback" not in text and "RateLimited" not in text


def test_sign_ins_from_one_address_are_limited_whatever_x_forwarded_for_says(db, client):
    for i in range(30):
        response = client.post(
            reverse("account_login"),
            {"login": f"nobody{i}@example.com", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.0.{i}.1",
        )
        assert response.status_code == 200
    response = client.post(
        reverse("account_login"), {"login": "x@example.com", "password": "y"}, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    _assert_friendly_429(response)


def test_failed_sign_ins_from_one_address_lock_out_other_accounts_too(db, client):
    UserFactory(email="victim@example.com")
    for i in range(10):
        client.post(
            reverse("account_login"),
            {"login": f"guess{i}@example.com", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.1.{i}.1",
        )

    response = client.post(
        reverse("account_login"),
        {"login": "victim@example.com", "password": "pass-word-123"},
        HTTP_X_FORWARDED_FOR="10.1.99.1",
    )

    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_ups_from_one_address_are_limited_whatever_x_forwarded_for_says(db, client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    for i in range(2):
        client.logout()
        assert _signup(client, f"1391234000{i}", HTTP_X_FORWARDED_FOR=f"10.2.{i}.1").status_code == 302

    client.logout()
    response = _signup(client, "13912340009", HTTP_X_FORWARDED_FOR="10.2.9.1")

    _assert_friendly_429(response)
    assert User.objects.count() == 2


def test_sms_codes_from_one_address_are_limited_and_the_refused_sign_up_leaves_no_account(db, client):
    # Three codes a minute from one address, each sign-up texting a code.
    for i in range(3):
        client.logout()
        assert _signup(client, f"1381234000{i}", HTTP_X_FORWARDED_FOR=f"10.3.{i}.1").status_code == 302

    client.logout()
    response = _signup(client, "13812340009", HTTP_X_FORWARDED_FOR="10.3.9.1")

    _assert_friendly_429(response)
    assert not User.objects.filter(phone="13812340009").exists()
    assert [phone for phone, _body in MemorySmsBackend.outbox] == [f"1381234000{i}" for i in range(3)]


def test_one_number_gets_one_text_however_many_addresses_sign_up_with_it(db, client):
    UserFactory(phone="13712345678")  # its owner is texted on every sign-up attempt with the number
    assert _signup(client, "137 1234 5678", REMOTE_ADDR="192.0.2.1").status_code == 302

    for i in range(2, 5):
        client.logout()
        response = _signup(client, "13712345678", REMOTE_ADDR=f"192.0.2.{i}")
        _assert_friendly_429(response)

    assert [phone for phone, _body in MemorySmsBackend.outbox] == ["13712345678"]
    assert User.objects.filter(phone="13712345678").count() == 1


def test_sign_ins_with_an_unconfirmed_number_text_it_once_whatever_the_address(db, client):
    UserFactory(email="new@example.com", phone="13900000009", phone_verified=False)
    first = client.post(
        reverse("account_login"),
        {"login": "new@example.com", "password": "pass-word-123"},
        REMOTE_ADDR="192.0.2.10",
    )
    assert first["Location"] == reverse("account_verify_phone")

    client.cookies.clear()
    again = client.post(
        reverse("account_login"),
        {"login": "new@example.com", "password": "pass-word-123"},
        REMOTE_ADDR="192.0.2.11",
    )

    _assert_friendly_429(again)
    assert [phone for phone, _body in MemorySmsBackend.outbox] == ["13900000009"]


def test_a_signed_in_resident_is_limited_per_account_from_any_address(db, client, settings):
    settings.DISPATCH_LIMITS = {"user": (2, 24 * 3600)}
    center = CenterFactory()
    client.force_login(UserFactory())
    statuses = [
        client.post(NEW, _form(center), REMOTE_ADDR=f"198.51.100.{i}").status_code for i in range(1, 4)
    ]

    assert statuses[:2] == [302, 302] and statuses[2] == 429
    assert ServiceRequest.objects.count() == 2


def test_behind_a_trusted_proxy_sign_ins_are_counted_by_the_address_the_proxy_saw(db, client, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # as production sets both
    for i in range(10):
        client.post(
            reverse("account_login"),
            {"login": f"guess{i}@example.com", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.4.{i}.1, 203.0.113.5",  # the forged part changes; the proxy's does not
        )
    UserFactory(email="someone@example.com")
    login = {"login": "someone@example.com", "password": "pass-word-123"}

    limited = client.post(reverse("account_login"), login, HTTP_X_FORWARDED_FOR="10.4.99.1, 203.0.113.5")
    elsewhere = Client().post(reverse("account_login"), login, HTTP_X_FORWARDED_FOR="10.4.99.1, 198.51.100.7")

    assert "登录失败次数过多" in limited.content.decode()
    assert elsewhere.status_code == 302


def test_a_forwarded_header_shorter_than_the_proxy_chain_is_ignored_not_an_error(db, client, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2  # as production sets both
    UserFactory(email="someone@example.com")

    response = client.post(
        reverse("account_login"),
        {"login": "someone@example.com", "password": "pass-word-123"},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )

    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_stepping_through_the_addresses_of_one_ipv6_network_does_not_reset_the_form_limit(
    db, client, settings
):
    settings.DISPATCH_LIMITS = {"ip": (3, 3600)}
    CenterFactory()
    statuses = [
        client.post(NEW, {"description": f"垃圾提交{i}"}, REMOTE_ADDR=f"2001:db8:1:2::{i:x}").status_code
        for i in range(1, 5)
    ]
    other_network = client.post(NEW, {"description": "你好"}, REMOTE_ADDR="2001:db8:1:3::1").status_code

    assert statuses == [200, 200, 200, 429]
    assert other_network == 200
