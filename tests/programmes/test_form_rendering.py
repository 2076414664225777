"""`programmes.forms.rendering.PythonWidgets` writes exactly what Django's widget templates
write, for every widget it renders itself, bound and unbound, with errors and without."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from programmes.forms.dates import DateField, DateTimeField
from programmes.forms.rendering import RENDERER, PythonWidgets, field_html

pytestmark = pytest.mark.django_db


class Everything(forms.Form):
    text = forms.CharField(label="A <b>label</b>", help_text="Help & more", max_length=5)
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 5, "step": 5}))
    hidden = forms.IntegerField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField(required=False)
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    day = DateField(required=False)
    moment = DateTimeField(required=False)
    choice = forms.ChoiceField(choices=[("", "None"), ("a", "A & a"), ("b", '"B"')])
    grouped = forms.ChoiceField(
        choices=[("x", "X"), ("Group <1>", [("y", "Y"), ("z", "Z")])], required=False
    )
    radio = forms.ChoiceField(
        choices=[("", "Not said"), ("a", "A <a>")], widget=forms.RadioSelect, required=False
    )
    radio_grouped = forms.ChoiceField(
        choices=[("G", [("p", "P"), ("q", "Q")])], widget=forms.RadioSelect, required=False
    )
    ticks = forms.MultipleChoiceField(
        choices=[(1, "One"), (2, "Two & two")], widget=forms.CheckboxSelectMultiple
    )
    classed = forms.MultipleChoiceField(
        choices=[(1, "One")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "c"}),
        required=False,
    )
    flag = forms.BooleanField(required=False)


def _html(form: forms.Form) -> dict[str, str]:
    return {name: str(form[name]) + str(form[name].errors) for name in form.fields}


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "text": "far too long <x>",
            "number": "7",
            "hidden": "3",
            "area": "<script>",
            "day": "2026-01-02",
            "moment": "2026-01-02T09:30",
            "choice": "b",
            "grouped": "z",
            "radio": "a",
            "radio_grouped": "q",
            "ticks": ["2"],
            "classed": ["1"],
            "flag": "on",
        },
    ],
)
def test_python_widgets_write_what_the_templates_write(data):
    django_html = _html(Everything(data, renderer=DjangoTemplates()))
    python_html = _html(Everything(data, renderer=PythonWidgets()))
    assert python_html == django_html
    assert "<option" in python_html["choice"]


def test_field_html_is_the_session_field_template():
    from django.template.loader import render_to_string

    form = Everything({"radio": "a"}, renderer=RENDERER)
    for name, extra in [("text", ""), ("radio", "inline"), ("ticks", ""), ("area", "x")]:
        by_template = render_to_string(
            "mentoring/session_field.html", {"field": form[name], "extra_class": extra}
        )
        assert " ".join(field_html(form[name], extra_class=extra).split()) == " ".join(
            by_template.split()
        )
    labelled = field_html(form["text"], label="Note on “<i>”")
    assert '<label for="id_text">Note on “&lt;i&gt;”</label>' in labelled
