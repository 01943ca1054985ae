from tests.suggestions.factories import world  # noqa: F401  (fixture)
