from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renda.core.access import AUTHENTICATED, PUBLIC, allow
from renda.core.calendar import WorkCalendar
from renda.core.forms import LoginForm, ThrottledPasswordChangeForm, TokenIssueForm
from renda.core.home import panels_for
from renda.core.models import CalendarYear, Job, Notification, Office, Street, Unit
from renda.core.notifications import mark_read
from renda.core.tokens import issue_token, own_tokens, revoke_token


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login_view = allow(PUBLIC)(LoginView.as_view())
logout_view = allow(PUBLIC)(auth_views.LogoutView.as_view())


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        messages.success(self.request, "密码已修改；如有 API 令牌，已全部撤销。")
        return super().form_valid(form)

    def get_success_url(self):
        return "/"


password_change_view = allow(AUTHENTICATED)(PasswordChangeView.as_view())


@allow(AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def tokens(request):
    """The user's own API tokens; a new one's key is shown on this response only."""
    form = TokenIssueForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        token, key = issue_token(
            user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
        )
        issued = {"token": token, "key": key}
        form = TokenIssueForm()
    context = {"tokens": own_tokens(request.user), "form": form, "issued": issued}
    return render(request, "core/tokens.html", context)


@allow(AUTHENTICATED)
@require_POST
def token_revoke(request, pk: int):
    token = revoke_token(acting_user=request.user, token_id=pk)
    messages.success(request, f"已撤销令牌“{token.name}”（{token.prefix}…）。")
    return redirect("tokens")


@allow(AUTHENTICATED)
@require_GET
def home(request):
    return render(request, "core/home.html", {"panels": panels_for(request.user)})


@allow("admin", "leader", "staff", "street", "unit")
@require_GET
def organisation(request):
    context = {
        "offices": Office.objects.active(),
        "streets": Street.objects.active(),
        "units": Unit.objects.active(),
        "unit_kinds": Unit.Kind,
    }
    return render(request, "core/organisation.html", context)


@allow(AUTHENTICATED)
@require_GET
def calendar(request):
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2004), 2100)
    work_calendar = WorkCalendar.load()
    context = {
        "year": year,
        "known": work_calendar.is_known_year(year),
        "special_days": work_calendar.special_days(year),
        "entered_years": CalendarYear.objects.all(),
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "core/calendar.html", context)


@allow(AUTHENTICATED)
@require_GET
def notifications(request):
    """The user's own messages, newest first; unread ones are highlighted."""
    rows = Notification.objects.filter(user=request.user).only(
        "title", "body", "url", "created_at", "read_at"
    )
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@allow(AUTHENTICATED)
@require_POST
def notifications_read(request):
    count = mark_read(user=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
    return redirect("notifications")


def _own_job(request, pk: int) -> Job:
    """A job is its starter's alone: anyone else gets 404."""
    job = Job.objects.filter(pk=pk, user=request.user).first()
    if job is None:
        raise Http404("未找到该任务。")
    return job


@allow(AUTHENTICATED)
@require_GET
def job_detail(request, pk: int):
    return render(request, "core/job.html", {"job": _own_job(request, pk)})


@allow(AUTHENTICATED)
@require_GET
def job_status(request, pk: int):
    """The progress fragment the job page polls (htmx) until the job has finished."""
    return render(request, "core/partials/job_status.html", {"job": _own_job(request, pk)})


@allow(AUTHENTICATED)
@require_GET
def job_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != Job.Status.DONE or not job.file:
        raise Http404("任务尚未完成。")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
