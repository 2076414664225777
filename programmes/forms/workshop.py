"""Forms for scheduling workshops and recording who came."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.utils import timezone

from programmes.forms.dates import DateTimeField
from programmes.forms.time_zones import TimeZoneField
from programmes.models import Membership, Workshop, WorkshopSeat

ATTENDED, ABSENT = "yes", "no"


class LocalDateTimeField(DateTimeField):
    """A wall-clock date and time, left naive: the form places it in the chosen time zone,
    not in the server's, so 10:00 means 10:00 where the workshop happens."""

    def to_python(self, value) -> datetime | None:
        # Parsed in UTC, which has no gaps or overlaps, so no wall-clock time is refused here.
        with timezone.override(UTC):
            parsed = super().to_python(value)
        return parsed.replace(tzinfo=None) if parsed else None


def _aware(naive: datetime, tz: zoneinfo.ZoneInfo) -> datetime | None:
    """`naive` as a moment in `tz`, or None when the clocks skip that time (spring forward)."""
    aware = naive.replace(tzinfo=tz)
    round_trip = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return aware if round_trip == naive else None


class WorkshopForm(forms.Form):
    title = forms.CharField(max_length=200)
    topic = forms.CharField(
        label="Skill or platform",
        max_length=80,
        required=False,
        help_text="What it practises, e.g. LinkedIn, video or planning content.",
        widget=forms.TextInput(attrs={"list": "workshop-topics"}),
    )
    description = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What people will do and anything to bring or prepare.",
    )
    starts_at = LocalDateTimeField(label="Starts")
    ends_at = LocalDateTimeField(label="Ends")
    time_zone = TimeZoneField(
        help_text="Where the workshop happens. Everyone also sees the times in their own zone.",
    )
    location = forms.CharField(
        label="Place",
        max_length=200,
        required=False,
        help_text="A room and building, or an address.",
    )
    video_url = forms.URLField(
        label="Video link",
        required=False,
        max_length=200,  # as the model keeps it
        assume_scheme="https",
        help_text="The link people join the call with.",
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=10_000,  # beyond it, no room holds them and the database column overflows
        required=False,
        help_text="How many places there are. Leave empty for no limit.",
    )

    @classmethod
    def for_workshop(cls, workshop: Workshop, data=None) -> WorkshopForm:
        """The form filled in with a workshop as it is, times as its own wall clock shows."""
        tz = zoneinfo.ZoneInfo(workshop.time_zone)
        initial = {
            name: getattr(workshop, name)
            for name in ("title", "topic", "description", "time_zone", "location", "video_url")
        }
        initial |= {
            "capacity": workshop.capacity,
            "starts_at": workshop.starts_at.astimezone(tz).replace(tzinfo=None),
            "ends_at": workshop.ends_at.astimezone(tz).replace(tzinfo=None),
        }
        return cls(data, initial=initial)

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if (
            not data.get("location")
            and not data.get("video_url")
            and "video_url" not in self.errors
        ):
            self.add_error(None, "Give a place, a video link, or both.")
        if "time_zone" not in data:
            return data
        tz = zoneinfo.ZoneInfo(data["time_zone"])
        for name in ("starts_at", "ends_at"):
            if data.get(name) is None:
                continue
            aware = _aware(data[name], tz)
            if aware is None:
                self.add_error(
                    name, f"The clocks skip this time in {data['time_zone']}; choose another."
                )
            data[name] = aware
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "The workshop must end after it starts.")
        return data


class AttendanceForm(forms.Form):
    """Attended or not, one choice per mentee of the programme, saved together."""

    def __init__(
        self, data=None, *, mentees: list[Membership], seats: dict[int, WorkshopSeat]
    ) -> None:
        super().__init__(data)
        self.rows = []
        for mentee in mentees:
            seat = seats.get(mentee.pk)
            name = f"attended-{mentee.pk}"
            self.fields[name] = forms.ChoiceField(
                label=mentee.user.display_name,
                choices=[(ATTENDED, "Attended"), (ABSENT, "Did not attend")],
                required=False,
                widget=forms.RadioSelect,
                initial=_choice(seat.attended) if seat else None,
            )
            self.rows.append((mentee, seat, self[name]))

    def attendance(self) -> dict[Membership, bool]:
        """What the lead recorded; a mentee left without a choice is left out."""
        return {
            mentee: self.cleaned_data[field.name] == ATTENDED
            for mentee, _seat, field in self.rows
            if self.cleaned_data.get(field.name)
        }


def _choice(attended: bool | None) -> str | None:
    if attended is None:
        return None
    return ATTENDED if attended else ABSENT
