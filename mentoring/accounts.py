"""How allauth fits this product."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings

from mentoring.two_factor import programmes_requiring_two_factor


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Someone holding an invitation link may always create their account.
        return settings.ACCOUNT_SIGNUP_OPEN or bool(request.session.get("invitation_token"))


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": "A programme you lead or mentor in requires "
        "two-factor authentication, so it stays on while you hold that role.",
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # While a programme requires it, the app cannot be removed (recovery codes may be
        # regenerated as ever); the lead can lift the rule, or the person leave the role.
        if authenticator.type != Authenticator.Type.TOTP:
            return super().can_delete_authenticator(authenticator)
        if programmes_requiring_two_factor(authenticator.user_id).exists():
            return False
        return super().can_delete_authenticator(authenticator)
