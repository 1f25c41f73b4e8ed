import re

import pytest
from django.urls import reverse

from core.models import User
from core.sms import MemorySmsBackend
from tests.factories import UserFactory


def _signup(client, **overrides):
    data = {
        "real_name": "王秀英",
        "phone": "139 1234 5678",
        "email": "",
        "password1": "Xingfu-2026!",
        "password2": "Xingfu-2026!",
        "consent": "on",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def test_resident_signs_up_with_a_mobile_number_and_confirms_it_by_sms(db, client):
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(phone="13912345678")
    assert user.real_name == "王秀英" and not user.phone_verified
    phone, body = MemorySmsBackend.outbox[-1]
    assert phone == "13912345678"
    code = re.search(r"验证码是 (\d{6})", body).group(1)
    page = client.get(response["Location"])
    assert page.status_code == 200
    client.post(response["Location"], {"code": code})
    user.refresh_from_db()
    assert user.phone_verified


def test_signup_with_a_bad_mobile_number_says_why_and_keeps_the_input(db, client):
    response = _signup(client, phone="12345")
    text = response.content.decode()
    assert response.status_code == 200
    assert "请输入11位大陆手机号码" in text
    assert 'value="王秀英"' in text
    assert not User.objects.exists()


def test_signup_needs_consent(db, client):
    response = _signup(client, consent="")
    assert response.status_code == 200
    assert not User.objects.exists()


def test_a_mobile_number_is_registered_only_once(db, client):
    UserFactory(phone="13912345678")
    response = _signup(client)
    # The page does not reveal that the number is taken; its owner gets a text instead.
    assert response.status_code == 302
    assert User.objects.filter(phone="13912345678").count() == 1
    assert MemorySmsBackend.outbox[-1][0] == "13912345678"
    assert "已有账号" in MemorySmsBackend.outbox[-1][1]


@pytest.mark.parametrize("login", ["resident@example.com", "13900000001", "+86 139 0000 0001"])
def test_sign_in_by_email_or_mobile_number(db, client, login):
    UserFactory(email="resident@example.com", phone="13900000001")
    response = client.post(reverse("account_login"), {"login": login, "password": "pass-word-123"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert "_auth_user_id" in client.session


def test_sign_in_gives_a_new_session_key(db, client):
    UserFactory(email="a@example.com")
    client.get(reverse("account_login"))
    before = client.session.session_key
    client.post(reverse("account_login"), {"login": "a@example.com", "password": "pass-word-123"})
    assert client.session.session_key != before


def test_wrong_password_is_refused_in_chinese(db, client):
    UserFactory(email="a@example.com")
    response = client.post(reverse("account_login"), {"login": "a@example.com", "password": "wrong-one"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "不正确" in response.content.decode()


def test_sign_in_with_an_unconfirmed_mobile_number_asks_for_the_sms_code(db, client):
    UserFactory(email="new@example.com", phone="13900000009", phone_verified=False)
    response = client.post(
        reverse("account_login"), {"login": "new@example.com", "password": "pass-word-123"}
    )
    assert response["Location"] == reverse("account_verify_phone")
    assert MemorySmsBackend.outbox[-1][0] == "13900000009"


def test_failed_sign_ins_are_rate_limited_even_with_a_spoofed_forwarded_for(db, client):
    UserFactory(email="target@example.com")
    for i in range(8):
        response = client.post(
            reverse("account_login"),
            {"login": "target@example.com", "password": f"guess-{i}"},
            HTTP_X_FORWARDED_FOR=f"10.0.{i}.{i}",
        )
    assert "登录失败次数过多" in response.content.decode()
    # The right password is refused too while the limit holds.
    response = client.post(
        reverse("account_login"),
        {"login": "target@example.com", "password": "pass-word-123"},
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert "_auth_user_id" not in client.session


def test_deactivating_a_user_ends_their_session_at_once(db, client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("core:me")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("core:me"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
