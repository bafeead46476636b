"""Address verification and password reset, on Django's own token machinery.

A verification link carries a token from ``VerificationTokens``: like a password-reset
token it is signed with the secret key and expires after ``PASSWORD_RESET_TIMEOUT``, and
it stops working once used or once the account's address changes (both go into its
hash). Reset mail goes only to verified addresses: an address typed at sign-up but never
proved may belong to someone else.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from buildreal.accounts.models import VerifiedEmail


def verified_address(user: AbstractBaseUser) -> str:
    """The account's address if it has been verified, else ""."""
    record = VerifiedEmail.objects.filter(user=user).first()
    if record and user.email and record.email.lower() == user.email.lower():
        return user.email
    return ""


class VerificationTokens(PasswordResetTokenGenerator):
    key_salt = "buildreal.accounts.email.VerificationTokens"

    def _make_hash_value(self, user: AbstractBaseUser, timestamp: int) -> str:
        return f"{user.pk}{timestamp}{user.email}{verified_address(user)}"


verification_tokens = VerificationTokens()


def send_verification(request: HttpRequest, user: AbstractBaseUser) -> None:
    """Mail ``user`` a link that proves they read their address."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = request.build_absolute_uri(
        reverse("accounts:verify-email", args=(uid, verification_tokens.make_token(user))))
    context = {"user": user, "link": link}
    send_mail(
        subject="Confirm your email address for buildreal",
        message=render_to_string("accounts/email/verify.txt", context),
        from_email=None, recipient_list=[user.email])


def mark_verified(user: AbstractBaseUser) -> None:
    VerifiedEmail.objects.update_or_create(user=user, defaults={"email": user.email})


class VerifiedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending only to active accounts with that verified address."""

    def get_users(self, email: str) -> Iterator[AbstractBaseUser]:
        users = get_user_model()._default_manager.filter(
            email__iexact=email, is_active=True, verified_email__email__iexact=email)
        return (user for user in users if user.has_usable_password())
