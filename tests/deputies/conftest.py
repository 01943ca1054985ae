"""The activity fixture shared by the activity tests."""

from tests.deputies.activity_factories import world  # noqa: F401
from tests.deputies.record_factories import record_world  # noqa: F401
