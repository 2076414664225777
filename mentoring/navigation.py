"""The roles a signed-in person holds, for the page shell's navigation."""

from django.conf import settings

from programmes.access import own_memberships
from programmes.services.notification import unread_count

# Pages that belong to a role's own link rather than to "Programmes": a mentee's journey is
# where "My journey" leads, though its address sits among the programme's pages.
ROLE_PAGES = {"programmes:my_journey": "mentee"}


def current_section(request) -> str:
    """Which link of the main menu the page belongs to: "home", a role or "programmes"."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.view_name == "mentoring:home":
        return "home"
    if match.view_name in ROLE_PAGES:
        return ROLE_PAGES[match.view_name]
    # A programme's pages, whichever app serves them (its dashboard, pairings, playbooks…).
    in_a_programme = match.route.startswith("programmes/")
    return "programmes" if match.app_name == "programmes" or in_a_programme else ""


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"trial_mode": settings.DEBUG, "social_login": bool(settings.SOCIAL_PROVIDERS)}

    def memberships():
        return own_memberships(request)

    def unread() -> int:
        # One COUNT, and only on a page that shows it.
        if not hasattr(request, "_nav_unread"):
            request._nav_unread = unread_count(user)
        return request._nav_unread

    return {
        "trial_mode": settings.DEBUG,
        "social_login": bool(settings.SOCIAL_PROVIDERS),
        "nav_memberships": memberships,
        "nav_unread": unread,
        "nav_current": current_section(request),
    }
