"""One open attempt per learner and item.

Before this constraint, two Start clicks racing each other could open two attempts at
once. Such twins are folded into the earliest one before the constraint is added: its
answers win, the twin's answers fill the questions it left blank, and the twin goes.
"""

from django.conf import settings
from django.db import migrations, models


def fold_open_twins(apps, schema_editor):
    Attempt = apps.get_model("assessments", "Attempt")
    AttemptAnswer = apps.get_model("assessments", "AttemptAnswer")
    groups = (Attempt.objects.filter(submitted_at__isnull=True)
              .values("user_id", "course_id", "item_id")
              .annotate(open_count=models.Count("id")).filter(open_count__gt=1))
    for group in groups:
        kept, *twins = Attempt.objects.filter(
            submitted_at__isnull=True, user_id=group["user_id"],
            course_id=group["course_id"], item_id=group["item_id"]).order_by("number")
        answered = set(AttemptAnswer.objects.filter(attempt=kept)
                       .values_list("question_id", flat=True))
        for twin in twins:
            for answer in AttemptAnswer.objects.filter(attempt=twin).order_by("id"):
                if answer.question_id not in answered:
                    AttemptAnswer.objects.create(attempt=kept, question_id=answer.question_id,
                                                 given=answer.given)
                    answered.add(answer.question_id)
            twin.delete()
    if schema_editor.connection.vendor == "postgresql":
        # Run the deferred foreign-key checks of those deletes now: PostgreSQL will not
        # build the constraint's index while they are pending in this transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(fold_open_twins, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="attempt",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submitted_at__isnull", True)),
                fields=("user", "course_id", "item_id"),
                name="assessments_one_open_attempt",
            ),
        ),
    ]
