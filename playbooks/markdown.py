"""Markdown that mentees and leads write, rendered to HTML that is safe to show.

Two layers: markdown-it never passes raw HTML through and refuses dangerous link schemes;
nh3 then keeps only an allow-list of tags, attributes and URL schemes, whatever the first
layer let through. No images: a picture from elsewhere would tell its host who read it.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "s", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.enable(["table", "strikethrough"])


def render_markdown(text: str) -> SafeString:
    """HTML for `text`, with nothing in it that can run script or load anything."""
    if not text:
        return SafeString("")
    html = _parser.render(text)
    # A mentee's headings sit under the page's own; h1 would compete with the page title.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return mark_safe(sanitise_html(html))  # nosec B308 B703 # nh3 keeps only the allow-list


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
