"""The time-zone select renders its ~600 options from a string escaped once per process, and
offers and accepts exactly what Django's own select of the same choices would."""

import re
import time
import zoneinfo

from django import forms
from django.urls import reverse

from mentoring.forms.engagement import PreferencesForm
from mentoring.forms.profile import ProfileForm
from programmes.forms import time_zones
from programmes.forms.time_zones import TimeZoneField, time_zone_choices
from programmes.forms.workshop import WorkshopForm


class _Django(forms.Form):
    time_zone = forms.ChoiceField(choices=time_zone_choices, help_text="Where you are.")


class _Ours(forms.Form):
    time_zone = TimeZoneField(help_text="Where you are.")


def _options(html: str) -> list[str]:
    return re.findall(r"<option[^>]*>[^<]*</option>", html)


def _select_attributes(html: str) -> set[str]:
    opening = re.match(r"\s*<select([^>]*)>", html)
    assert opening is not None
    return set(re.findall(r'[\w-]+(?:="[^"]*")?', opening.group(1)))


def test_every_form_with_a_time_zone_uses_the_rendered_once_select():
    for form in (ProfileForm(), PreferencesForm(), WorkshopForm):
        fields = form.base_fields if isinstance(form, type) else form.fields
        assert isinstance(fields["time_zone"], TimeZoneField)


def test_the_select_renders_what_djangos_own_select_renders():
    for data, initial in [
        (None, "America/New_York"),
        ({"time_zone": "Europe/London"}, "UTC"),
        ({"time_zone": "Mars/Olympus_Mons"}, "UTC"),
        ({"time_zone": '"><script>'}, "UTC"),
    ]:
        django = _Django(data, initial={"time_zone": initial})
        ours = _Ours(data, initial={"time_zone": initial})
        theirs_html, ours_html = str(django["time_zone"]), str(ours["time_zone"])
        assert _options(ours_html) == _options(theirs_html)
        assert _select_attributes(ours_html) == _select_attributes(theirs_html)
        if data:
            assert ours.is_valid() == django.is_valid()
            assert ours.errors == django.errors


def test_the_chosen_zone_is_the_one_option_selected():
    html = str(_Ours(initial={"time_zone": "Asia/Kolkata"})["time_zone"])
    chosen = [o for o in _options(html) if " selected" in o]
    assert chosen == ['<option value="Asia/Kolkata" selected>Asia/Kolkata</option>']
    assert len(_options(html)) == len(zoneinfo.available_timezones())


def test_the_options_are_read_and_escaped_once_per_process(monkeypatch):
    str(_Ours()["time_zone"])  # built, if no page has built it yet

    def refuse(*args, **kwargs):
        raise AssertionError("read the system's zones again")

    monkeypatch.setattr(time_zones.zoneinfo, "available_timezones", refuse)
    monkeypatch.setattr(time_zones, "_option", refuse)
    started = time.perf_counter()
    for _ in range(20):
        form = _Ours({"time_zone": "Europe/Paris"})
        assert form.is_valid()
        assert "Europe/Paris" in str(form["time_zone"])
    # Twenty renders of Django's select take over a second; these, a few milliseconds.
    assert time.perf_counter() - started < 0.5


def test_the_profile_page_offers_the_zones_with_the_persons_own_chosen(client, cast):
    cast.mentee.time_zone = "Pacific/Auckland"
    cast.mentee.save(update_fields=["time_zone"])
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:profile")).content.decode()
    assert '<option value="Pacific/Auckland" selected>Pacific/Auckland</option>' in html
    assert html.count("<option value=") >= len(zoneinfo.available_timezones())
