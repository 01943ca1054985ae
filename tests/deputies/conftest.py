"""The activity fixture shared by the activity tests."""

from tests.deputies.activity_factories import world  # noqa: F401
