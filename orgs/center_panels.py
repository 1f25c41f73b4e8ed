"""A center's page names its operator: the organization holding its active service contract."""

from centers.panels import center_panel

from .selectors import get_active_contract


@center_panel(order=10)
def operator(request, center):
    contract = get_active_contract(center)
    if contract is None:
        return None
    return "orgs/center_operator.html", {"contract": contract}
