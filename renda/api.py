"""The JSON API at /api/v1/: one NinjaAPI, one router per app, one error shape.

Every error body is {"code": ..., "message": <Chinese>, "errors": [{"field": ..., "message": ...}]}."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from renda.core.errors import DomainError
from renda.core.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user  # role checks read request.user, as on pages
        return user


api = NinjaAPI(
    title="renda API",
    version="1",
    description="区人大常委会工作平台接口。会话（浏览器）或令牌（Authorization: Bearer …）认证。",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=login_required,
)


def error_body(code: str, message: str, errors: list[dict] | None = None) -> dict:
    return {"code": code, "message": message, "errors": errors or []}


# Pydantic's messages are English; these are what a Chinese user reads instead.
_PYDANTIC_MESSAGES = {
    "missing": "必填项不能为空",
    "string_too_short": "内容太短",
    "string_too_long": "内容太长",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式不正确",
    "bool_parsing": "应为是或否",
    "enum": "不是允许的取值",
    "literal_error": "不是允许的取值",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "greater_than": "数值太小",
    "less_than": "数值太大",
    "json_invalid": "请求内容不是有效的 JSON",
    "model_attributes_type": "请求内容格式不正确",
}


def _field_errors(raw: list[dict]) -> list[dict]:
    result = []
    for err in raw:
        loc = [
            str(p)
            for p in err.get("loc", [])
            if p not in ("body", "query", "path", "form", "payload")
        ]
        result.append(
            {
                "field": ".".join(loc),
                "message": _PYDANTIC_MESSAGES.get(err.get("type", ""), "取值不正确"),
            }
        )
    return result


@api.exception_handler(ValidationError)
def _validation(request, exc):
    return api.create_response(
        request,
        error_body("invalid", "提交的内容有误，请检查标注的字段。", _field_errors(exc.errors)),
        status=422,
    )


@api.exception_handler(DomainError)
def _domain(request, exc):
    fields = [{"field": k, "message": v} for k, v in exc.field_errors.items()]
    return api.create_response(
        request, error_body(exc.code, exc.message, fields), status=exc.status
    )


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def _out_of_range(request, exc):
    # Last net: the schemas bound every number, but a value the database cannot hold must still
    # be the user's error (nothing was saved: the write's transaction rolled back), not a 500.
    return api.create_response(
        request, error_body("invalid", "提交的数值超出允许范围，或内容过长。"), status=422
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(
        request, error_body("unauthenticated", "请先登录，或提供有效的令牌。"), status=401
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(
        request, error_body("forbidden", str(exc) or "您没有权限进行此操作。"), status=403
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(
        request, error_body("not_found", "未找到，或您无权查看。"), status=404
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    messages = {
        403: "您没有权限进行此操作（或缺少 CSRF 令牌）。",
        405: "不支持的请求方法。",
        429: "请求过于频繁，请稍后再试。",
    }
    code = {403: "forbidden", 405: "method_not_allowed", 429: "throttled"}.get(
        exc.status_code, "error"
    )
    return api.create_response(
        request, error_body(code, messages.get(exc.status_code, str(exc))), status=exc.status_code
    )


api.add_router("/", "renda.core.api.router")
api.add_router("/deputies", "renda.deputies.api.router")
api.add_router("/meetings", "renda.meetings.api.router")
api.add_router("/suggestions", "renda.suggestions.api.router")
api.add_router("/plans", "renda.plans.api.router")
api.add_router("/supervision", "renda.supervision.api.router")
