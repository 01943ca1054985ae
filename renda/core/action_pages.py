"""One page per action, shared by every app: GET shows the action's form (only when the user may
take it now), POST calls the action, which checks every rule again. The apps describe their
actions (ActionPage) and their kind of record (RecordKind); this module does the rest: the 400
form, the refused page, the 409 conflict page, the action's own error on the form, the success
message and the redirect.

A kind's templates directory holds action.html, conflict.html and refused.html; each is given
the kind's records under their names (e.g. "inspection", or "plan" and "item")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renda.core.access import allow
from renda.core.errors import ConflictError, DomainError, duplicate_error


def without_page(params) -> str:
    """The query string without the page number: what pagination links append to."""
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


def show_domain_error(form, error: DomainError) -> None:
    """An action's refusal on its form: each field's message on the field (unless the form
    already found one there), the whole message on top."""
    for name, text in error.field_errors.items():
        if name in form.fields and name not in form.errors:
            form.add_error(name, text)
    form.add_error(None, error.message)


def refused(request, template_dir: str, message: str, *, status: int = 403, **context):
    context = {"message": message, **context}
    return render(request, f"{template_dir}/refused.html", context, status=status)


@dataclass(frozen=True)
class ActionPage:
    name: str  # the action's name as the app's *_actions(user, record) lists it; the URL name
    label: str
    roles: tuple[str, ...]
    form: type  # takes the kind's records and user= as keywords
    perform: Callable[[Any], str]  # calls the one action; returns the success message
    button: str = "btn-primary"
    confirm: str = ""
    embed: bool = True  # False: the record page links to the action's own page


@dataclass(frozen=True)
class RecordKind:
    """How the machinery reaches one kind of record."""

    namespace: str  # of the action pages' URL names
    template_dir: str  # "supervision/inspections"
    fetch: Callable[[Any, int], dict]  # (user, pk) -> the form's records by name; 404 if hidden
    key: str  # the record whose moves are asked for and whose page follows success
    allowed: Callable[[Any, Any], set[str]]  # (user, records[key]) -> the actions allowed now
    detail_url: str = ""  # URL name of the record page, where success leads
    done: Callable | None = None  # (request, page, form) -> response, instead of detail_url
    get_kwargs: Callable | None = None  # (request) -> more form arguments on GET
    ids: str = "id_{name}-%s"  # field ids: the action's name keeps embedded forms apart
    refused_message: str = "您当前不能进行“{label}”。"


def _render_action(request, kind: RecordKind, page: ActionPage, form, records, *, status=200):
    context = {"page_action": page, **records, "form": form}
    return render(request, f"{kind.template_dir}/action.html", context, status=status)


def _done(request, kind: RecordKind, page: ActionPage, form, records):
    if kind.done is not None:
        return kind.done(request, page, form)
    return redirect(kind.detail_url, pk=records[kind.key].pk)


def run(request, kind: RecordKind, page: ActionPage, form, records: dict):
    """Validate, call the action, and answer: 400 with the form's errors, 409 when someone
    else changed the record first, the action's own status with its message on the form, or
    the success message and the record page."""
    if not form.is_valid():
        return _render_action(request, kind, page, form, records, status=400)
    try:
        message = page.perform(form)
    except ConflictError as error:
        context = {"message": error.message, **records}
        return render(request, f"{kind.template_dir}/conflict.html", context, status=409)
    except DomainError as error:
        show_domain_error(form, error)
        return _render_action(request, kind, page, form, records, status=error.status)
    except IntegrityError as exc:  # a duplicate that raced past the action's own check
        if (error := duplicate_error(exc)) is None:
            raise
        show_domain_error(form, error)
        return _render_action(request, kind, page, form, records, status=error.status)
    messages.success(request, message)
    for warning in getattr(form, "warnings", list)():  # saved, but worth a second look
        messages.warning(request, warning)
    return _done(request, kind, page, form, records)


def action_view(kind: RecordKind, page: ActionPage):
    """The view of one action page, with its access rule."""

    ids = kind.ids.format(name=page.name)

    @require_http_methods(["GET", "POST"])
    def view(request, pk: int):
        records = kind.fetch(request.user, pk)
        if request.method == "POST":
            form = page.form(
                request.POST, files=request.FILES, **records, user=request.user, auto_id=ids
            )
            return run(request, kind, page, form, records)
        if page.name not in kind.allowed(request.user, records[kind.key]):
            message = kind.refused_message.format(label=page.label)
            return refused(request, kind.template_dir, message, **records)
        more = kind.get_kwargs(request) if kind.get_kwargs else {}
        form = page.form(**records, user=request.user, auto_id=ids, **more)
        return _render_action(request, kind, page, form, records)

    view.__name__ = view.__qualname__ = page.name
    view.__doc__ = f"{page.label}（{page.name}）"
    return allow(*page.roles)(view)


def action_views(kind: RecordKind, pages: list[ActionPage]) -> dict:
    """URL name -> view, for the app's urls."""
    return {page.name: action_view(kind, page) for page in pages}


@dataclass(frozen=True)
class ShownAction:
    page: ActionPage
    url: str
    form: Any  # None: a link to the action's own page


def shown_actions(
    kind: RecordKind, user, pages: list[ActionPage], names: set[str], records: dict
) -> list[ShownAction]:
    """One form (or link) per action the user may take now, in the order of the pages. Field ids
    carry the action's name: several forms share field names (note, reason), and a duplicate id
    would tie each label to the first form's field."""
    pk = records[kind.key].pk
    shown = []
    for page in pages:
        if page.name not in names or not user.roles.has(*page.roles):
            continue
        form = None
        if page.embed:
            form = page.form(**records, user=user, auto_id=f"id_{page.name}-%s")
        url = reverse(f"{kind.namespace}:{page.name}", args=[pk])
        shown.append(ShownAction(page=page, url=url, form=form))
    return shown
