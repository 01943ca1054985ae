"""The deterministic demo congress (`renda demo`): a district congress of Jinan with its organ,
streets, handling units, 421 deputies, meetings and one log-in per role.

Every generator is a pure function of a `random.Random` that returns plain dataclasses; saving
is separate, so the same seed always gives the same data and tests can compare plans."""
