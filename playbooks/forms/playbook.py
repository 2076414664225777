"""Forms for the playbook pages. They validate; services change things."""

from django import forms


class SectionForm(forms.Form):
    body = forms.CharField(
        label="Your text",
        required=False,
        strip=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 16, "class": "playbook-editor__text"}),
        help_text="Markdown: **bold**, *italic*, - lists, [links](https://…), ## headings.",
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # One value per page load: saves from the same editor fold into one revision, saves from
    # another tab (or after a conflict) never overwrite its revision.
    editor = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class TemplateSectionForm(forms.Form):
    title = forms.CharField(max_length=120)
    guidance = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the section is for and how to approach it. Markdown.",
    )
    prompts = forms.CharField(
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Questions to answer, one a line.",
    )
    example = forms.CharField(
        label="Example answer",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A good answer from an imagined senior leader. Markdown.",
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="What to work on",
        max_length=10_000,
        error_messages={"required": "Say what to work on, so your partner knows what to change."},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="They read it with the section; they are told it came back.",
    )
