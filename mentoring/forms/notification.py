from collections.abc import Collection
from datetime import timedelta

from django import forms
from django.utils import timezone

from programmes.forms.dates import DateField, TimeField, days_from_today
from programmes.models import (
    EVENT_KINDS,
    NUDGE_KINDS,
    Delivery,
    NotificationKind,
    NotificationSettings,
)

# In the order NotificationKind lists them, so the settings page reads the same every time.
NUDGE_CHOICES = [(k.value, k.label) for k in NotificationKind if k in NUDGE_KINDS]
EVENT_CHOICES = [(k.value, k.label) for k in NotificationKind if k in EVENT_KINDS]


class NotificationSettingsForm(forms.Form):
    """The kinds are offered as what to hear about (ticked = told), the positive way round;
    `clean` turns the unticked ones into the `muted_kinds` the service keeps.

    Only the `offered` kinds (those that can reach this person: `mentoring.notification_kinds`;
    every kind when not given) are shown. A kind not offered keeps whatever it was: a save
    never unmutes what the person cannot see, and a kind muted as a mentee is still muted
    if they take part as a mentee again."""

    delivery = forms.ChoiceField(
        choices=Delivery.choices, widget=forms.RadioSelect, label="How to tell you"
    )
    quiet_from = TimeField(required=False, label="From")
    quiet_until = TimeField(required=False, label="Until")
    nudges = forms.MultipleChoiceField(
        choices=NUDGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Nudges about pace",
    )
    events = forms.MultipleChoiceField(
        choices=EVENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Things that happen",
    )

    def __init__(
        self,
        data=None,
        *,
        found: NotificationSettings | None = None,
        offered: Collection[str] | None = None,
        **kwargs,
    ) -> None:
        found = found or NotificationSettings()  # the defaults
        self.offered = frozenset(NotificationKind.values if offered is None else offered)
        self.muted_before = frozenset(found.muted_kinds)
        super().__init__(data, initial=self._initial(found), **kwargs)
        # Only the offered kinds are shown; any kind validates, so a page loaded before a
        # role ended still saves (`clean` ignores what is no longer offered).
        for name, choices in (("nudges", NUDGE_CHOICES), ("events", EVENT_CHOICES)):
            shown = [(k, label) for k, label in choices if k in self.offered]
            if shown:
                self.fields[name].widget.choices = shown
            else:
                del self.fields[name]

    def _initial(self, found: NotificationSettings) -> dict:
        return {
            "delivery": found.delivery,
            "quiet_from": found.quiet_from,
            "quiet_until": found.quiet_until,
            "nudges": [k for k, _ in NUDGE_CHOICES if k not in self.muted_before],
            "events": [k for k, _ in EVENT_CHOICES if k not in self.muted_before],
        }

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        start, end = cleaned.get("quiet_from"), cleaned.get("quiet_until")
        if start and not end:
            self.add_error("quiet_until", "Give quiet hours an end too, or clear the start.")
        elif end and not start:
            self.add_error("quiet_from", "Give quiet hours a start too, or clear the end.")
        told = {*cleaned.get("nudges", ()), *cleaned.get("events", ())}
        cleaned["muted_kinds"] = [
            k
            for k in NotificationKind.values
            if (k not in told if k in self.offered else k in self.muted_before)
        ]
        return cleaned


class SnoozeForm(forms.Form):
    """A week, two weeks, until a chosen day, or wake now; `until` is the last snoozed day
    (None wakes)."""

    WEEK, FORTNIGHT, UNTIL, WAKE = "week", "fortnight", "until", "wake"

    snooze = forms.ChoiceField(
        choices=[(WEEK, "A week"), (FORTNIGHT, "Two weeks"), (UNTIL, "Until"), (WAKE, "Wake")]
    )
    # The service's range (`snooze`), here too so the browser's picker offers only these days.
    until = DateField(
        required=False,
        label="Snooze until",
        earliest=timezone.localdate,
        latest=days_from_today(366),
        error_messages={
            "too_early": "Choose a day from today onwards.",
            "too_late": "Snooze for a year at most.",
        },
    )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        choice, today = cleaned.get("snooze"), timezone.localdate()
        if choice == self.WEEK:
            cleaned["until"] = today + timedelta(days=7)
        elif choice == self.FORTNIGHT:
            cleaned["until"] = today + timedelta(days=14)
        elif choice == self.WAKE:
            cleaned["until"] = None
        elif choice == self.UNTIL and not cleaned.get("until") and "until" not in self.errors:
            self.add_error("until", "Choose a day to snooze until.")
        return cleaned
