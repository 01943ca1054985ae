"""Every error answer in Chinese: under /api/ the API's one JSON error shape (renda/api.py), a
page everywhere else. Django's error handlers (renda/urls.py), its CSRF failure view and the
middleware below all come here, so no English page or HTML body reaches a user or a client."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import HttpResponse
from django.template import loader

from renda.core.errors import duplicate_error

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _answer(request, status: int, template: str, message: str = "") -> HttpResponse:
    if _is_api(request):
        from renda.api import status_error_response  # the API module loads every router

        return status_error_response(status, message)
    body = loader.render_to_string(template, {"message": message}, request)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return _answer(request, 413, "413.html")
    return _answer(request, 400, "400.html")


def permission_denied(request, exception=None):
    return _answer(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _answer(request, 404, "404.html")


def server_error(request):
    if _is_api(request):
        return _answer(request, 500, "500.html")
    # 500.html stands alone: the menu and base template may be what failed.
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def csrf_failure(request, reason: str = ""):
    if _is_api(request):
        return _answer(request, 403, "", "请求缺少有效的 CSRF 令牌，请刷新页面后重试。")
    return _answer(request, 403, "403_csrf.html")


class ErrorShapeMiddleware:
    """The net under the handlers: an error answered before an API operation runs (e.g. 405
    from the router, which has no handler) gets the JSON shape; a duplicate create that raced
    past its action's check (a unique constraint's IntegrityError) is a 409, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            _is_api(request)
            and response.status_code >= 400
            and "json" not in response.get("Content-Type", "")
        ):
            return _answer(request, response.status_code, "")
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, IntegrityError) and (error := duplicate_error(exception)):
            return _answer(request, 409, "409.html", error.message)
        return None
