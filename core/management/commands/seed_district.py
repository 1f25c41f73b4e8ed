import random
import time
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Generate district-scale data with bulk inserts (scale 1: 110 centers, 50,000 residents, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = a district; 0.01 for a quick run")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale: float, seed: int, **options):
        rng = random.Random(seed)
        started = time.monotonic()
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "seed"):
                t0 = time.monotonic()
                with transaction.atomic():
                    import_module(f"{config.name}.seed").seed(scale=scale, rng=rng, stdout=self.stdout)
                self.stdout.write(f"  ({config.label}: {time.monotonic() - t0:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(f"seed_district --scale {scale}: {time.monotonic() - started:.1f} s")
        )
