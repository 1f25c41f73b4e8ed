from django.urls import reverse


def test_worker_sees_only_own_center_in_the_admin_changelist(world, client):
    client.force_login(world.user("worker"))
    page = client.get(reverse("admin:core_center_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.center_a.name in text
    assert world.center_b.name not in text


def test_worker_cannot_open_another_centers_row_by_its_id(world, client):
    client.force_login(world.user("worker"))
    response = client.get(reverse("admin:core_center_change", args=[world.center_b.pk]))
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert str(world.center_b.pk) not in response.get("Location", "") or "login" in response["Location"]


def test_worker_cannot_see_people_or_roles_in_the_admin(world, client):
    client.force_login(world.user("worker"))
    assert client.get(reverse("admin:core_user_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:core_user_changelist") not in index


def test_district_admin_manages_people(world, client):
    client.force_login(world.user("district"))
    page = client.get(reverse("admin:core_user_changelist"))
    assert page.status_code == 200
    assert "worker-user" in page.content.decode()


def test_residents_are_kept_out_of_the_admin(world, client):
    client.force_login(world.user("resident"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_sites_app_list_is_djangos_for_every_role_and_language(world, rf):
    """The portal's site works the names and addresses out once per language; what each user
    sees in the sidebar and on the index is exactly what Django's own site would list."""
    from django.contrib import admin
    from django.contrib.admin import AdminSite
    from django.utils import translation

    from core.admin_site import NeighborhoodAdminSite

    site = admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site
    assert isinstance(site, NeighborhoodAdminSite)

    def plain(app_list):
        return [
            {
                **app,
                "name": str(app["name"]),
                "models": [{**m, "name": str(m["name"])} for m in app["models"]],
            }
            for app in app_list
        ]

    for language in ("zh-hans", "en"):
        with translation.override(language):
            for role in ("worker", "manager", "street", "district", "admin", "resident"):
                request = rf.get("/admin/")
                request.user = world.user(role)
                theirs = sorted(
                    AdminSite._build_app_dict(site, request).values(), key=lambda a: a["name"].lower()
                )
                for app in theirs:
                    app["models"].sort(key=lambda m: m["name"])
                assert plain(site.get_app_list(request)) == plain(theirs)
                assert plain(site.get_app_list(request, "care")) == [
                    a for a in plain(theirs) if a["app_label"] == "care"
                ]
            assert theirs, "the superuser sees every app"


def test_the_sidebar_marks_the_page_being_shown_and_lists_only_what_the_user_may_open(world, client):
    """The sidebar's markup is kept per list of apps and models; each page still marks its own."""
    import re

    def current(url):
        page = client.get(url).content.decode()
        sidebar = page[page.index('id="nav-sidebar"') :]
        return re.findall(r'<tr class="model-(\w+) current-model">', sidebar), sidebar

    client.force_login(world.user("worker"))
    for _ in range(2):  # rendered, then kept
        assert current(reverse("admin:centers_activity_changelist"))[0] == ["activity"]
        assert current(reverse("admin:core_center_changelist"))[0] == ["center"]
        marked, sidebar = current(reverse("admin:core_center_change", args=[world.center_a.pk]))
        assert marked == ["center"]
        assert reverse("admin:core_user_changelist") not in sidebar
    client.force_login(world.user("district"))
    marked, sidebar = current(reverse("admin:core_user_changelist"))
    assert marked == ["user"] and reverse("admin:core_user_changelist") in sidebar


def test_changelist_rows_are_exactly_djangos(world, rf):
    """core.templatetags.admin_rows renders each row once per page's columns; every cell of every
    registered changelist (sorted, searched, filtered) is what Django's own tag renders."""
    from django.contrib import admin
    from django.contrib.admin.templatetags import admin_list
    from django.utils import translation

    from core.templatetags import admin_rows
    from tests.care.factories import ConsentFactory, VisitFactory, sensitive_recipient
    from tests.centers.factories import ActivityFactory, SignupFactory
    from tests.volunteers.factories import make_volunteer

    worker = world.user("worker")
    for _ in range(3):
        recipient = sensitive_recipient(world.center_a, worker)
        VisitFactory(recipient=recipient)
        ConsentFactory(recipient=recipient)
        SignupFactory(activity=ActivityFactory(center=world.center_a))
        make_volunteer(center=world.center_a, points=5)
    site = admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site
    compared = 0
    for role in ("admin", "worker"):
        for model, model_admin in site._registry.items():
            for query in ("", "?o=-2.1", "?q=a", "?center=%d" % world.center_a.pk):
                request = rf.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/{query}")
                request.user = world.user(role)
                if not model_admin.has_view_or_change_permission(request):
                    continue
                with translation.override("zh-hans"):
                    try:
                        changelist = model_admin.get_changelist_instance(request)
                    except admin.options.IncorrectLookupParameters:
                        continue
                    changelist.formset = None
                    ours = ["".join(row) for row in admin_rows.result_list(changelist)["results"]]
                    theirs = ["".join(row) for row in admin_list.result_list(changelist)["results"]]
                assert ours == theirs, (model, query)
                compared += len(ours)
    assert compared > 100


def test_changelist_pages_hold_the_same_rows_in_the_same_order_as_djangos_paginator(world, rf):
    """core.admin_scoping.PageFirstPaginator picks the page's ids first; each page of every
    registered changelist (sorted, searched) has the rows Django's own paginator gives it."""
    from django.contrib import admin
    from django.core.paginator import Paginator

    from core.admin_scoping import PageFirstPaginator
    from tests.care.factories import VisitFactory, sensitive_recipient
    from tests.centers.factories import ActivityFactory, SignupFactory

    worker = world.user("worker")
    for _ in range(4):
        VisitFactory(recipient=sensitive_recipient(world.center_a, worker))
        SignupFactory(activity=ActivityFactory(center=world.center_a))
    site = admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site
    pages = 0
    for role in ("admin", "worker"):
        for model, model_admin in site._registry.items():
            for query in ("", "?o=-2.1", "?q=a"):
                request = rf.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/{query}")
                request.user = world.user(role)
                if not model_admin.has_view_or_change_permission(request):
                    continue
                try:
                    queryset = model_admin.get_changelist_instance(request).queryset
                except admin.options.IncorrectLookupParameters:
                    continue
                ours, theirs = PageFirstPaginator(queryset, 2), Paginator(queryset, 2)
                for number in ours.page_range:
                    assert [o.pk for o in ours.page(number)] == [o.pk for o in theirs.page(number)], model
                    pages += 1
    assert pages > 20


def test_the_row_checkbox_is_what_format_html_builds_with_the_name_escaped(world):
    from django.contrib import admin
    from django.contrib.admin import helpers
    from django.utils.html import format_html
    from django.utils.translation import gettext

    from core.models import Center

    center = world.center_a
    center.name = 'A & B "<中心>"'
    model_admin = admin.site._registry[Center]
    expected = format_html(
        '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
        helpers.ACTION_CHECKBOX_NAME,
        str(center.pk),
        format_html(gettext("Select this object for an action - {}"), str(center)),
    )
    assert model_admin.action_checkbox(center) == expected
    assert "&lt;中心&gt;" in model_admin.action_checkbox(center)


def test_a_large_changelist_count_is_kept_a_minute_and_a_small_one_is_always_exact(world, monkeypatch):
    from core.admin_scoping import PageFirstPaginator
    from core.models import Center
    from tests.factories import CenterFactory

    def count():
        return PageFirstPaginator(Center.objects.order_by("pk"), 50).count

    monkeypatch.setattr(PageFirstPaginator, "keeps_counts", staticmethod(lambda: True))
    before = Center.objects.count()
    CenterFactory()
    assert count() == before + 1  # below the threshold: exact every time
    monkeypatch.setattr(PageFirstPaginator, "KEEP_COUNTS_FROM", 2)
    kept = count()
    CenterFactory()
    assert count() == kept  # at or over it: kept for a minute
    assert PageFirstPaginator(Center.objects.filter(pk__gt=0).order_by("pk"), 50).count == kept + 1


def test_the_kept_app_list_follows_a_role_granted_at_once(db, rf):
    from django.contrib import admin
    from django.contrib.admin import AdminSite

    from core.models import Role
    from core.services import grant_role
    from tests.factories import CenterFactory, UserFactory

    site = admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site
    user = UserFactory(is_staff=True)

    def labels():
        request = rf.get("/admin/")
        request.user = type(user).objects.get(pk=user.pk)  # a fresh user object, as each request has
        theirs = {app["app_label"] for app in AdminSite._build_app_dict(site, request).values()}
        return {app["app_label"] for app in site.get_app_list(request)}, theirs

    before, theirs = labels()
    assert before == theirs
    grant_role(user=user, role=Role.CENTER_MANAGER, center=CenterFactory())
    after, theirs = labels()
    assert after == theirs and after != before
