"""Playbook templates and each mentee's playbook: sections, revisions, review and comments.

A mentee's section points at its template section, so a lead's rename or new guidance
reaches every playbook at once. Template sections are archived, never deleted, so no text a
mentee wrote is ever removed with them.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from playbooks.markdown import render_markdown
from programmes.models import Membership, Programme, Role


class TemplateSectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A programme's template is read by its members and edited by its leads."""
        return self.filter(programme__in=Programme.objects.visible_to(user))

    def current(self) -> Self:
        return self.filter(archived_at__isnull=True)


class TemplateSection(models.Model):
    """One section of a programme's playbook template, with what helps a mentee write it."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="playbook_sections"
    )
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    guidance = models.TextField(blank=True, help_text="What this section is for. Markdown.")
    prompts = models.TextField(blank=True, help_text="Questions to answer, one a line.")
    example = models.TextField(blank=True, help_text="An example answer. Markdown.")
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = TemplateSectionQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "position", "pk"]
        indexes = [models.Index(fields=["programme", "position"], name="template_section_position")]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title"],
                condition=Q(archived_at__isnull=True),
                name="one_current_template_section_per_title",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def prompt_list(self) -> list[str]:
        return [line.strip() for line in self.prompts.splitlines() if line.strip()]

    @property
    def guidance_html(self) -> str:
        return render_markdown(self.guidance)

    @property
    def example_html(self) -> str:
        return render_markdown(self.example)


class PlaybookQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A playbook is seen by its mentee, their current mentor and the programme's leads."""
        return self.filter(membership__in=Membership.objects.visible_to(user)).select_related(
            "membership__user", "membership__programme"
        )


class Playbook(models.Model):
    """One mentee's playbook, created when they join."""

    membership = models.OneToOneField(
        Membership,
        on_delete=models.CASCADE,
        related_name="playbook",
        limit_choices_to={"role": Role.MENTEE},
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Where the sections stand, kept by every service that changes them or the template
    # (`playbooks.services.playbook.summarise`): the pace sweep reads this one row a mentee
    # rather than each of their sections (which was a fifth of its reading).
    written_at = models.DateTimeField(
        null=True, blank=True, help_text="When a section was last saved."
    )
    sections_ready = models.PositiveSmallIntegerField(
        default=0, help_text="How many sections wait for the mentor's review."
    )
    ready_since = models.DateTimeField(
        null=True, blank=True, help_text="Since when the longest-waiting of them has waited."
    )
    next_section = models.ForeignKey(
        TemplateSection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The first current section, in the template's order, not yet written or "
        "still in draft.",
    )

    objects = PlaybookQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Playbook of {self.membership.user}"

    def get_absolute_url(self) -> str:
        return reverse(
            "playbooks:member_playbook",
            kwargs={"slug": self.membership.programme.slug, "member": self.membership_id},
        )


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFTING = "drafting", "Drafting"
    READY = "ready", "Ready for review"
    COMPLETE = "complete", "Complete"


class SectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A section is seen by whoever may see its playbook."""
        return self.filter(
            playbook__membership__in=Membership.objects.visible_to(user)
        ).select_related(
            "template_section",
            "playbook__membership__user",
            "playbook__membership__programme",
        )

    def shown(self) -> Self:
        """Current sections, and removed ones that still hold text."""
        return self.filter(Q(template_section__archived_at__isnull=True) | ~Q(body=""))

    def in_order(self) -> Self:
        return self.order_by("template_section__position", "template_section_id")


class Section(models.Model):
    """A mentee's text for one template section. `version` rises by one with every save;
    a save must name the version it started from."""

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="sections")
    template_section = models.ForeignKey(
        TemplateSection, on_delete=models.PROTECT, related_name="mentee_sections"
    )
    body = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=SectionStatus, default=SectionStatus.NOT_STARTED
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["playbook", "template_section"], name="one_section_per_template_section"
            )
        ]
        indexes = [models.Index(fields=["template_section", "status"], name="section_status")]

    def __str__(self) -> str:
        return f"{self.template_section.title} ({self.playbook.membership.user})"

    def get_absolute_url(self) -> str:
        return reverse(
            "playbooks:section",
            kwargs={"slug": self.playbook.membership.programme.slug, "section": self.pk},
        )

    @property
    def title(self) -> str:
        return self.template_section.title

    @property
    def is_removed(self) -> bool:
        return self.template_section.archived_at is not None

    @property
    def body_html(self) -> str:
        return render_markdown(self.body)


class SectionRevisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return self.filter(section__in=Section.objects.visible_to(user)).select_related("by")


class SectionRevision(models.Model):
    """The text of a section as one person left it. A run of autosaves by the same person
    within a few minutes updates one revision, so the history reads as sittings, not
    keystrokes; any other save starts a new one."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    body = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    saved_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)
    editor = models.CharField(max_length=32, blank=True)

    objects = SectionRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["section", "-saved_at", "-pk"]
        indexes = [models.Index(fields=["section", "saved_at"], name="revision_section_saved")]

    def __str__(self) -> str:
        return f"{self.section} v{self.version}"

    @property
    def body_html(self) -> str:
        return render_markdown(self.body)


class SectionCommentQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return self.filter(section__in=Section.objects.visible_to(user)).select_related("author")


class SectionComment(models.Model):
    """A comment on a section by the mentee or their mentor. A comment with no `parent`
    starts a thread; replies point at it."""

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        SENT_BACK = "sent_back", "Sent back"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.COMMENT)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = SectionCommentQuerySet.as_manager()

    class Meta:
        ordering = ["section", "created_at", "pk"]
        indexes = [models.Index(fields=["section", "created_at"], name="comment_section_created")]

    def __str__(self) -> str:
        return f"{self.author} on {self.section_id}"
