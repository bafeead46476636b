"""Keep each user's ``Handle`` (the skeleton of the username) in step with the user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from buildreal.accounts.models import Handle
from buildreal.accounts.usernames import skeleton


@receiver(post_save, sender=get_user_model())
def keep_handle(sender: Any, instance: Any, created: bool = False,
                update_fields: Any = None, **kwargs: Any) -> None:
    if not created and update_fields is not None and "username" not in update_fields:
        return  # e.g. last_login on each log-in: the name did not change
    # A look-alike of an existing name fails here with an IntegrityError, whatever made
    # the account (the sign-up form refuses it earlier, with a message).
    Handle.objects.update_or_create(user=instance,
                                    defaults={"key": skeleton(instance.get_username())})
