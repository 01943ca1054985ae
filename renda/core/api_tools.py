"""Small shared pieces of the apps' API routers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time
from enum import Enum
from typing import Annotated

from pydantic import WithJsonSchema

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


def version_of(payload) -> int:
    """The `version` a body was read at. Every API write to an existing versioned record requires
    it in its schema (a 422 without it): two clients must not silently overwrite each other."""
    return payload.version


# A time of day in the API is local (Beijing) time without an offset, "09:00:00"; JSON Schema's
# "time" format requires an offset, so the document states the form it really has.
ClockTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
            "description": "北京时间，HH:MM:SS",
        }
    ),
]


def inline_choices(choices: type[Enum]):
    """A model's choices written into the schema itself: two models' inner `Kind` classes would
    otherwise share one component name in the OpenAPI document, and one would hide the other."""
    values = [member.value for member in choices]
    return Annotated[choices, WithJsonSchema({"type": "string", "enum": values})]
