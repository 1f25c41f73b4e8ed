from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Load the Chinese demo data and one account per role (idempotent; never in production)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Allow loading with DEBUG off (staging only)."
        )

    def handle(self, *args, force: bool = False, **options):
        if settings.IS_PRODUCTION and not force:
            raise CommandError(
                "Refusing to load demo accounts with DEBUG off: demo data never goes to production."
            )
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "demo"):
                import_module(f"{config.name}.demo").load(stdout=self.stdout)
        from core.demo import ACCOUNTS, DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with (password %s):" % DEMO_PASSWORD))
        for role in ACCOUNTS:
            self.stdout.write(f"  {role}@example.com")
