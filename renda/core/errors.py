"""The one domain error: a refused move or bad input, with a code and a Chinese message."""


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: str, *, field_errors: dict[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field_errors = field_errors or {}


class ConflictError(DomainError):
    """Someone else changed the record since it was read (version mismatch)."""

    status = 409


class DuplicateError(ConflictError):
    """A unique rule of the database refused a write that raced past the action's own check
    (two people creating the same record at once)."""

    def __init__(self):
        super().__init__(
            "duplicate", "已有相同的记录（可能是他人刚刚提交的），请刷新后查看。（您的提交未保存）"
        )


def duplicate_error(exc: Exception) -> DuplicateError | None:
    """The refusal for an IntegrityError raised by a unique constraint; None for any other."""
    sqlstate = getattr(exc.__cause__, "sqlstate", None)  # psycopg (PostgreSQL)
    if sqlstate == "23505" or "UNIQUE constraint failed" in str(exc):  # SQLite's wording
        return DuplicateError()
    return None


class NotAllowed(DomainError):
    """The user may not take this action on this record (their role or scope does not reach it)."""

    status = 403

    def __init__(self, message: str):
        super().__init__("not_allowed", message)


def raise_field_errors(errors: dict[str, str]) -> None:
    """Refuse a form's worth of problems at once: the first in the message, all by field."""
    if not errors:
        return
    first = next(iter(errors))
    message = errors[first] if len(errors) == 1 else f"{len(errors)} 处填写有误：{errors[first]}等"
    raise DomainError("invalid", message + "。", field_errors=errors)


def check_version(row, version: int | None, what: str) -> None:
    """Refuse a write made from a stale form: someone saved the record since it was read."""
    if version is not None and version != row.version:
        raise ConflictError(
            "stale_version", f"该{what}已被他人修改，请刷新页面后重新操作。（您的修改未保存）"
        )
