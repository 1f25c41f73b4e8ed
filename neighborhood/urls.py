from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Happy Neighborhood administration")
admin.site.site_title = _("Happy Neighborhood")
admin.site.index_title = _("Work desk")

urlpatterns = [
    path("", include("core.urls")),
    path("", include("centers.urls")),
    path("orgs/", include("orgs.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("requests/", include("dispatch.urls")),
    path("care/", include("care.urls")),
    path("deliberation/", include("deliberation.urls")),
    path("reports/", include("reports.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "core.views.error_400"
handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
# allauth answers its own rate limits with this view.
handler429 = "core.views.error_429"
handler500 = "core.views.error_500"
