"""The portal's URLs plus the benchmark's minimal comparison views (mounted only by perf.settings)."""

from django.urls import path

from neighborhood import urls as portal_urls

from . import views

urlpatterns = [
    path("__bench__/minimal/<str:key>/", views.minimal, name="bench_minimal"),
    *portal_urls.urlpatterns,
]

handler403 = portal_urls.handler403
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500
