"""The roles a signed-in person holds, for the page shell's navigation."""

from django.conf import settings

from programmes.models import Membership
from programmes.services.notification import unread_count


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"trial_mode": settings.DEBUG, "social_login": bool(settings.SOCIAL_PROVIDERS)}

    def memberships():
        if not hasattr(request, "_nav_memberships"):
            request._nav_memberships = list(
                Membership.objects.active()
                .filter(user=user)
                .select_related("programme")
                .order_by("programme__name", "role")
            )
        return request._nav_memberships

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
    }
