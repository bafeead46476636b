"""The account page (address, verification) and password reset through Django's views."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_http_methods

from buildreal.accounts.email import (
    VerifiedPasswordResetForm,
    mark_verified,
    send_verification,
    verification_tokens,
    verified_address,
)


class EmailForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254,
                             help_text="Used only to reset your password. We mail you a "
                                       "link to confirm it is yours.")


@require_http_methods(["GET", "POST"])
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Set or change the account's address; each change mails a new verification link."""
    user = request.user
    form = EmailForm(request.POST or None, initial={"email": user.email})
    if request.method == "POST" and request.POST.get("resend") and user.email:
        send_verification(request, user)
        messages.success(request, f"We sent a new confirmation link to {user.email}.")
        return redirect("accounts:account")
    if request.method == "POST" and form.is_valid():
        user.email = form.cleaned_data["email"]
        user.save(update_fields=["email"])
        send_verification(request, user)
        messages.success(request, f"We sent a confirmation link to {user.email}. Open it "
                                  "to use this address for password resets.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html",
                  {"form": form, "verified": verified_address(user)},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Opening the mailed link shows a button; pressing it verifies (a POST, so that a mail
    scanner that fetches links does not verify on the learner's behalf)."""
    try:
        user = get_user_model()._default_manager.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    valid = user is not None and verification_tokens.check_token(user, token)
    if request.method == "POST" and valid:
        mark_verified(user)
        messages.success(request, f"{user.email} is confirmed. Password reset mail goes there.")
        return redirect("accounts:account" if request.user.is_authenticated
                        else "accounts:login")
    return render(request, "accounts/verify_email.html",
                  {"valid": valid, "address": user.email if valid else ""},
                  status=200 if valid else 400)


password_reset = auth_views.PasswordResetView.as_view(
    form_class=VerifiedPasswordResetForm,
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"))
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html")
