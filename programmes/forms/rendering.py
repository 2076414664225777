"""Form fields rendered in Python, for every form (settings.FORM_RENDERER).

Django renders each widget through its templates: a `<select>` or a group of radio buttons
is one template render per option, plus one for its attributes, and each field's empty error
list is another. On the session log that was some 250 template renders a request, most of
the page's time. `PythonWidgets` is a form renderer that writes the same HTML as Django's
own widget templates in Python (the tests compare the two for every widget it knows), and
hands anything else to those templates. `field_html` writes the field's label, errors, widget
and help text as `templates/mentoring/session_field.html` does.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString, mark_safe

type Widget = Mapping[str, Any]


def _e(value: Any) -> str:
    """As `{{ value }}` or `{{ value|stringformat:'s' }}` writes it: escaped unless safe
    (`conditional_escape`, whose `escape` is `html.escape`, without its wrapping)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_e(name)}" if value is True else f' {_e(name)}="{_e(value)}"')
    return "".join(out)


def _input(w: Widget) -> str:
    """django/forms/widgets/input.html, without its closing newline."""
    value = f' value="{_e(w["value"])}"' if w["value"] is not None else ""
    return f'<input type="{_e(w["type"])}" name="{_e(w["name"])}"{value}{_attrs(w["attrs"])}>'


def _textarea(w: Widget) -> str:
    value = _e(w["value"]) if w["value"] else ""
    return f'<textarea name="{_e(w["name"])}"{_attrs(w["attrs"])}>\n{value}</textarea>'


def _select(w: Widget) -> str:
    out = [f'<select name="{_e(w["name"])}"{_attrs(w["attrs"])}>']
    for group, options, _index in w["optgroups"]:
        if group:
            out.append(f'\n  <optgroup label="{_e(group)}">')
        for o in options:
            out.append(f'\n  <option value="{_e(o["value"])}"{_attrs(o["attrs"])}>')
            out.append(f"{_e(o['label'])}</option>\n")
        if group:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _option_input(o: Widget) -> str:
    """input_option.html within radio_option.html or checkbox_option.html."""
    if not o["wrap_label"]:
        return _input(o) + "\n\n\n"
    for_id = f' for="{_e(o["attrs"]["id"])}"' if o["attrs"].get("id") else ""
    return f"<label{for_id}>{_input(o)}\n {_e(o['label'])}</label>\n\n"


def _multiple(w: Widget) -> str:
    """django/forms/widgets/multiple_input.html (radio buttons and checkboxes)."""
    id_ = w["attrs"].get("id")
    class_ = w["attrs"].get("class")
    out = [
        "<div",
        f' id="{_e(id_)}"' if id_ else "",
        f' class="{_e(class_)}"' if class_ else "",
        ">",
    ]
    for group, options, _index in w["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_e(group)}</label>")
        for o in options:
            if o["template_name"] not in _OPTIONS:
                return ""  # not one of Django's own options: the templates render it
            out.append(f"<div>\n    {_option_input(o)}</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>")
    return "".join(out)


_OPTIONS = {
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_option.html",
}
_INPUTS = ("text", "number", "email", "url", "tel", "password", "hidden", "date", "datetime")
_RENDER: dict[str, Callable[[Widget], str]] = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/radio.html": _multiple,
    "django/forms/widgets/checkbox_select.html": _multiple,
}
_ERRORS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


class PythonWidgets(DjangoTemplates):
    """Django's form renderer, with its common widgets and an empty error list written in
    Python. What it doesn't know (a custom template, an option of another kind, a list of
    errors to show) goes through the templates as before."""

    def render(self, template_name: str, context: dict, request: Any = None) -> str:
        if template_name in _ERRORS and not context["errors"]:
            return ""
        render = _RENDER.get(template_name)
        if render is not None and "widget" in context:
            written = render(context["widget"])
            if written:
                return written
        return super().render(template_name, context, request)


RENDERER = PythonWidgets()


def field_html(field: BoundField, *, label: str = "", extra_class: str = "") -> SafeString:
    """One field as `templates/mentoring/session_field.html` writes it: a fieldset with a
    legend for radio and checkbox groups, else a label."""
    classes = "field" + (" field--error" if field.errors else "")
    if extra_class:
        classes += f" {_e(extra_class)}"
    text = _e(label or field.label)
    help_ = ""
    if field.help_text:
        help_ = (
            f'<span class="field__help" id="{_e(field.auto_id)}_helptext">'
            f"{_e(field.help_text)}</span>"
        )
    if field.use_fieldset:
        head, tail = f'<fieldset class="{classes}">\n  <legend>{text}</legend>', "</fieldset>"
    else:
        head = f'<div class="{classes}">\n  <label for="{_e(field.id_for_label)}">{text}</label>'
        tail = "</div>"
    return mark_safe(  # nosec B703 B308 # every value is escaped above or by the renderer
        f"{head}\n  {field.errors}\n  {field}\n  {help_}\n{tail}"
    )


class FieldsHtml:
    """`form.html.<name>` in a template: the field through `field_html`, with the extra
    class `classes` gives it."""

    def __init__(self, form: Any, classes: Mapping[str, str] | None = None) -> None:
        self.form, self.classes = form, classes or {}

    def __getitem__(self, name: str) -> SafeString:
        return field_html(self.form[name], extra_class=self.classes.get(name, ""))


def fields_html(form: Any) -> SafeString:
    """Every field of `form` as `templates/allauth/elements/fields.html` writes them (what
    `{% element fields form=form %}` renders), without a template render per field."""
    out = []
    if form.non_field_errors():
        items = "".join(f"<li>{_e(error)}</li>" for error in form.non_field_errors())
        out.append(f'<ul class="errorlist nonfield" role="alert">{items}</ul>')
    for field in form:
        if field.is_hidden:
            out.append(str(field))
            continue
        check = field.widget_type == "checkbox"
        classes = "field" + (" field--error" if field.errors else "")
        classes += " field--check" if check else ""
        label = f'<label for="{_e(field.id_for_label)}">{_e(field.label)}</label>'
        if check:
            inner = f"{field}{label}\n  {field.errors}"
        else:
            inner = f"{label}\n  {field.errors}\n  {field}"
        help_ = ""
        if field.help_text:  # escaped unless marked safe: some name the programme's words
            help_ = f'\n  <span class="field__help" id="{_e(field.auto_id)}_helptext">'
            help_ += f"{_e(field.help_text)}</span>"
        out.append(f'<div class="{classes}">\n  {inner}{help_}\n</div>')
    return mark_safe("\n".join(out))  # nosec B703 B308 # escaped above and by the renderer
