"""Reminder choices and quiet hours move from each mentee's engagement preferences (per
programme) to their notification settings (per person, every role and programme). A person
with several programmes keeps the most recently saved choice."""

from django.db import migrations


def forwards(apps, schema_editor):
    EngagementPreference = apps.get_model("mentoring", "EngagementPreference")
    NotificationSettings = apps.get_model("programmes", "NotificationSettings")
    done = set(NotificationSettings.objects.values_list("user_id", flat=True))
    for preference in (
        EngagementPreference.objects.filter(superseded_at__isnull=True)
        .select_related("membership")
        .order_by("-created_at")
    ):
        user_id = preference.membership.user_id
        if user_id in done:
            continue
        done.add(user_id)
        NotificationSettings.objects.create(
            user_id=user_id,
            delivery="app" if preference.reminders == "app" else "both",
            quiet_from=preference.quiet_from if preference.quiet_until else None,
            quiet_until=preference.quiet_until if preference.quiet_from else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0007_session_pairing_held"),
        ("programmes", "0003_notifications_and_pace"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
