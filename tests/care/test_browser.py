"""A social worker logs a home visit in the admin: the recipient by autocomplete, one screen."""

import pytest

from care.models import Visit
from core.models import Role
from core.services import grant_role
from tests.factories import CenterFactory, UserFactory

from .factories import ConsentFactory, RecipientFactory

pytestmark = [pytest.mark.browser]


def test_worker_logs_a_visit_choosing_the_recipient_by_autocomplete(flushable_audit_log, live_server, page):
    center, other = CenterFactory(), CenterFactory()
    worker = UserFactory(email="sw@care.test")
    grant_role(user=worker, role=Role.SOCIAL_WORKER, center=center)
    recipient = RecipientFactory(center=center, name="张桂英", social_worker=worker)
    ConsentFactory(recipient=recipient)
    RecipientFactory(center=other, name="张阿婆")  # another center's: never offered

    page.goto(live_server.url + "/admin/login/?next=/admin/care/visit/add/")
    page.locator("input[name=username]").fill("sw@care.test")
    page.locator("input[name=password]").fill("pass-word-123")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/care/visit/add/")

    page.locator(".field-recipient .select2-selection").click()
    page.locator(".select2-search__field").fill("张")
    options = page.locator(".select2-results__option")
    options.filter(has_text="张桂英").wait_for()
    assert "张阿婆" not in page.locator(".select2-results").inner_text()
    options.filter(has_text="张桂英").click()
    page.locator("input[name=duration_minutes]").fill("40")
    page.locator("textarea[name=observations]").fill("老人精神不错，膝盖疼")
    page.locator("input[name=follow_ups-0-action]").fill("下周送助行器")
    page.locator("input[name=_save]").click()

    page.wait_for_url("**/admin/care/visit/")
    assert "张桂英" in page.locator("#result_list").inner_text()
    visit = Visit.objects.get(recipient=recipient)
    assert visit.visited_by == worker and visit.duration_minutes == 40
    assert visit.follow_ups.get().action == "下周送助行器"
