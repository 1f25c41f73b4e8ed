"""The admin site: Django's, with the list of apps and models (the sidebar and the index on every
admin page) built from names and addresses worked out once per language, and the sidebar's markup
rendered once for each list of apps and models.

Django's ``AdminSite`` reverses two addresses and translates the names of every model on every
page, and sorts by names translated again at each comparison, then renders the sidebar's forty
rows again: together a quarter of a changelist's time. Only the permissions depend on the
request, and they are still asked on every page; the sidebar is looked up by what it shows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.text import capfirst
from django.utils.translation import get_language

SIDEBARS_KEPT = 256
# A user's list of apps and models is kept this long. It is keyed by their roles, so a role
# granted or taken shows at once; only Django's own permissions (which the portal's staff do not
# use) could show a minute late, in the sidebar alone: every page still asks before it answers.
APP_LIST_KEPT_SECONDS = 60
APP_LISTS_KEPT = 1024


@dataclass(frozen=True)
class _Entry:
    model: type
    model_admin: admin.ModelAdmin
    app_label: str
    app_name: str
    app_url: str
    name: str
    admin_url: str | None
    add_url: str | None


class NeighborhoodAdminSite(admin.AdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)
        self._entries: dict[tuple, list[_Entry]] = {}
        self._sidebars: dict[tuple, str] = {}
        self._app_lists: dict[tuple, tuple[float, list]] = {}

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        self._forget()

    def unregister(self, model_or_iterable):
        super().unregister(model_or_iterable)
        self._forget()

    def _forget(self) -> None:
        """A model (re)registered: the entries hold its ModelAdmin, so they are worked out again."""
        self._entries.clear()
        self._sidebars.clear()
        self._app_lists.clear()

    def get_app_list(self, request, app_label=None):
        """Django's list, kept a minute per user, language and roles (asked on every admin page:
        five permission questions a model, and a query for Django's own permissions)."""
        from . import access  # models: not importable while the admin app itself loads

        user = request.user
        if app_label is not None or not getattr(user, "is_authenticated", False):
            return super().get_app_list(request, app_label)
        key = (
            user.pk,
            get_language(),
            get_script_prefix(),
            access.assignments(user).roles,
            user.is_active,
            user.is_superuser,
            user.is_staff,
        )
        now = time.monotonic()
        kept = self._app_lists.get(key)
        if kept is not None and now - kept[0] < APP_LIST_KEPT_SECONDS:
            return kept[1]
        app_list = super().get_app_list(request)
        if len(self._app_lists) >= APP_LISTS_KEPT:
            self._app_lists.clear()
        self._app_lists[key] = (now, app_list)
        return app_list

    def each_context(self, request):
        context = super().each_context(request)
        app_list = context["available_apps"]
        # A callable: the template calls it only where the sidebar is shown.
        context["nav_sidebar"] = lambda: self._nav_sidebar(request, app_list)
        return context

    def _nav_sidebar(self, request, app_list) -> str:
        """The sidebar's markup: what admin/nav_sidebar_menu.html renders for these apps and models,
        in this language, with the current app and model marked as its template marks them."""
        path = urlencode(request.path)
        key = (
            get_language(),
            tuple(
                (
                    app["app_label"],
                    app["app_url"],
                    app["name"],
                    app["app_url"] in path,
                    tuple(
                        (
                            m["object_name"],
                            m["name"],
                            m["admin_url"],
                            m["add_url"],
                            bool(m["admin_url"]) and m["admin_url"] in path,
                        )
                        for m in app["models"]
                    ),
                )
                for app in app_list
            ),
        )
        html = self._sidebars.get(key)
        if html is None:
            if len(self._sidebars) >= SIDEBARS_KEPT:
                self._sidebars.clear()
            html = render_to_string(
                "admin/nav_sidebar_menu.html", {"available_apps": app_list, "request": request}
            )
            self._sidebars[key] = html
        return html

    def _static_entries(self) -> list[_Entry]:
        key = (get_language(), get_script_prefix(), len(self._registry))
        entries = self._entries.get(key)
        if entries is None:
            entries = self._entries[key] = [self._entry(m, ma) for m, ma in self._registry.items()]
        return entries

    def _entry(self, model, model_admin) -> _Entry:
        info = (model._meta.app_label, model._meta.model_name)

        def url(name: str) -> str | None:
            try:
                return reverse(f"admin:{info[0]}_{info[1]}_{name}", current_app=self.name)
            except NoReverseMatch:
                return None

        return _Entry(
            model=model,
            model_admin=model_admin,
            app_label=info[0],
            app_name=str(apps.get_app_config(info[0]).verbose_name),
            app_url=reverse("admin:app_list", kwargs={"app_label": info[0]}, current_app=self.name),
            name=str(capfirst(model._meta.verbose_name_plural)),
            admin_url=url("changelist"),
            add_url=url("add"),
        )

    def _build_app_dict(self, request, label=None):
        """What Django's builds (same keys, same permission calls), from the per-language entries."""
        app_dict = {}
        for entry in self._static_entries():
            if label and entry.app_label != label:
                continue
            has_module_perms = entry.model_admin.has_module_permission(request)
            if not has_module_perms:
                continue
            perms = entry.model_admin.get_model_perms(request)
            if True not in perms.values():
                continue
            model_dict = {
                "model": entry.model,
                "name": entry.name,
                "object_name": entry.model._meta.object_name,
                "perms": perms,
                "admin_url": None,
                "add_url": None,
            }
            if perms.get("change") or perms.get("view"):
                model_dict["view_only"] = not perms.get("change")
                model_dict["admin_url"] = entry.admin_url
            if perms.get("add"):
                model_dict["add_url"] = entry.add_url
            if entry.app_label in app_dict:
                app_dict[entry.app_label]["models"].append(model_dict)
            else:
                app_dict[entry.app_label] = {
                    "name": entry.app_name,
                    "app_label": entry.app_label,
                    "app_url": entry.app_url,
                    "has_module_perms": has_module_perms,
                    "models": [model_dict],
                }
        return app_dict


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with the portal's site (INSTALLED_APPS names this class)."""

    default_site = "core.admin_site.NeighborhoodAdminSite"
