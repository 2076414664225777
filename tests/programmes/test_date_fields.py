"""The shared date and time fields (programmes/forms/dates.py): ISO values whatever the
language, and every date a person types checked against a sensible range."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django import forms
from django.utils import timezone, translation

from mentoring.forms.notification import SnoozeForm
from mentoring.forms.session import ActionForm
from playbooks.forms.activity import CompletionForm
from programmes.forms.dates import (
    DateField,
    DateInput,
    DateTimeField,
    DateTimeLocalInput,
    TimeInput,
    years_after,
)
from programmes.forms.membership import PauseForm
from programmes.forms.phase import PhaseForm
from programmes.forms.programme import DuplicateForm, ProgrammeCreateForm, ProgrammeSettingsForm
from programmes.forms.workshop import WorkshopForm


@pytest.mark.parametrize("language", ["en-gb", "en-us", "de", "fr"])
def test_the_widgets_write_iso_values_whatever_the_language(language):
    with translation.override(language):
        assert 'value="2026-12-06"' in DateInput().render("d", date(2026, 12, 6))
        moment = datetime(2026, 12, 6, 9, 5)
        assert 'value="2026-12-06T09:05"' in DateTimeLocalInput().render("m", moment)
        assert 'value="09:05"' in TimeInput().render("t", time(9, 5))


class Dated(forms.Form):
    day = DateField()
    soon = DateField(
        required=False,
        earliest=date(2026, 1, 1),
        latest=lambda: date(2026, 12, 31),
        error_messages={"too_late": "By the end of %(latest)s, please."},
    )


@pytest.mark.parametrize("typed", ["0001-01-01", "0026-12-06", "1999-12-31"])
def test_a_day_before_2000_is_refused_with_the_range_it_must_be_in(typed):
    form = Dated({"day": typed})
    assert not form.is_valid()
    latest = years_after(timezone.localdate(), 5)
    assert form.errors["day"] == [
        f"Choose a date between 1 January 2000 and {latest.day} {latest:%B %Y}."
    ]


def test_more_than_five_years_ahead_is_refused_and_the_bounds_themselves_are_allowed():
    latest = years_after(timezone.localdate(), 5)
    assert not Dated({"day": (latest + timedelta(days=1)).isoformat()}).is_valid()
    assert Dated({"day": latest.isoformat()}).is_valid()
    assert Dated({"day": "2000-01-01"}).is_valid()


def test_a_field_says_its_own_words_for_a_day_out_of_its_range():
    form = Dated({"day": "2026-06-01", "soon": "2027-01-01"})
    assert form.errors["soon"] == ["By the end of 31 December 2026, please."]


def test_the_browsers_picker_is_given_the_same_range():
    html = str(Dated()["soon"])
    assert 'type="date"' in html
    assert 'min="2026-01-01"' in html and 'max="2026-12-31"' in html


def test_a_date_and_time_is_checked_by_its_day_or_against_a_moment():
    class Timed(forms.Form):
        by_day = DateTimeField(required=False, earliest=date(2026, 3, 1), latest=date(2026, 3, 31))
        by_moment = DateTimeField(
            required=False,
            earliest=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
            latest=datetime(2026, 3, 1, 17, 0, tzinfo=UTC),
        )

    assert Timed({"by_day": "2026-03-31T23:30"}).is_valid()
    assert not Timed({"by_day": "2026-04-01T00:00"}).is_valid()
    assert Timed({"by_moment": "2026-03-01T16:59"}).is_valid()  # London keeps UTC on 1 March
    assert not Timed({"by_moment": "2026-03-01T17:01"}).is_valid()
    html = str(Timed()["by_day"])
    assert 'min="2026-03-01T00:00"' in html and 'max="2026-03-31T23:59"' in html


# --- Every date people type is range-checked, in every form --------------------------------


def _workshop(**times):
    data = {"title": "Video", "time_zone": "Europe/London", "video_url": "https://v.example"}
    data |= {"starts_at": "2027-03-10T10:00", "ends_at": "2027-03-10T12:00"} | times
    return WorkshopForm(data)


# (form, the field, a day it must refuse). The slip that happened: a due date in year one.
FORMS = [
    (
        lambda d: ActionForm({"text": "Post", "owner": "mentee", "due_on": d}),
        "due_on",
        "0001-01-01",
    ),
    (
        lambda d: ProgrammeCreateForm({"name": "P", "from_template": "1", "starts_on": d}),
        "starts_on",
        "0026-01-01",
    ),
    (lambda d: DuplicateForm({"name": "P", "ends_on": d}), "ends_on", "9999-12-31"),
    (
        lambda d: ProgrammeSettingsForm({"name": "P", "status": "active", "starts_on": d}),
        "starts_on",
        "0001-01-01",
    ),
    (
        lambda d: PhaseForm({"name": "Research", "exit_criterion": "manual", "ends_on": d}),
        "ends_on",
        "1900-01-01",
    ),
    (lambda d: _workshop(starts_at=f"{d}T10:00"), "starts_at", "0001-01-01"),
    (lambda d: PauseForm({"until": d}), "until", "0001-01-01"),
    (lambda d: SnoozeForm({"snooze": "until", "until": d}), "until", "9999-12-31"),
    (lambda d: CompletionForm({"done_on": d}, today=timezone.localdate()), "done_on", "0001-01-01"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "field", "typed"),
    FORMS,
    ids=[
        "action",
        "programme",
        "copy",
        "settings",
        "phase",
        "workshop",
        "pause",
        "snooze",
        "completion",
    ],
)
def test_every_form_refuses_a_day_out_of_range_beside_the_field(make, field, typed):
    form = make(typed)
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()[field]] in (["too_early"], ["too_late"])


def test_an_action_may_be_due_from_2000_to_two_years_ahead():
    def due(day: date) -> bool:
        return ActionForm({"text": "Post", "owner": "mentee", "due_on": day.isoformat()}).is_valid()

    latest = years_after(timezone.localdate(), 2)
    assert due(date(2000, 1, 1)) and due(latest)
    assert not due(date(1999, 12, 31)) and not due(latest + timedelta(days=1))
    error = ActionForm({"text": "Post", "owner": "mentee", "due_on": "0001-01-01"}).errors
    assert error["due_on"] == [
        f"Choose a due date between 1 January 2000 and {latest.day} {latest:%B %Y}."
    ]


def test_a_completion_is_dated_up_to_the_persons_today_and_a_year_back():
    today = date(2026, 12, 6)
    assert CompletionForm({"done_on": "2026-12-06"}, today=today).is_valid()
    assert CompletionForm({"done_on": "2025-12-05"}, today=today).is_valid()
    late = CompletionForm({"done_on": "2026-12-07"}, today=today)
    assert late.errors["done_on"] == ["Log an activity once you have done it, not before."]
    early = CompletionForm({"done_on": "2025-12-04"}, today=today)
    assert early.errors["done_on"] == ["That is more than a year ago; log recent activities."]
    assert 'value="2026-12-06"' in str(CompletionForm(today=today)["done_on"])
