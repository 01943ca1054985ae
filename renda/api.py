"""The JSON API at /api/v1/: one NinjaAPI, one router per app, one error shape.

Every error body is {"code": ..., "message": <Chinese>, "errors": [{"field": ..., "message": ...}]}."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DataError, IntegrityError
from django.http import Http404, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from renda.core.errors import DomainError, duplicate_error
from renda.core.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user  # role checks read request.user, as on pages
        return user


# Every operation may answer these, always in the one error shape; the document says so once
# for all of them, so a client (and schemathesis) can rely on status and body alike.
DOCUMENTED_ERRORS = {
    400: "请求内容有误（含不允许的字符、超长文本）",
    401: "未登录或令牌无效",
    403: "无权进行此操作",
    404: "未找到，或无权查看",
    409: "记录已被他人修改，或与已有记录冲突",
    413: "提交的内容太大",
    415: "不支持的内容类型",
    422: "字段取值不正确",
    429: "请求过于频繁",
}
ERROR_SCHEMA = {
    "title": "ApiError",
    "type": "object",
    "required": ["code", "message", "errors"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def document_errors(schema: dict) -> dict:
    """Add the error answers to every operation of an OpenAPI document (keeping its own)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in DOCUMENTED_ERRORS.items():
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, "content": content}
    return schema


class RendaAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return document_errors(super().get_openapi_schema(**kwargs))


api = RendaAPI(
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


# What an error status means, for errors with nothing more to say: raised in an operation, or
# answered before one runs (unknown URL, wrong method, body too large, CSRF).
STATUS_ERRORS = {
    400: ("bad_request", "请求内容有误。"),
    401: ("unauthenticated", "请先登录，或提供有效的令牌。"),
    403: ("forbidden", "您没有权限进行此操作（或缺少 CSRF 令牌）。"),
    404: ("not_found", "未找到，或您无权查看。"),
    405: ("method_not_allowed", "不支持的请求方法。"),
    409: ("conflict", "与已有记录冲突，请刷新后重试。"),
    413: ("too_large", "提交的内容太大。"),
    415: ("unsupported_media_type", "不支持的内容类型，请以 JSON 提交。"),
    429: ("throttled", "请求过于频繁，请稍后再试。"),
    500: ("server_error", "系统出现错误，您的数据没有丢失。请稍后重试。"),
}


def status_error_response(status: int, message: str = "") -> JsonResponse:
    """The one error shape for a bare status, outside an operation's own handlers."""
    code, default = STATUS_ERRORS.get(status, ("error", "请求未能完成。"))
    return JsonResponse(error_body(code, message or default), status=status)


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
    message = str(exc) or "您没有权限进行此操作。"
    request.refusal_reason = message  # the one-line refusal log names it (renda/core/logs.py)
    return api.create_response(request, error_body("forbidden", message), status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(
        request, error_body("not_found", "未找到，或您无权查看。"), status=404
    )


@api.exception_handler(HttpError)
def _http_error(request, exc):
    # HttpError's own text is English (e.g. the throttle's); only the status is kept.
    code, message = STATUS_ERRORS.get(exc.status_code, ("error", "请求未能完成。"))
    return api.create_response(request, error_body(code, message), status=exc.status_code)


@api.exception_handler(IntegrityError)
def _integrity(request, exc):
    """A duplicate create that raced past the action's check is a conflict, not a crash."""
    error = duplicate_error(exc)
    if error is None:
        raise exc
    return _domain(request, error)


api.add_router("/", "renda.core.api.router")
api.add_router("/deputies", "renda.deputies.api.router")
api.add_router("/meetings", "renda.meetings.api.router")
api.add_router("/suggestions", "renda.suggestions.api.router")
api.add_router("/plans", "renda.plans.api.router")
api.add_router("/supervision", "renda.supervision.api.router")
