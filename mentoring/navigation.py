"""The roles a signed-in person holds, for the page shell's navigation."""

from django.conf import settings

from programmes.models import Membership


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

    return {
        "trial_mode": settings.DEBUG,
        "social_login": bool(settings.SOCIAL_PROVIDERS),
        "nav_memberships": memberships,
    }
