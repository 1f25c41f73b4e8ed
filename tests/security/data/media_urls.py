"""The portal's URLs plus media files, as neighborhood/urls.py adds them with DEBUG on (the test
runner turns DEBUG off before the URLs load, so the portal's own list has no media route)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from neighborhood.urls import urlpatterns as portal

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *portal,
]
