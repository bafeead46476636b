from __future__ import annotations

from django.urls import path

from buildreal.accounts import email_views, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("account/", email_views.account, name="account"),
    path("verify/<uidb64>/<token>/", email_views.verify_email, name="verify-email"),
    path("password-reset/", email_views.password_reset, name="password-reset"),
    path("password-reset/sent/", email_views.password_reset_done, name="password-reset-done"),
    path("reset/<uidb64>/<token>/", email_views.password_reset_confirm,
         name="password-reset-confirm"),
    path("reset/done/", email_views.password_reset_complete, name="password-reset-complete"),
]
