import pytest
from django.urls import reverse

from renda.core.models import LoginFailure
from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_login_page_is_chinese(client, org):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "用户名" in html and "密码" in html and "泉城区" in html


@pytest.mark.django_db
def test_login_and_logout(client, personas):
    response = client.post(reverse("login"), {"username": "p_staff", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_wrong_password_says_so_in_chinese_and_is_counted(client, personas):
    response = client.post(reverse("login"), {"username": "p_staff", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert LoginFailure.objects.filter(username="p_staff").count() == 1


@pytest.mark.django_db
def test_login_is_throttled_after_five_failures(client, personas, settings):
    for _ in range(settings.RENDA_LOGIN_MAX_FAILURES):
        client.post(reverse("login"), {"username": "p_staff", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "p_staff", "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from elsewhere is not locked by it.
    other = client.post(
        reverse("login"), {"username": "p_leader", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


@pytest.mark.django_db
def test_successful_login_clears_failures(client, personas):
    client.post(reverse("login"), {"username": "p_staff", "password": "wrong"})
    client.post(reverse("login"), {"username": "p_staff", "password": PASSWORD})
    assert not LoginFailure.objects.filter(username="p_staff").exists()


@pytest.mark.django_db
def test_inactive_user_cannot_log_in(client, personas):
    personas.staff.is_active = False
    personas.staff.save()
    response = client.post(reverse("login"), {"username": "p_staff", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_change_validates_in_chinese(client, personas):
    client.force_login(personas.staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "密码" in html and ("全都是数字" in html or "太常见" in html)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "泉城路-人大-2026",
            "new_password2": "泉城路-人大-2026",
        },
    )
    assert response.status_code == 302
    personas.staff.refresh_from_db()
    assert personas.staff.check_password("泉城路-人大-2026")


@pytest.mark.django_db
def test_security_headers(client, org):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_templates_carry_no_inline_script_or_style(client, personas):
    client.force_login(personas.admin)
    for url in ["/", "/deputies/", "/meetings/", "/organisation/", "/calendar/", "/password/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html, url


@pytest.mark.django_db
def test_behind_the_proxy_throttling_counts_the_callers_address(client, personas, settings):
    settings.RENDA_BEHIND_PROXY = True
    for _ in range(settings.RENDA_LOGIN_MAX_FAILURES * 4):
        client.post(
            reverse("login"),
            {"username": "nobody-here", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="10.1.1.1",
        )
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"10.1.1.1"}
    # A colleague behind the same proxy, from another address, still logs in.
    response = client.post(
        reverse("login"),
        {"username": "p_leader", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.1.1.2",
    )
    assert response.status_code == 302
