from __future__ import annotations

from django.contrib.auth.forms import BaseUserCreationForm

from buildreal.accounts.models import Handle
from buildreal.accounts.usernames import check_new, skeleton


class SignupForm(BaseUserCreationForm):
    """Username and password twice; Django's validators check the password. A username
    that equals or looks like an existing one is refused (see usernames.py)."""

    class Meta(BaseUserCreationForm.Meta):
        fields = ("username", "email")
        help_texts = {"username": "Letters, digits and @ . + - _ only, e.g. ada_l.",
                      "email": "Optional. Only for resetting your password: we mail a "
                               "link to confirm it."}
        labels = {"email": "Email address (optional)"}

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username") or ""
        if username:
            check_new(username, Handle.objects.filter(key=skeleton(username)).exists())
        return username
