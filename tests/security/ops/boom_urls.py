"""The portal's URLs plus one view that fails, to see the 500 page a visitor gets."""

from django.urls import path

from neighborhood.urls import handler403, handler404, handler500
from neighborhood.urls import urlpatterns as portal_urlpatterns


def boom(request):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [path("boom/", boom), *portal_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
