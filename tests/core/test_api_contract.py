"""The OpenAPI document tells the truth: one component per schema name, and real responses of the
operations match the schemas the document gives for them."""

from __future__ import annotations

import enum
import json
import re
import typing
from collections import defaultdict

import jsonschema_rs
import pytest
from pydantic import BaseModel, WithJsonSchema

from renda.api import api
from tests.deputies.matrix_activities import make_activity

PATH_PARAM = re.compile(r"\{(\w+)\}")


def _named_types(annotation, found: set) -> None:
    """Every model and enum reachable from a type annotation (fields, lists, unions, …)."""
    if isinstance(annotation, type):
        if annotation in found:
            return
        if issubclass(annotation, BaseModel):
            found.add(annotation)
            for field in annotation.model_fields.values():
                if not any(isinstance(m, WithJsonSchema) for m in field.metadata):
                    _named_types(field.annotation, found)  # else the field states its schema
            return
        if issubclass(annotation, enum.Enum):
            found.add(annotation)
            return
    for arg in typing.get_args(annotation):
        _named_types(arg, found)


def _operations():
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def test_every_schema_reachable_from_the_routers_has_a_unique_name():
    found: set = set()
    for operation in _operations():
        for model in operation.models:
            _named_types(model, found)
        for model in operation.response_models.values():
            _named_types(model, found)
    by_name = defaultdict(set)
    for cls in found:
        by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    duplicates = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert duplicates == {}
    components = api.get_openapi_schema()["components"]["schemas"]
    # The walk sees what the document holds (else the check above would prove nothing).
    assert {"DeputyPage", "PlanEventOut", "SuggestionEventOut"} <= set(components)
    assert {"DeputyPage", "PlanEventOut", "SuggestionEventOut"} <= set(by_name)


def _served_document() -> dict:
    # As clients read it: JSON, where status codes are strings.
    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


def _response_validator(document, operation) -> jsonschema_rs.Validator | None:
    content = operation["responses"].get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return None
    return jsonschema_rs.validator_for(
        {**schema, "components": document["components"]}, validate_formats=True
    )


def _get_operations(document):
    """(path, operation) of every GET whose path needs no id and whose query needs nothing."""
    for path, methods in sorted(document["paths"].items()):
        operation = methods.get("get")
        if operation is None or PATH_PARAM.search(path):
            continue
        if any(p.get("required") for p in operation.get("parameters", [])):
            continue
        yield path, operation


def _check(client, document, path, operation, problems, checked, query=None):
    response = client.get(path, query or {})
    assert response.status_code < 500, (path, response.status_code)
    if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
        return
    validator = _response_validator(document, operation)
    if validator is None:
        return
    checked.append(path)
    for error in validator.iter_errors(response.json()):
        problems.append(f"{path}: {error.message} at {list(error.instance_path)}")


@pytest.mark.django_db
def test_real_responses_of_every_get_match_the_document(client, personas, org):
    document = _served_document()
    deputy = personas.deputy.deputy
    activity = make_activity(personas)  # times of day, invitations, counts
    by_id = {
        "activity_id": activity.pk,
        "deputy_id": deputy.pk,
        "group_id": org.group.pk,
        "street_id": org.street.pk,
    }
    problems: list[str] = []
    checked: list[str] = []
    for user in personas.by_role().values():
        client.force_login(user)
        for path, operation in _get_operations(document):
            _check(client, document, path, operation, problems, checked)
        # Operations on one object of the small world, where its id is known.
        for path, methods in document["paths"].items():
            names = PATH_PARAM.findall(path)
            if "get" in methods and names and all(n in by_id for n in names):
                concrete = PATH_PARAM.sub(lambda m: str(by_id[m.group(1)]), path)
                _check(client, document, concrete, methods["get"], problems, checked)
        # The roster's filters (issue 12, item 4).
        _check(
            client,
            document,
            "/api/v1/deputies/",
            document["paths"]["/api/v1/deputies/"]["get"],
            problems,
            checked,
            {"street": org.street.pk, "group": org.group.pk},
        )
    assert problems == []
    # Every list and summary answered someone: the walk proved the document, not a handful.
    expected = {path for path, op in _get_operations(document) if _response_validator(document, op)}
    assert expected - set(checked) == set()


def test_every_operation_documents_the_one_error_shape():
    document = _served_document()
    missing = [
        f"{method.upper()} {path} {status}"
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        for status in ("400", "401", "403", "404", "409", "422")
        if operation["responses"].get(status, {}).get("content", {}).get("application/json")
        != {"schema": {"$ref": "#/components/schemas/ApiError"}}
    ]
    assert missing == []


@pytest.mark.django_db
def test_real_error_answers_match_the_documented_error_shape(client, personas):
    document = _served_document()
    validator = jsonschema_rs.validator_for(
        {"$ref": "#/components/schemas/ApiError", "components": document["components"]}
    )
    answers = {401: client.get("/api/v1/me")}
    client.force_login(personas.deputy)
    answers[403] = client.get("/api/v1/deputies/points/talks")
    answers[404] = client.get("/api/v1/no-such-operation")
    answers[422] = client.get("/api/v1/deputies/points/bulletins", {"offset": "-1"})
    for status, response in answers.items():
        assert response.status_code == status, (status, response.content[:200])
        assert list(validator.iter_errors(response.json())) == [], status
        assert response.json()["message"]  # a Chinese sentence, never empty
