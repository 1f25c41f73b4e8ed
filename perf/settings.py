"""Benchmark settings: the production settings module, plus the perf app and its comparison views.

``bin/bench`` runs with ``DJANGO_SETTINGS_MODULE=perf.settings`` and production variables
(debug off), so what is measured is what production runs. The minimal comparison views are
mounted only here (``perf.urls``), never in the portal's own URLs.
"""

from neighborhood.settings import *  # noqa: F403
from neighborhood.settings import INSTALLED_APPS

if "perf" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "perf"]
ROOT_URLCONF = "perf.urls"
