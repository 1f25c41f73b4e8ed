"""The volunteer's section of /me/: hours, points, teams, duties, redemptions with their codes."""

from core.profile import me_section

from . import selectors


@me_section(order=30)
def volunteering(request):
    volunteer = selectors.get_volunteer(request.user)
    if volunteer is None:
        return "volunteers/me_invite.html", {}
    return "volunteers/me_volunteer.html", {
        "volunteer": volunteer,
        "summary": selectors.summarize(volunteer=volunteer),
        "memberships": selectors.my_memberships(volunteer=volunteer),
        "signups": selectors.my_upcoming_signups(volunteer=volunteer),
        "records": selectors.my_hour_records(volunteer=volunteer),
        "redemptions": selectors.my_redemptions(volunteer=volunteer),
        "ledger": selectors.my_ledger(volunteer=volunteer),
        "honours": selectors.my_honours(volunteer=volunteer),
        "certificates": selectors.my_certificates(volunteer=volunteer),
    }
