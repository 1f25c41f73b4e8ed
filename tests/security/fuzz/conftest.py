"""Hypothesis profiles of the fuzz suite: 200 examples per form in CI, 1,000 with
HYPOTHESIS_PROFILE=long (``make fuzz-long``)."""

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,  # one world per form; examples add to it
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
    "derandomize": False,
    "database": None,
}
settings.register_profile("fuzz", max_examples=200, **_COMMON)
settings.register_profile("long", max_examples=1000, **_COMMON)
settings.register_profile("smoke", max_examples=10, **_COMMON)  # while writing a new case

FUZZ_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "fuzz")
if FUZZ_PROFILE not in ("fuzz", "long", "smoke"):
    FUZZ_PROFILE = "fuzz"
