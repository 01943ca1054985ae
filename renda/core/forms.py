from collections.abc import Callable
from datetime import datetime, time

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import timezone

from renda.core.actions import (
    clear_login_failures,
    record_login_failure,
    withdraw_login_failure,
)
from renda.core.imports import SheetFormat
from renda.core.queries import login_locked


def client_ip(request) -> str | None:
    """The caller's address. Behind the nginx proxy (RENDA_HTTPS) every request comes from the
    proxy, so the address nginx appended to X-Forwarded-For (the rightmost) is the caller's;
    otherwise throttling by address would lock out the whole organ at once."""
    if settings.RENDA_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None


LOCKED_MESSAGE = "登录失败次数过多，请 %(minutes)s 分钟后再试，或联系系统管理员。"


def throttled_password_check(*, request, username: str, check: Callable[[], None]) -> None:
    """Runs `check` (which raises ValidationError for a wrong password) under the log-in
    throttle. The guess is recorded as a failure first and the lock decided on the count that
    includes it, so parallel guesses cannot all pass a check made before any was recorded."""
    ip = client_ip(request) if request else None
    failure = record_login_failure(username=username, ip=ip)
    if login_locked(username=username, ip=ip):
        withdraw_login_failure(failure=failure)
        raise forms.ValidationError(
            LOCKED_MESSAGE, code="locked", params={"minutes": settings.RENDA_LOGIN_WINDOW_MINUTES}
        )
    check()  # a wrong password leaves the failure recorded
    clear_login_failures(username=username)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用，请联系系统管理员。",
        "locked": LOCKED_MESSAGE,
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean(self):
        throttled_password_check(
            request=self.request,
            username=self.cleaned_data.get("username") or "",
            check=super().clean,
        )
        return self.cleaned_data


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Guessing the old password counts against the same throttle as logging in."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request
        labels = {
            "old_password": "原密码",
            "new_password1": "新密码",
            "new_password2": "确认新密码",
        }
        for name, field in self.fields.items():
            field.label = labels.get(name, field.label)
            field.widget.attrs["class"] = "form-control"

    def clean_old_password(self):
        throttled_password_check(
            request=self.request,
            username=self.user.get_username(),
            check=super().clean_old_password,
        )
        return self.cleaned_data["old_password"]


class TokenIssueForm(forms.Form):
    name = forms.CharField(
        label="用途",
        max_length=100,
        help_text="例如：与办公系统对接。",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    expires_on = forms.DateField(
        label="有效期至（可不填）",
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        if expires_on and expires_on <= timezone.localdate():
            raise forms.ValidationError("有效期应晚于今天。")
        return expires_on

    def expires_at(self):
        """The end of the chosen day, local time."""
        expires_on = self.cleaned_data["expires_on"]
        if not expires_on:
            return None
        return timezone.make_aware(datetime.combine(expires_on, time.max))


def workbook_field(*, label: str = "Excel 文件（.xlsx）", help_text: str = "") -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )


class ImportForm(forms.Form):
    """An Excel workbook to import. Too large a file is refused here, before it is read (the
    import checks again); each app names its sheet (and may relabel `file`)."""

    sheet: SheetFormat
    file = workbook_field()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.sheet.max_bytes:
            raise forms.ValidationError(self.sheet.too_large)
        return upload
