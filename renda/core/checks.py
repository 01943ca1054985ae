from django.core import checks


@checks.register(checks.Tags.security)
def every_view_has_an_access_rule(app_configs, **kwargs):
    from renda.api import api
    from renda.core.access import find_unruled_api_operations, find_unruled_routes

    errors = [
        checks.Error(
            f"URL {route.pattern!r} ({route.qualified_name}) has no access rule",
            hint="Decorate the view with @allow(...).",
            id="renda.E001",
        )
        for route in find_unruled_routes()
    ]
    errors += [
        checks.Error(
            f"API {op.method} {op.path} has no access rule",
            hint="Decorate the operation with @api_allow(...).",
            id="renda.E002",
        )
        for op in find_unruled_api_operations(api)
    ]
    return errors
