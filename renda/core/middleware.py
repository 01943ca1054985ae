"""Security headers the platform adds to every response."""

# No inline script or style anywhere: templates load everything from static files.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    return middleware


def private_no_store(get_response):
    """Pages, JSON and downloads for a logged-in user (session or API token) may carry phones
    and ID numbers: no shared or browser cache may keep them. A response that already forbids
    storing keeps its own header; anonymous responses (public pages, static files) are left
    alone. request.user is read after the view, when token authentication has set it."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if authenticated and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response

    return middleware
