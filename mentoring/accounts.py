"""How allauth fits this product."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Someone holding an invitation link may always create their account.
        return settings.ACCOUNT_SIGNUP_OPEN or bool(request.session.get("invitation_token"))
