"""Every string of the reports app has Simplified Chinese (and Traditional, derived from it)."""

from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

from reports.sections import SECTIONS, source_text, translate_source

LOCALE = Path(settings.BASE_DIR) / "reports" / "locale"


def test_every_message_is_translated_and_none_is_fuzzy():
    for language in ("zh_Hans", "zh_Hant"):
        catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in catalog if not (e.msgstr or e.msgstr_plural.get(0)) or "fuzzy" in e.flags]
        assert missing == [], f"{language}: {missing[:5]}"
        assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()


def test_stored_section_titles_read_in_chinese_and_traditional_chinese():
    with translation.override("zh-hans"):
        assert [translate_source(s.title) for s in SECTIONS][:2] == ["活动", "走访与关爱"]
    with translation.override("zh-hant"):
        assert translate_source(SECTIONS[1].title) == "走訪與關愛"


def test_a_choice_label_is_stored_with_its_context_and_read_back_translated():
    from django.utils.translation import pgettext_lazy

    label = pgettext_lazy("lifecycle stage", "Introduce")

    assert source_text(label) == "lifecycle stage\x04Introduce"
    with translation.override("zh-hans"):
        assert translate_source(source_text(label)) == str(label)
