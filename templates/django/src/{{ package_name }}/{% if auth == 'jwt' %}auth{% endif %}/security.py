"""Bearer tokens on the API: the user a valid access token names."""

import jwt
from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from .models import User
from .tokens import decode_access_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:  # noqa: ARG002
        """The active user the token names, or None (a 401) for any bad token."""
        try:
            user_id = decode_access_token(token, settings.SECRET_KEY)
        except jwt.InvalidTokenError:
            return None
        return User.objects.filter(pk=user_id, is_active=True).first()


bearer = BearerToken()
