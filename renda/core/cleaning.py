"""The one place text input is cleaned: every form field, query parameter and JSON string.

A stray control character (pasted from Word, or sent on purpose) cannot be written to .xlsx or
.docx and poisoned whole exports; a NUL cannot be stored by PostgreSQL at all. So, before any
view runs: C0 controls other than tab and newline are dropped, line ends become \\n, lone
surrogates and U+FFFE/U+FFFF are dropped; a NUL is refused, as is a value longer than
RENDA_MAX_TEXT_CHARS (a few fields, such as a law's pasted full text, may be longer). Excel
imports clean their cells with clean_text() too; the data migration core 0006 cleaned what was
stored before.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

from renda.core.error_pages import API_PREFIX
from renda.core.errors import DomainError

NUL = "\x00"
# Tab (\x09) and newline (\x0a) stay; \r is turned into \n before this runs.
_UNWANTED = re.compile("[\x01-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")

# Where long text is legitimate: view name -> fields allowed RENDA_MAX_LONG_TEXT_CHARS.
# A statute pasted whole runs to 100,000 characters and more.
LONG_TEXT_FIELDS: dict[str, frozenset[str]] = {
    "supervision:law_import": frozenset({"text"}),
    "api:import_law": frozenset({"text"}),
}


def clean_text(value: str) -> str:
    """Text as the platform stores it: line ends evened out, unwritable characters dropped.
    A NUL is dropped too; input refuses it before this is reached (see check_text)."""
    if not value:
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED.sub("", value.replace(NUL, ""))


def check_text(field: str, value: str, limit: int) -> str:
    """A submitted value, cleaned; refused with a Chinese message naming the field if it holds a
    NUL or is too long."""
    if NUL in value:
        raise DomainError(
            "invalid",
            f"“{field}”含有不允许的空字符（NUL），请删除后重新提交。",
            field_errors={field: "含有不允许的空字符（NUL）"},
        )
    value = clean_text(value)
    if len(value) > limit:
        raise DomainError(
            "invalid",
            f"“{field}”太长：最多 {limit} 个字符，现有 {len(value)} 个。",
            field_errors={field: f"最多 {limit} 个字符"},
        )
    return value


def _limit(view_name: str, field: str) -> int:
    if field in LONG_TEXT_FIELDS.get(view_name, ()):
        return settings.RENDA_MAX_LONG_TEXT_CHARS
    return settings.RENDA_MAX_TEXT_CHARS


def _clean_query_dict(data: QueryDict, view_name: str) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(key, [check_text(key, v, _limit(view_name, key)) for v in values])
    cleaned._mutable = False
    return cleaned


def _clean_json(value, path: str, view_name: str):
    """JSON strings at any depth, each named by its dotted path (items.0.title)."""
    if isinstance(value, str):
        return check_text(path, value, _limit(view_name, path))
    if isinstance(value, list):
        return [
            _clean_json(v, f"{path}.{i}" if path else str(i), view_name)
            for i, v in enumerate(value)
        ]
    if isinstance(value, dict):
        return {
            k: _clean_json(v, f"{path}.{k}" if path else str(k), view_name)
            for k, v in value.items()
        }
    return value


_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def clean_request(request: HttpRequest, view_name: str) -> None:
    """Replace the request's query, form fields and JSON body by their cleaned values."""
    request.GET = _clean_query_dict(request.GET, view_name)
    if request.content_type in _FORM_TYPES:
        if request.method == "POST":
            request._post = _clean_query_dict(request.POST, view_name)
        return
    body = request.body
    if not body:
        return
    try:
        data = json.loads(body)
        cleaned = _clean_json(data, "", view_name)
    except ValueError:
        return  # not JSON: the view refuses it in its own words
    except RecursionError as error:  # nested deeper than any form of the platform
        raise DomainError("invalid", "请求内容嵌套过深，无法处理。") from error
    if cleaned != data:
        request._body = json.dumps(cleaned, ensure_ascii=False).encode()


class TextCleaningMiddleware:
    """Cleans in process_view: on pages after CsrfViewMiddleware has checked the request, so a
    refusal here never stands in for a CSRF failure (the API checks its own, in the view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        try:
            clean_request(request, view_name)
        except DomainError as error:
            return refusal(request, error)
        return None


def refusal(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The API's one error shape for the API; a Chinese page for everything else."""
    if request.path.startswith(API_PREFIX):
        from renda.api import error_body

        fields = [{"field": k, "message": v} for k, v in error.field_errors.items()]
        return JsonResponse(error_body(error.code, error.message, fields), status=400)
    return render(request, "core/refused_input.html", {"message": error.message}, status=400)
