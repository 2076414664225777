"""Markdown is rendered safely: whatever a person types, nothing in the page can run."""

from html.parser import HTMLParser

import pytest

from playbooks.markdown import ALLOWED_TAGS, render_markdown
from playbooks.models import Section
from playbooks.services.playbook import save_section

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](https://tracker.example/pixel.gif)",
    "<javascript:alert(1)>",
    '[x](https://ok.example "a" onmouseover="alert(1))',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<a href=# onclick=alert(1)>x</a>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    "<<script>script>alert(1)<</script>/script>",
    "`<script>` is fine in code, ```\n<script>alert(1)</script>\n```",
    "<!--<script>alert(1)</script>-->",
    "<style>*{background:url(javascript:alert(1))}</style>",
    '[a](https://example.org/"onmouseover="alert(1))',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
]

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class Inspector(HTMLParser):
    """Collects what a browser would act on: tags, event handlers, link targets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def inspect(html: str) -> Inspector:
    inspector = Inspector()
    inspector.feed(html)
    return inspector


def assert_nothing_executable(html: str) -> None:
    found = inspect(html)
    assert set(found.tags) <= ALLOWED_TAGS, found.tags
    for name, value in found.attributes:
        assert not name.startswith("on"), name
        assert name in {"href", "title", "rel", "start"}, name
        cleaned = "".join(value.split()).lower()
        assert not cleaned.startswith(DANGEROUS_SCHEMES), value


def test_there_are_at_least_thirty_payloads():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_renders_to_nothing_executable(payload):
    assert_nothing_executable(render_markdown(payload))


@pytest.mark.django_db
def test_every_payload_in_a_section_leaves_the_page_without_executable_content(client, cast):
    section = Section.objects.filter(playbook__membership=cast.mentee_membership).first()
    save_section(section=section, by=cast.mentee, body="\n\n".join(PAYLOADS), version=0)
    client.force_login(cast.mentor)
    page = client.get(section.get_absolute_url()).text
    start = page.index('<div class="markdown">')
    end = page.index("</div>", start)
    assert_nothing_executable(page[start + len('<div class="markdown">') : end])
    found = inspect(page)
    assert not any(name.startswith("on") for name, _ in found.attributes)
    assert "alert(1)</script>" not in page
    assert "<img" not in page.split("<main", 1)[1]


def test_ordinary_markdown_still_renders():
    html = render_markdown("## Plan\n\n- **Post** weekly\n- [My blog](https://example.org)")
    assert "<h2>Plan</h2>" in html
    assert "<strong>Post</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_a_top_level_heading_sits_under_the_page_title():
    assert render_markdown("# Mine") == "<h2>Mine</h2>\n"
