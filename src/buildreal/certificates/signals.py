"""Make the completion record the moment the last test or exam is passed.

The assessments app records a pass as a progress ``Completion`` row (``award_completion``
after a graded submission); this receiver listens for new rows of test or exam items and
checks the course, so grading itself is not touched.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from buildreal.catalog.content import get_catalog
from buildreal.certificates.services import GRADED, award_if_complete
from buildreal.progress.models import Completion


@receiver(post_save, sender=Completion, dispatch_uid="certificates-course-completion")
def completion_saved(sender: type[Completion], instance: Completion, created: bool,
                     **kwargs: Any) -> None:
    if not created:
        return
    course = get_catalog().courses.get(instance.course_id)
    item = course.item(instance.item_id) if course else None
    if item is not None and item.kind in GRADED:
        award_if_complete(instance.user, course)
