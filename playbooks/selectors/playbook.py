from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Q
from django.template.defaultfilters import truncatewords_html
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from playbooks.markdown import render_markdown
from playbooks.models import (
    Playbook,
    Section,
    SectionStatus,
)
from programmes.models import Membership, Phase
from programmes.selectors.rows import id_prefix


def sections_of(playbook: Playbook) -> list[Section]:
    """The sections a playbook page shows, in template order, with their comment counts."""
    return list(
        playbook.sections.shown()
        .in_order()
        .select_related("template_section")
        .annotate(comment_count=Count("comments"))
    )


@lru_cache(maxsize=256)
def markdown_html(text: str) -> SafeString:
    """`render_markdown(text)`, remembered by each worker by the text itself, as
    `preview_html` is: a section's page shows its text and the template's guidance and
    example, the same for every reader until someone edits them."""
    return render_markdown(text)


@lru_cache(maxsize=512)
def preview_html(body: str) -> SafeString:
    """The first 30 words of a section's text as HTML, as the playbook page lists each
    section. Rendering Markdown is the dearest part of that page, and the same text always
    gives the same preview, so each worker keeps the last few hundred it drew, by the text
    itself: an edited text is another key, so nothing is ever stale."""
    # render_markdown's output is sanitised; truncating it keeps its tags balanced.
    return mark_safe(truncatewords_html(render_markdown(body), 30))  # nosec B308 B703


def listed(sections: list[Section], slug: str) -> list[Section]:
    """`sections` with what the playbook page lists for each: its address (`url`, one
    reverse() a page) and its text's preview (`preview`, see `preview_html`)."""
    prefix = id_prefix("playbooks:section", slug)
    for section in sections:
        section.url = f"{prefix}{section.pk}/"  # type: ignore[attr-defined]
        section.preview = preview_html(section.body) if section.body else ""  # type: ignore[attr-defined]
    return sections


@dataclass
class Progress:
    total: int
    complete: int
    ready: int
    drafting: int

    @property
    def not_started(self) -> int:
        return self.total - self.complete - self.ready - self.drafting


def progress_of(sections: list[Section]) -> Progress:
    current = [s for s in sections if not s.is_removed]
    count = lambda status: sum(1 for s in current if s.status == status)  # noqa: E731
    return Progress(
        total=len(current),
        complete=count(SectionStatus.COMPLETE),
        ready=count(SectionStatus.READY),
        drafting=count(SectionStatus.DRAFTING),
    )


def playbook_markdown(playbook: Playbook, sections: list[Section]) -> str:
    """The whole playbook as one Markdown document, for download."""
    membership = playbook.membership
    lines = [
        f"# {membership.user.display_name}: playbook",
        "",
        f"{membership.programme.name} · {timezone.localdate():%-d %B %Y}",
        "",
    ]
    for section in sections:
        removed = " (removed from the template)" if section.is_removed else ""
        lines += [f"## {section.title}{removed}", "", f"*{section.get_status_display()}*", ""]
        lines += [section.body.strip() or "_Not written yet._", ""]
    return "\n".join(lines)


def phase_sections(
    membership: Membership, phase: Phase, *, with_next: bool = False
) -> tuple[int, int, str]:
    """How the PLAYBOOK_SECTIONS criterion counts: (complete, needed) among the sections the
    phase names (all current ones when it names none), and, `with_next`, the title of the
    first one not complete."""
    sections = Section.objects.filter(
        playbook__membership=membership, template_section__archived_at__isnull=True
    )
    if phase.exit_sections:
        sections = sections.filter(template_section__title__in=phase.exit_sections)
    counts = sections.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=SectionStatus.COMPLETE))
    )
    if not with_next:
        return counts["done"], counts["total"], ""
    first_open = (
        sections.exclude(status=SectionStatus.COMPLETE)
        .order_by("template_section__position", "pk")
        .values_list("template_section__title", flat=True)
        .first()
    )
    return counts["done"], counts["total"], first_open or ""


def playbook_sections_complete(membership: Membership, phase: Phase) -> bool:
    """The PLAYBOOK_SECTIONS exit criterion: the sections the phase names (all current ones
    when it names none) are complete."""
    done, total, _ = phase_sections(membership, phase)
    return total > 0 and done == total
