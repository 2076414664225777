from django import forms
from django.utils import timezone

from programmes.forms.dates import DateField, TimeField
from programmes.models import NUDGE_KINDS, NotificationKind, Programme
from programmes.services.programme import LONGEST_NUDGE_GAP_DAYS, SITE_NUDGE_EVERY_DAYS


class DatesInOrder:
    """A programme, or its copy, ends after it starts."""

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The programme must end after it starts.")
        return cleaned


class ProgrammeCreateForm(DatesInOrder, forms.Form):
    name = forms.CharField(max_length=200, label="Programme name")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10_000
    )
    from_template = forms.TypedChoiceField(
        label="Start from",
        choices=[
            ("1", "The Social Adoption Programme: five phases and a baseline assessment"),
            ("0", "A blank programme: add your own phases"),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    starts_on = DateField(required=False)
    ends_on = DateField(required=False)


class ProgrammeSettingsForm(DatesInOrder, forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "status",
            "starts_on",
            "ends_on",
            "mentee_label",
            "require_two_factor",
        ]
        labels = {"mentee_label": "Word for a mentee"}
        help_texts = {
            "mentee_label": "Shown everywhere in this programme, e.g. partner.",
            "starts_on": "Nothing is due of anyone before it: each person's pace counts from "
            "this date.",
        }
        field_classes = {"starts_on": DateField, "ends_on": DateField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        ends = cleaned.get("ends_on")
        active = cleaned.get("status") == Programme.Status.ACTIVE
        changed = {"ends_on", "status"} & set(self.changed_data)
        if active and ends and changed and ends < timezone.localdate():
            self.add_error(
                "ends_on",
                "That day has passed: an active programme ends today or later. If it is "
                "over, set its status to Completed.",
            )
        self._phases_fit(cleaned.get("starts_on"), ends)
        return cleaned

    def _phases_fit(self, starts, ends) -> None:
        """The phases' planned dates stay within the programme's (the phase form holds the
        same rule from the other side)."""
        if self.instance.pk is None or not {"starts_on", "ends_on"} & set(self.changed_data):
            return  # (other settings save as before, whatever the phases say)
        phases = list(
            self.instance.phases.exclude(starts_on=None, ends_on=None).order_by("position")
        )
        for phase in phases:
            if starts and phase.starts_on and phase.starts_on < starts:
                self.add_error(
                    "starts_on",
                    f"{phase.name} is planned from {phase.starts_on:%-d %B %Y}: move it on "
                    "the Phases page first.",
                )
                break
        for phase in phases:
            if ends and phase.ends_on and phase.ends_on > ends:
                self.add_error(
                    "ends_on",
                    f"{phase.name} is planned until {phase.ends_on:%-d %B %Y}: move it on "
                    "the Phases page first.",
                )
                break


class DuplicateForm(DatesInOrder, forms.Form):
    name = forms.CharField(max_length=200, label="Name of the new programme")
    starts_on = DateField(required=False)
    ends_on = DateField(required=False)

    def __init__(self, *args, **kwargs):
        # Its own ids: it sits on the settings page beside a form with the same field names.
        kwargs.setdefault("auto_id", "id_copy_%s")
        super().__init__(*args, **kwargs)


# Who each kind of nudge goes to, so a lead knows what they switch off ({mentees}: the
# programme's own word for them).
NUDGE_AUDIENCE = {
    NotificationKind.NEXT_STEP: "to {mentees}",
    NotificationKind.ACTIONS_DUE: "to {mentees}",
    NotificationKind.SESSION_DUE: "to {mentees}",
    NotificationKind.PARTNER_SLIPPING: "to mentors",
    NotificationKind.REVIEW_WAITING: "to mentors",
    NotificationKind.LOG_SESSION: "to mentors",
    NotificationKind.CADENCE_CHECK: "to both sides of a pair",
    NotificationKind.CHECK_IN: "to operationalised {mentees}, monthly",
    NotificationKind.LEAD_DIGEST: "to leads, weekly",
}


def nudge_choices(mentees: str = "mentees") -> list[tuple[str, str]]:
    return [
        (
            kind.value,
            f"{kind.label} ({NUDGE_AUDIENCE[kind].format(mentees=mentees)})"
            if kind in NUDGE_AUDIENCE
            else kind.label,
        )
        for kind in NotificationKind
        if kind in NUDGE_KINDS
    ]


class NudgeSettingsForm(forms.Form):
    """A programme's nudge controls. The lead ticks the kinds to send; the service stores
    the ones left out (`Programme.nudges_off`)."""

    nudges_on = forms.MultipleChoiceField(
        label="Nudges this programme sends",
        choices=nudge_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick a kind to stop it for everyone in this programme. Each person can "
        "also turn kinds off for themselves.",
    )
    nudge_every_days = forms.IntegerField(
        label="At most one nudge to a person every … days",
        min_value=SITE_NUDGE_EVERY_DAYS,
        max_value=LONGEST_NUDGE_GAP_DAYS,
        help_text=f"The site never nudges anyone more than once every "
        f"{SITE_NUDGE_EVERY_DAYS} days; a programme can only be stricter.",
        error_messages={
            "min_value": f"The site's cap is one nudge every {SITE_NUDGE_EVERY_DAYS} days: "
            f"choose {SITE_NUDGE_EVERY_DAYS} or more.",
            "required": "Say how many days.",
        },
    )
    quiet_from = TimeField(
        label="Quiet hours from",
        required=False,
        help_text="For people who set no quiet hours of their own, in their own time zone.",
    )
    quiet_until = TimeField(label="Quiet hours until", required=False)

    def __init__(self, *args, programme: Programme, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "nudges_on": [k for k, _ in nudge_choices() if k not in programme.nudges_off],
                "nudge_every_days": programme.nudge_every_days,
                "quiet_from": programme.quiet_from,
                "quiet_until": programme.quiet_until,
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["nudges_on"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = nudge_choices(f"{programme.mentee_label}s")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("quiet_from"), cleaned.get("quiet_until")
        if (starts is None) != (ends is None) and not self.has_error("quiet_from"):
            self.add_error("quiet_until", "Give quiet hours both a start and an end, or neither.")
        elif starts is not None and starts == ends:
            self.add_error("quiet_until", "Quiet hours must start and end at different times.")
        if "nudges_on" in cleaned:
            on = set(cleaned.pop("nudges_on"))
            cleaned["nudges_off"] = [k for k, _ in nudge_choices() if k not in on]
        return cleaned
