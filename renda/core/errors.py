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
