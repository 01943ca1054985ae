from tests.plans.factories import planning  # noqa: F401  (fixture)
