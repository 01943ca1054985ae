"""Every API write to an existing versioned record names the version it was read at (issue 12)."""

import re

from renda.api import api
from tests.api_versions import VERSIONED_IDS

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# Writes under a versioned record that create a new record beside it (its new mandate,
# reception, co-signature, contact, item ...) or change only the acting person's own row (an
# invitation, a check-in), not the versioned record's content.
CREATES_UNDER = {
    "POST deputies/activities/{activity_id}/invite",
    "POST deputies/activities/{activity_id}/check-in",
    "POST deputies/{deputy_id}/mandates",
    "POST deputies/stations/{station_id}/receptions",
    "POST suggestions/{suggestion_id}/cosign",
    "POST suggestions/{suggestion_id}/contacts",
    "POST suggestions/{suggestion_id}/extension-request",
    "POST plans/{plan_id}/items",
    "POST plans/{plan_id}/import",
    "POST plans/items/{item_id}/milestones",
    "POST plans/items/{item_id}/evidence",
    "POST plans/items/{item_id}/changes",
    "POST supervision/inspections/{inspection_id}/problems",
    "POST supervision/rectifications/{rectification_id}/evidence",
}


def _operations():
    api.get_openapi_schema()  # mounts the nested routers
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            full = re.sub(r"\{\w+:", "{", f"{prefix.strip('/')}/{path.lstrip('/')}").strip("/")
            for operation in view.operations:
                for method in WRITE_METHODS & set(operation.methods):
                    yield prefix.strip("/"), method, full, operation


def _version_field(operation):
    """The `version` field of the operation's body, if it has one (at the top or in `payload`)."""
    for model in operation.signature.models:
        for name, field in model.model_fields.items():
            if name == "version":
                return field
            inner = getattr(field.annotation, "model_fields", {})
            if "version" in inner:
                return inner["version"] if field.is_required() else None
    return None


def _targets_versioned_record(prefix, path):
    params = re.findall(r"\{(\w+)\}", path)
    return any((prefix, param) in VERSIONED_IDS for param in params)


def test_writes_to_a_versioned_record_require_its_version():
    missing = []
    for prefix, method, path, operation in _operations():
        if not _targets_versioned_record(prefix, path) or f"{method} {path}" in CREATES_UNDER:
            continue
        field = _version_field(operation)
        if field is None or not field.is_required():
            missing.append(f"{method} {path}")
    assert missing == []


def test_no_write_takes_an_optional_version():
    optional = [
        f"{method} {path}"
        for _, method, path, operation in _operations()
        if (field := _version_field(operation)) is not None and not field.is_required()
    ]
    assert optional == []


def test_the_lists_above_name_real_operations():
    paths = {f"{method} {path}" for _, method, path, _ in _operations()}
    assert paths >= CREATES_UNDER
    prefixes = {prefix for prefix, *_ in _operations()}
    assert {prefix for prefix, _ in VERSIONED_IDS} <= prefixes
