"""What a browser reads from a page's forms and sends back, for tests that submit a form
exactly as a person would who changed nothing.

A browser keeps a date, date-and-time or time input's value only when it is an ISO value
(the HTML standard's "value sanitization"); anything else, such as 06/12/2026, it shows as
empty and submits empty. `submission` does the same, so a page that writes a date the
browser can't read loses that date here as it would in a real browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from html.parser import HTMLParser

DATE_TYPES = ("date", "datetime-local", "time")
NOT_SUBMITTED = ("submit", "button", "image", "reset", "file")


def browser_accepts(input_type: str, value: str) -> bool:
    """Whether a browser keeps `value` in an `<input type=input_type>` (empty always is)."""
    if value == "":
        return True
    try:
        if input_type == "date":
            return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(
                date.fromisoformat(value)
            )
        if input_type == "datetime-local":
            return bool(
                re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?", value)
            ) and bool(datetime.fromisoformat(value))
        if input_type == "time":
            return bool(re.fullmatch(r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?", value)) and bool(
                time.fromisoformat(value)
            )
    except ValueError:
        return False
    return True


@dataclass
class Control:
    tag: str  # input, select, textarea, button
    attrs: dict[str, str]
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)
    text: str = ""

    @property
    def name(self) -> str:
        return self.attrs.get("name", "")

    @property
    def type(self) -> str:
        default = "submit" if self.tag == "button" else "text"
        return self.attrs.get("type", default).lower()


@dataclass
class Form:
    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)

    @property
    def action(self) -> str:
        return self.attrs.get("action", "")

    def has(self, name: str) -> bool:
        return any(control.name == name for control in self.controls)

    def submission(self, *, press: str | None = None) -> dict[str, list[str]]:
        """What the browser posts when the button named `press` is pressed (the first
        submit button when None), with nothing changed."""
        data: dict[str, list[str]] = {}
        pressed = self._button(press)
        for control in self.controls:
            if not control.name or "disabled" in control.attrs:
                continue
            value = self._value(control, pressed)
            if value is not None:
                for one in value:
                    data.setdefault(control.name, []).append(one)
        return data

    def _button(self, press: str | None) -> Control | None:
        buttons = [c for c in self.controls if c.type in ("submit", "image")]
        if press is None:
            return buttons[0] if buttons else None
        for button in buttons:
            if button.name == press:
                return button
        raise AssertionError(f"no button named {press!r} in the form")

    @staticmethod
    def _value(control: Control, pressed: Control | None) -> list[str] | None:
        if control.tag == "textarea":
            return [control.text.removeprefix("\r\n").removeprefix("\n")]
        if control.tag == "select":
            chosen = [value for value, selected in control.options if selected]
            if not chosen and "multiple" not in control.attrs and control.options:
                chosen = [control.options[0][0]]
            return chosen
        kind = control.type
        if kind in NOT_SUBMITTED:
            return [control.attrs.get("value", "")] if control is pressed else None
        if kind in ("checkbox", "radio"):
            return [control.attrs.get("value", "on")] if "checked" in control.attrs else None
        value = control.attrs.get("value", "")
        if kind in DATE_TYPES and not browser_accepts(kind, value):
            value = ""  # what the browser shows, and so sends
        return [value]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.inputs: list[Control] = []
        self._form: Form | None = None
        self._open: Control | None = None  # the select, textarea or option being read
        self._select: Control | None = None
        self._option: dict[str, str] | None = None
        self._option_text = ""

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attrs_list}
        if tag == "form":
            self._form = Form(attrs)
            self.forms.append(self._form)
        elif tag in ("input", "button", "select", "textarea"):
            control = Control(tag, attrs)
            if tag == "input":
                self.inputs.append(control)
            if self._form is not None:
                self._form.controls.append(control)
            if tag == "select":
                self._select = control
            elif tag == "textarea":
                self._open = control
        elif tag == "option" and self._select is not None:
            self._close_option()
            self._option, self._option_text = attrs, ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.text += data
        elif self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._open = None
        elif tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self._select = None

    def _close_option(self) -> None:
        if self._option is None or self._select is None:
            return
        value = self._option.get("value", self._option_text.strip())
        self._select.options.append((value, "selected" in self._option))
        self._option = None


def read(html: str) -> tuple[list[Form], list[Control]]:
    """The page's forms, and every `<input>` on it, in or out of a form."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.forms, reader.inputs


def forms_on(html: str) -> list[Form]:
    return read(html)[0]


def the_form(html: str, *, having: str) -> Form:
    """The one form on the page with a control named `having`."""
    found = [form for form in forms_on(html) if form.has(having)]
    assert len(found) == 1, f"{len(found)} forms have a control named {having!r}"
    return found[0]


def date_inputs(html: str) -> list[Control]:
    return [control for control in read(html)[1] if control.type in DATE_TYPES]
