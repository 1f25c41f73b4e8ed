"""Extract strings, fill Traditional Chinese from Simplified with OpenCC, and compile the catalogs.

Each app keeps its own catalog in ``<app>/locale`` (so that apps never edit one shared file);
the project's templates and settings use ``locale/``. Translators edit the zh_Hans ``.po``
files; zh_Hant is derived: every entry is converted from zh_Hans.
Needs gettext (``apt-get install gettext``) on the developer's machine only: the compiled
``.mo`` files are committed.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# A script, not "python -m django": run inside an app folder, -m would let core/selectors.py shadow
# the standard library's selectors module.
DJANGO_ADMIN = str(Path(sys.executable).parent / "django-admin")
LANGS = ["zh_Hans", "zh_Hant", "en"]
PROJECT_APPS = ["core", "centers", "orgs", "volunteers", "dispatch", "care", "deliberation", "reports"]


class Command(BaseCommand):
    help = "makemessages for every app (or --app), fill zh_Hant from zh_Hans, compilemessages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--app", action="append", help="Only this app (repeatable); 'project' for templates/."
        )
        parser.add_argument("--no-extract", action="store_true", help="Only convert and compile.")

    def handle(self, *args, app=None, no_extract=False, **options):
        base = Path(settings.BASE_DIR)
        env = dict(os.environ, PYTHONPATH=str(base))
        targets = app or (["project"] + [a for a in PROJECT_APPS if apps.is_installed(a)])
        for target in targets:
            root = base if target == "project" else base / target
            if not root.is_dir():
                raise CommandError(f"No such app: {target}")
            (root / "locale").mkdir(exist_ok=True)
            if not no_extract:
                ignore = ["--ignore=.venv", "--ignore=var", "--ignore=migrations", "--ignore=tests"]
                if target == "project":
                    ignore += [f"--ignore={a}" for a in PROJECT_APPS]
                # JavaScript takes its words from the page (data attributes), so only "django" is extracted.
                cmd = [DJANGO_ADMIN, "makemessages", "--no-obsolete", "--no-location", *ignore]
                cmd += [f"-l{lang}" for lang in LANGS]
                subprocess.run(cmd, cwd=root, check=True, capture_output=True, env=env)
            self._fill_hant(root / "locale")
            subprocess.run(
                [DJANGO_ADMIN, "compilemessages", "--ignore=.venv"],
                cwd=root,
                check=True,
                capture_output=True,
                env=env,
            )
            self.stdout.write(f"{target}: catalogs updated")

    def _fill_hant(self, locale: Path) -> None:
        import opencc
        import polib

        converter = opencc.OpenCC("s2t")
        for hans_path in locale.glob("zh_Hans/LC_MESSAGES/*.po"):
            hant_path = locale / "zh_Hant" / "LC_MESSAGES" / hans_path.name
            if not hant_path.exists():
                continue
            hans = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(hans_path))}
            hant = polib.pofile(str(hant_path))
            for entry in hant:
                source = hans.get((entry.msgctxt, entry.msgid))
                if source is None or "fuzzy" in source.flags:
                    continue
                if source.msgstr:
                    entry.msgstr = converter.convert(source.msgstr)
                if source.msgstr_plural:
                    entry.msgstr_plural = {k: converter.convert(v) for k, v in source.msgstr_plural.items()}
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            hant.save()
