"""Sign up, log in (rate limited), log out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from buildreal.accounts import ratelimit
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
        user = form.save()
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, f"Welcome, {user.get_username()}. Your progress is saved from now on."
        )
        return redirect(_next_url(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request, "")})


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    status = 200
    lockout = ""
    if request.method == "POST":
        ip = ratelimit.client_ip(request)
        username = request.POST.get("username", "")
        wait = ratelimit.minutes_locked(ip, username)
        if wait:
            # Refused before the password is checked, so guessing gains nothing.
            form = AuthenticationForm(request, initial={"username": username})
            lockout = ("Too many failed log-ins from your address. "
                       f"Try again in {wait} minute{'s' if wait != 1 else ''}.")
            status = 429
        elif form.is_valid():
            ratelimit.clear(ip, username)
            auth_login(request, form.get_user())
            return redirect(_next_url(request))
        else:
            ratelimit.record_failure(ip, username)
            status = 400
    return render(request, "accounts/login.html",
                  {"form": form, "lockout": lockout, "next": _next_url(request, "")},
                  status=status)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("catalog:index")
