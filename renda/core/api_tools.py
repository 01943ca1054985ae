"""Small shared pieces of the apps' API routers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from renda.core.errors import DomainError


@contextmanager
def body_field_names(names: dict[str, str]) -> Iterator[None]:
    """The actions name a field after their argument (`lead_unit`); the API body names it after
    the id it carries (`lead_unit_id`). Rename the fields of a refusal on its way out."""
    try:
        yield
    except DomainError as error:
        error.field_errors = {names.get(k, k): v for k, v in error.field_errors.items()}
        raise


def version_of(payload) -> int | None:
    """The optional `version` of a body (None when there is no body or no version)."""
    return getattr(payload, "version", None)
