from tests.plans.factories import planning  # noqa: F401  (fixture)
from tests.supervision.factories import supervision  # noqa: F401  (fixture)
