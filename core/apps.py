from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Places, people and roles")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the sign-in receiver)
