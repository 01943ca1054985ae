"""Deny by default: every page view and API operation names the roles it is open to.

`@allow(...)` guards a page view, `@api_allow(...)` an API operation. Both record the rule on the
function as `renda_access`; the system check and the role-matrix test refuse any URL or
operation without one. Object-level rules live in each app's permissions.py."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = "public"  # anyone, logged in or not
AUTHENTICATED = "authenticated"  # any logged-in user, whatever the role

# Namespaces whose views carry their own checks: Django admin (AdminSite.has_permission) and the
# API (each operation is checked by iter_api_operations below).
SELF_GUARDED_NAMESPACES = {"admin", "api"}


def may_enter(user, rule: frozenset[str]) -> bool:
    if PUBLIC in rule:
        return True
    if not user.is_authenticated:
        return False
    if AUTHENTICATED in rule:
        return True
    return user.roles.has(*rule)


def _mark(func: Callable, rule: frozenset[str]) -> Callable:
    func.renda_access = rule  # type: ignore[attr-defined]
    return func


def allow(*roles: str) -> Callable:
    """Open a page view to these roles (or PUBLIC / AUTHENTICATED)."""
    rule = frozenset(roles)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not may_enter(request.user, rule):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied("您没有权限访问此页面。")
            return view(request, *args, **kwargs)

        return _mark(wrapper, rule)

    return decorator


def api_allow(*roles: str) -> Callable:
    """Open an API operation to these roles. Authentication itself is the API's (401)."""
    rule = frozenset(roles)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not may_enter(request.user, rule):
                raise PermissionDenied("您没有权限进行此操作。")
            return view(request, *args, **kwargs)

        return _mark(wrapper, rule)

    return decorator


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    namespace: str
    callback: Callable

    @property
    def qualified_name(self) -> str | None:
        if not self.name:
            return None
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    @property
    def rule(self) -> frozenset[str] | None:
        return getattr(self.callback, "renda_access", None)


def iter_routes(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from iter_routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield Route(prefix + str(entry.pattern), entry.name, namespace, entry.callback)


def is_self_guarded(route: Route) -> bool:
    return route.namespace.split(":")[0] in SELF_GUARDED_NAMESPACES


def find_unruled_routes(resolver: URLResolver | None = None) -> list[Route]:
    return [r for r in iter_routes(resolver) if not is_self_guarded(r) and r.rule is None]


@dataclass(frozen=True)
class ApiOperation:
    path: str
    method: str
    view_func: Callable

    @property
    def rule(self) -> frozenset[str] | None:
        return getattr(self.view_func, "renda_access", None)


def iter_api_operations(api) -> Iterator[ApiOperation]:
    for bound in api._get_bound_routers():
        prefix = "/" + bound.prefix.strip("/") if bound.prefix.strip("/") else ""
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield ApiOperation(prefix + path, method, operation.view_func)


def find_unruled_api_operations(api) -> list[ApiOperation]:
    return [op for op in iter_api_operations(api) if op.rule is None]
