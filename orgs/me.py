"""Staff see the service contracts of their centers on /me/."""

from django.utils import timezone

from core import access
from core.profile import me_section

from .models import ServiceContract
from .selectors import list_contracts


@me_section(order=60)
def my_contracts(request):
    if not access.is_staff_member(request.user):
        return None
    contracts = list(
        list_contracts(request.user).filter(ServiceContract.active_on_q(timezone.localdate()))[:10]
    )
    if not contracts:
        return None
    return "orgs/me_contracts.html", {"contracts": contracts}
