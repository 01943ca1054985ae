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


class NotAllowed(DomainError):
    """The user may not take this action on this record (their role or scope does not reach it)."""

    status = 403

    def __init__(self, message: str):
        super().__init__("not_allowed", message)
