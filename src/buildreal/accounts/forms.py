from __future__ import annotations

from django.contrib.auth.forms import BaseUserCreationForm


class SignupForm(BaseUserCreationForm):
    """Username and password twice; Django's validators check the password."""

    class Meta(BaseUserCreationForm.Meta):
        fields = ("username",)
        help_texts = {"username": "Letters, digits and @ . + - _ only, e.g. ada_l."}
