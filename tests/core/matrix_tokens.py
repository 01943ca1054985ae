"""Role-matrix entries of a user's own API tokens (format: tests/core/test_role_matrix.py).

Everyone logged in keeps their own tokens; each request is made against a token of somebody
outside the personas, which every role gets as 404 (tests/core/test_tokens.py tests the owner)."""

from __future__ import annotations


def foreign_token_pk(personas) -> int:
    from renda.core.tokens import issue_token
    from tests.core.factories import UserFactory

    owner = UserFactory(username="token_owner")
    token, _ = issue_token(user=owner, name="他人的令牌")
    return token.pk


TOKEN_PAGES = {
    "tokens": ("authenticated", "get", None, 200),
    "token_revoke": ("authenticated", "post", lambda p: {"pk": foreign_token_pk(p)}, 404),
}

TOKEN_API = {
    ("GET", "/tokens"): ("authenticated", lambda p: ("/api/v1/tokens", None), 200),
    ("DELETE", "/tokens/{int:token_id}"): (
        "authenticated",
        lambda p: (f"/api/v1/tokens/{foreign_token_pk(p)}", None),
        404,
    ),
}
