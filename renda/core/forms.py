from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from renda.core.actions import clear_login_failures, record_login_failure
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


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用，请联系系统管理员。",
        "locked": "登录失败次数过多，请 %(minutes)s 分钟后再试，或联系系统管理员。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else None
        if login_locked(username=username, ip=ip):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.RENDA_LOGIN_WINDOW_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            record_login_failure(username=username, ip=ip)
            raise
        clear_login_failures(username=username)
        return cleaned


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
