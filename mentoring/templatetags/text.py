"""Plain text written by the app (a notification's body) as HTML: its "- " lines as a list,
the rest as paragraphs with their line breaks. Every line is escaped."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def text_blocks(text: str | None, css_class: str = "") -> SafeString:
    """`text` as <p> and <ul> blocks: a run of lines starting "- " is a list, any other run
    of lines a paragraph (lines joined by <br>), blank lines end a block."""
    attrs = f' class="{escape(css_class)}"' if css_class else ""
    blocks: list[str] = []
    lines: list[str] = []
    items: list[str] = []

    def close() -> None:
        if lines:
            blocks.append(f"<p{attrs}>" + "<br>".join(lines) + "</p>")
            lines.clear()
        if items:
            blocks.append(f"<ul{attrs}>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for line in str(text or "").splitlines():
        stripped = line.strip()
        if not stripped:
            close()
        elif stripped.startswith("- "):
            if lines:
                close()
            items.append(escape(stripped[2:]))
        else:
            if items:
                close()
            lines.append(escape(stripped))
    close()
    return mark_safe("".join(blocks))  # nosec B308 B703: every line is escaped above
