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


def change_password(client, old_password: str):
    return client.post(
        reverse("password_change"),
        {
            "old_password": old_password,
            "new_password1": "泉城路-人大-2026",
            "new_password2": "泉城路-人大-2026",
        },
    )


@pytest.mark.django_db
def test_password_change_is_throttled_like_the_log_in(client, personas, settings):
    client.force_login(personas.staff)
    for _ in range(settings.RENDA_LOGIN_MAX_FAILURES):
        assert "原密码不正确" in change_password(client, "guess").content.decode()
    # Even the right old password is refused now, and the password is unchanged.
    html = change_password(client, PASSWORD).content.decode()
    assert "登录失败次数过多" in html
    personas.staff.refresh_from_db()
    assert personas.staff.check_password(PASSWORD)
    # A refused guess was never checked: it does not prolong the lock.
    assert LoginFailure.objects.filter(username="p_staff").count() == (
        settings.RENDA_LOGIN_MAX_FAILURES
    )
    # The same count locks the log-in of that account.
    client.logout()
    response = client.post(reverse("login"), {"username": "p_staff", "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode()


@pytest.mark.django_db
def test_right_old_password_clears_the_failures(client, personas):
    client.force_login(personas.staff)
    change_password(client, "guess")
    assert change_password(client, PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="p_staff").exists()


@pytest.mark.django_db
def test_guesses_in_flight_together_evaluate_at_most_the_limit(personas, settings):
    """Deterministic on both engines: each guess starts the next one while its own password is
    being checked, so all 30 are in flight at once. A throttle that checks before it records
    would let every one of them through."""
    import contextlib

    from django import forms

    from renda.core.forms import throttled_password_check

    checked = []

    def guess(n):
        def check():
            checked.append(n)
            if n < 30:
                with contextlib.suppress(forms.ValidationError):
                    guess(n + 1)
            raise forms.ValidationError("用户名或密码不正确。")

        throttled_password_check(request=None, username="p_staff", check=check)

    with pytest.raises(forms.ValidationError):
        guess(1)
    assert len(checked) == settings.RENDA_LOGIN_MAX_FAILURES


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_evaluate_at_most_the_limit(personas, settings, monkeypatch):
    """30 guesses at once in threads: each is counted before its password is checked, so no more
    than the limit are checked. The check is slowed down so that, were the throttle
    check-then-act, every guess would pass before any failure was recorded. PostgreSQL only:
    SQLite's shared in-memory test database refuses parallel writers outright."""
    import threading
    import time

    from django.contrib.auth import forms as auth_forms
    from django.db import connection
    from django.test import RequestFactory

    from renda.core.forms import LoginForm

    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL")
    checked = []
    real_authenticate = auth_forms.authenticate

    def slow_authenticate(*args, **kwargs):
        checked.append(1)
        time.sleep(0.2)
        return real_authenticate(*args, **kwargs)

    monkeypatch.setattr(auth_forms, "authenticate", slow_authenticate)
    start = threading.Barrier(30)
    errors = []

    def guess(n):
        try:
            request = RequestFactory().post("/login/", REMOTE_ADDR=f"10.2.0.{n}")
            start.wait()
            form = LoginForm(request, data={"username": "p_staff", "password": f"guess{n}"})
            assert not form.is_valid()
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Guesses refused by the lock are withdrawn, so a burst may even check none of them.
    assert len(checked) <= settings.RENDA_LOGIN_MAX_FAILURES
    assert LoginFailure.objects.filter(username="p_staff").count() == len(checked)
    # Guessing on one by one, the account still gets exactly the limit of checked guesses.
    for n in range(10):
        request = RequestFactory().post("/login/", REMOTE_ADDR="10.2.1.1")
        LoginForm(request, data={"username": "p_staff", "password": f"again{n}"}).is_valid()
    assert len(checked) == settings.RENDA_LOGIN_MAX_FAILURES
