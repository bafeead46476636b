"""Sign up, log in (rate limited), log out."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from buildreal.accounts import lockout, throttle
from buildreal.accounts.clientip import client_ip
from buildreal.accounts.email import send_verification
from buildreal.accounts.forms import SignupForm


def _next_url(request: HttpRequest, default: str = "progress:dashboard") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Each account costs an Argon2 hash; one address creating them by the hundred
        # slowed every learner's saves, so sign-ups per address are limited.
        wait = throttle.hit("signup", client_ip(request),
                            settings.BUILDREAL_SIGNUPS_PER_ADDRESS_PER_HOUR, timedelta(hours=1))
        if wait:
            form.add_error(None, ValidationError(
                "Too many accounts were created from your address in the last hour. Try "
                "again in %(wait)s, or ask your instructor to raise the limit.",
                code="signup_rate", params={"wait": throttle.wait_text(wait)}))
            return render(request, "accounts/signup.html",
                          {"form": form, "next": _next_url(request, "")}, status=429)
        user = form.save()
        auth_login(request, user, backend="buildreal.accounts.backends.ModelBackend")
        if user.email:
            send_verification(request, user)
        messages.success(
            request, f"Welcome, {user.get_username()}. Your progress is saved from now on."
        )
        return redirect(_next_url(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")})


def login_page(request: HttpRequest, username: str = "", *, lockout: str = "",
               status: int = 200, form: AuthenticationForm | None = None) -> HttpResponse:
    form = form or AuthenticationForm(request, initial={"username": username})
    return render(request, "accounts/login.html",
                  {"form": form, "lockout": lockout, "next": _next_url(request, "")},
                  status=status)


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Log in. django-axes counts failures per account and client address and refuses a
    locked pair before the password is checked (its middleware shows ``lockout``'s
    page); an address spraying many usernames is refused here first."""
    if request.method != "POST":
        return login_page(request)
    username = request.POST.get("username", "")
    wait = lockout.address_minutes_locked(client_ip(request))
    if wait:
        return login_page(request, username, status=429,
                          lockout=lockout.lockout_message(wait, account=False))
    wait = lockout.account_minutes_locked(client_ip(request), username)
    if wait:
        return login_page(request, username, status=429,
                          lockout=lockout.spread_lockout_message(wait))
    form = AuthenticationForm(request, data=request.POST)
    if form.is_valid():
        auth_login(request, form.get_user())
        return redirect(_next_url(request))
    return login_page(request, form=form, status=400)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("catalog:index")
