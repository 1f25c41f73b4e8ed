from django.conf import settings

from . import access


def portal(request):
    user = getattr(request, "user", None)
    return {
        "LANGUAGES": settings.LANGUAGES,
        "is_portal_staff": bool(user and user.is_authenticated and access.is_staff_member(user)),
        "large_text": request.COOKIES.get("large_text") == "1",
    }
