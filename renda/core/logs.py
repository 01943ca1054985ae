"""Logging of refusals: a 403 is an expected answer, not a fault. django.request logs it as a
warning with the whole traceback of PermissionDenied; this filter makes it one line naming the
user, the path and the reason. Real errors (5xx) keep their tracebacks."""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if getattr(record, "status_code", None) != 403 or request is None:
            return True
        reason = _reason(record)
        user = getattr(request, "user", None)
        who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        record.msg = "Refused: user=%s %s %s reason=%s"
        # The path is escaped as Django escapes it, so that a crafted URL cannot forge a line.
        path = request.get_full_path().encode("unicode_escape").decode("ascii")
        record.args = (who, request.method, path, reason)
        record.exc_info = None
        record.exc_text = None
        return True


def _reason(record: logging.LogRecord) -> str:
    """The refusal's own words where there are any (PermissionDenied, or what the API's error
    handler left on the request), else the log message, e.g. Django's CSRF reason."""
    exception = record.exc_info[1] if record.exc_info else None
    if exception is not None and str(exception):
        return str(exception)
    reason = getattr(record.request, "refusal_reason", "")
    return reason or record.getMessage()
