"""Playbooks: the programme's template, each mentee's playbook, saving without losing a word,
review and comments.

A section ready for review, a comment, a section completed or sent back: each is a
notification (`programmes/services/notification.py`) to the other side, in the app at once
and, unless they chose otherwise, by email after their quiet hours.

Every change to a section, or to the template's sections, ends with `summarise`, which keeps
on each playbook where its sections stand, for the pace sweep."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from playbooks.blueprints import DEFAULT_SECTIONS, SectionBlueprint
from playbooks.models import (
    Playbook,
    Section,
    SectionComment,
    SectionRevision,
    SectionStatus,
    TemplateSection,
)
from programmes.errors import Conflict, Invalid, NotAllowed
from programmes.models import (
    AuditAction,
    Membership,
    Notification,
    NotificationKind,
    Phase,
    Programme,
    Role,
)
from programmes.ordering import swap_with_neighbour
from programmes.policy import (
    Actor,
    actor,
    can_review,
    is_own,
    mentors,
    mentors_of,
    require,
    require_lead,
)
from programmes.services import audit
from programmes.services.notification import event_period, notify, put_to_rest, record_action
from programmes.services.progress import check_progress

# Autosaves by one person within this long of starting a revision update that revision.
SITTING = timedelta(minutes=10)


class PlaybookError(Invalid):
    """A change that cannot be made; the message says why, for the person who tried."""


class StaleSection(PlaybookError, Conflict):
    """A save started from an older version than the one stored. Nothing was overwritten:
    `section` holds what is saved now and `sent` what the person tried to save."""

    def __init__(self, section: Section, sent: str) -> None:
        super().__init__(
            "This section was changed somewhere else (another tab or device) after you "
            "opened it, so your text was not saved over it."
        )
        self.section = section
        self.sent = sent


def _check_title(programme: Programme, title: str, *, exclude: int | None = None) -> str:
    title = " ".join(title.split())
    if not title:
        raise PlaybookError("Give the section a title.")
    clash = TemplateSection.objects.current().filter(programme=programme, title__iexact=title)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise PlaybookError(f"There is already a section called “{title}”.")
    return title


def _add_to_every_playbook(items: list[TemplateSection]) -> None:
    """Give every mentee of the items' programme an empty section for each item."""
    if not items:
        return
    playbooks = Playbook.objects.filter(membership__programme_id=items[0].programme_id)
    Section.objects.bulk_create(
        [Section(playbook=p, template_section=item) for p in playbooks for item in items],
        ignore_conflicts=True,
    )
    _summarise_now(playbooks)


def summarise(playbooks: QuerySet[Playbook]) -> int:
    """Keep on each of `playbooks` where its sections stand, as the pace sweep reads it:
    when one was last saved, how many wait for review and since when, and which comes next.
    One UPDATE however many playbooks; call it after any change to their sections or to
    their programme's template. Returns how many playbooks it updated."""
    sections = Section.objects.filter(playbook=OuterRef("pk")).order_by().values("playbook")
    ready = sections.filter(status=SectionStatus.READY)
    following = (
        Section.objects.filter(
            playbook=OuterRef("pk"),
            template_section__archived_at__isnull=True,
            status__in=[SectionStatus.NOT_STARTED, SectionStatus.DRAFTING],
        )
        .order_by("template_section__position", "pk")
        .values("template_section_id")[:1]
    )
    return playbooks.update(
        written_at=Subquery(sections.annotate(last=Max("updated_at")).values("last")),
        sections_ready=Coalesce(Subquery(ready.annotate(n=Count("pk")).values("n")), 0),
        ready_since=Subquery(ready.annotate(since=Min("status_changed_at")).values("since")),
        next_section=Subquery(following),
    )


def _summarise_now(playbooks: QuerySet[Playbook]) -> None:
    """`summarise`, inside a service's transaction, after it changed sections: the rows are
    locked first, in one order. Someone else changing the same playbook meanwhile holds its
    row until they commit, and this waits there; the UPDATE that follows then reads their
    change. (An UPDATE that itself waited for the row would read the sections as they stood
    before it waited, and leave their change out.)"""
    list(playbooks.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
    summarise(playbooks)


def _summarise_programme(programme_id: int) -> None:
    """After a change to the template: every playbook of its programme."""
    _summarise_now(Playbook.objects.filter(membership__programme_id=programme_id))


def _summarise_one(playbook_id: int) -> None:
    _summarise_now(Playbook.objects.filter(pk=playbook_id))


@transaction.atomic
def create_default_template(*, programme: Programme, by: Actor) -> list[TemplateSection]:
    """The built-in sections for a thought-leadership playbook."""
    require_lead(by, programme)
    return _create_sections(programme, DEFAULT_SECTIONS)


@transaction.atomic
def copy_template(*, source: Programme, programme: Programme, by: Actor) -> list[TemplateSection]:
    """The source programme's current sections, for a programme duplicated from it."""
    require_lead(by, programme)
    blueprints = [
        SectionBlueprint(item.title, item.guidance, item.prompts, item.example)
        for item in TemplateSection.objects.current().filter(programme=source)
    ]
    return _create_sections(programme, blueprints)


def _create_sections(
    programme: Programme, blueprints: Iterable[SectionBlueprint]
) -> list[TemplateSection]:
    items = TemplateSection.objects.bulk_create(
        TemplateSection(
            programme=programme,
            position=i,
            title=b.title,
            guidance=b.guidance,
            prompts=b.prompts,
            example=b.example,
        )
        for i, b in enumerate(blueprints, start=1)
    )
    _add_to_every_playbook(items)
    return items


@transaction.atomic
@audit.audited(AuditAction.TEMPLATE_CHANGED, audit.template_summary("Added"))
def add_template_section(
    *,
    programme: Programme,
    by: Actor,
    title: str,
    guidance: str = "",
    prompts: str = "",
    example: str = "",
) -> TemplateSection:
    """Add a section at the end; every mentee's playbook gains it, empty."""
    require_lead(by, programme)
    title = _check_title(programme, title)
    last = TemplateSection.objects.filter(programme=programme).aggregate(m=Max("position"))["m"]
    item = TemplateSection.objects.create(
        programme=programme,
        position=(last or 0) + 1,
        title=title,
        guidance=guidance,
        prompts=prompts,
        example=example,
    )
    _add_to_every_playbook([item])
    return item


@transaction.atomic
@audit.audited(AuditAction.TEMPLATE_CHANGED, audit.template_summary("Changed"))
def change_template_section(
    *, item: TemplateSection, by: Actor, title: str, guidance: str, prompts: str, example: str
) -> TemplateSection:
    """Rename or re-describe a section. Every playbook shows the change at once (they point
    at this row); phases that name the section by title follow the rename."""
    require_lead(by, item.programme_id)
    item = TemplateSection.objects.select_for_update().get(pk=item.pk)
    if item.archived_at is not None:
        raise PlaybookError("That section has been removed from the template.")
    old_title, item.title = item.title, _check_title(item.programme, title, exclude=item.pk)
    item.guidance, item.prompts, item.example = guidance, prompts, example
    item.save(update_fields=["title", "guidance", "prompts", "example"])
    if old_title != item.title:
        for phase in Phase.objects.filter(programme=item.programme_id):
            if old_title in phase.exit_sections:
                phase.exit_sections = [
                    item.title if t == old_title else t for t in phase.exit_sections
                ]
                phase.save(update_fields=["exit_sections"])
    return item


@transaction.atomic
@audit.audited(AuditAction.TEMPLATE_CHANGED, audit.template_summary("Moved"))
def move_template_section(*, item: TemplateSection, by: Actor, up: bool) -> TemplateSection:
    require_lead(by, item.programme_id)
    siblings = TemplateSection.objects.current().filter(programme=item.programme_id)
    if not swap_with_neighbour(siblings, item, up=up):
        raise PlaybookError("That section is already at the " + ("top." if up else "bottom."))
    _summarise_programme(item.programme_id)
    return item


@transaction.atomic
@audit.audited(AuditAction.TEMPLATE_CHANGED, audit.template_summary("Removed"))
def remove_template_section(*, item: TemplateSection, by: Actor) -> TemplateSection:
    """Take a section out of the template. Nothing anyone wrote is deleted: a mentee who
    wrote in it still sees their text, marked as removed from the template."""
    require_lead(by, item.programme_id)
    updated = TemplateSection.objects.filter(pk=item.pk, archived_at__isnull=True).update(
        archived_at=timezone.now()
    )
    if not updated:
        raise PlaybookError("That section has already been removed.")
    item.refresh_from_db()
    _summarise_programme(item.programme_id)
    return item


@transaction.atomic
def create_playbook(*, membership: Membership, by: Actor) -> Playbook:
    """A mentee's playbook with an empty section for each current template section.
    Safe to call again: it only adds what is missing."""
    require_lead(by, membership.programme_id)
    if membership.role != Role.MENTEE:
        raise PlaybookError("Only mentees have a playbook.")
    playbook, _ = Playbook.objects.get_or_create(membership=membership)
    items = TemplateSection.objects.current().filter(programme=membership.programme_id)
    Section.objects.bulk_create(
        [Section(playbook=playbook, template_section=item) for item in items],
        ignore_conflicts=True,
    )
    _summarise_one(playbook.pk)
    return playbook


def _require_author(section: Section, by: Actor) -> None:
    # The mentee does the work: not their mentor, not a lead, not the system.
    require(is_own(by, section.playbook.membership), "Only the mentee writes in their playbook.")


def _require_mentor(section: Section, by: Actor) -> None:
    require(
        can_review(by, section.playbook.membership),
        "Only the mentee's mentor reviews their playbook.",
    )


def _record_revision(
    section: Section, *, by: Actor, at: datetime, note: str = "", editor: str = ""
) -> None:
    latest = section.revisions.order_by("-saved_at", "-pk").first()
    if (
        not note
        and editor
        and latest is not None
        and not latest.note
        and latest.by_id == by.pk
        and latest.editor == editor
        and at - latest.started_at < SITTING
    ):
        latest.body, latest.version, latest.saved_at = section.body, section.version, at
        latest.save(update_fields=["body", "version", "saved_at"])
        return
    SectionRevision.objects.create(
        section=section,
        version=section.version,
        body=section.body,
        by=by,
        started_at=at,
        saved_at=at,
        note=note,
        editor=editor,
    )


@transaction.atomic
def save_section(
    *, section: Section, by: Actor, body: str, version: int, note: str = "", editor: str = ""
) -> Section:
    """Save the mentee's text if nobody saved since `version`; otherwise raise StaleSection
    and change nothing. Returns the section with its new version."""
    _require_author(section, by)
    # NUL can't be stored (PostgreSQL refuses it) and never means anything in a text; nor
    # can half of a UTF-16 pair (a lone surrogate), which no browser sends but a script might.
    body = body.replace("\r\n", "\n").replace("\x00", "")
    body = body.encode("utf-8", "replace").decode("utf-8")
    current = Section.objects.select_related("template_section").get(pk=section.pk)
    if current.status == SectionStatus.COMPLETE:
        raise PlaybookError("This section is complete. Reopen it to change it.")
    if current.version != version:
        raise StaleSection(current, body)
    if current.body == body and not note:
        return current
    at = timezone.now()
    status = current.status
    if status == SectionStatus.NOT_STARTED and body.strip():
        status = SectionStatus.DRAFTING
    # The version in the WHERE clause makes the check and the write one step, so two saves
    # racing from the same version cannot both win.
    updated = Section.objects.filter(pk=section.pk, version=version).update(
        body=body, version=F("version") + 1, updated_at=at, status=status
    )
    if not updated:
        raise StaleSection(Section.objects.get(pk=section.pk), body)
    _summarise_one(current.playbook_id)
    current.refresh_from_db()
    _record_revision(current, by=by, at=at, note=note, editor=editor)
    record_action(user=by, action="section", mentee=section.playbook.membership, at=at)
    return current


@transaction.atomic
def restore_revision(*, revision: SectionRevision, by: Actor, version: int) -> Section:
    """Make an earlier revision's text the current one; the text it replaces stays in the
    history as a revision of its own."""
    note = f"Restored the text from {timezone.localtime(revision.saved_at):%-d %b %Y %H:%M}"
    return save_section(
        section=revision.section, by=by, body=revision.body, version=version, note=note
    )


def _set_status(section: Section, status: str, *, by: Actor, allowed: Collection[str]) -> Section:
    at = timezone.now()
    updated = Section.objects.filter(pk=section.pk, status__in=allowed).update(
        status=status, status_changed_at=at, status_changed_by=actor(by)
    )
    if not updated:
        section.refresh_from_db()
        raise PlaybookError(f"This section is {section.get_status_display().lower()} now.")
    _summarise_one(section.playbook_id)
    if status != SectionStatus.READY:
        # Reviewed, or taken back: "ready for review" asks nothing more of anyone.
        put_to_rest(
            Notification.objects.filter(
                about_id=section.playbook.membership_id,  # through its index
                kind=NotificationKind.SECTION_READY,
                period__startswith=event_period(NotificationKind.SECTION_READY, f"{section.pk}:"),
            )
        )
    section.refresh_from_db()
    return section


@transaction.atomic
def submit_section_for_review(
    *,
    section: Section,
    by: Actor,
    body: str | None = None,
    version: int | None = None,
    editor: str = "",
) -> Section:
    """The mentee says a section is ready; their mentor is told (the section's title, not
    its text). With `body` and `version` (from the editor), the text as it stands is saved
    first, in the same transaction: refused, neither happens."""
    _require_author(section, by)
    if body is not None and version is not None:
        section = save_section(section=section, by=by, body=body, version=version, editor=editor)
    if not section.body.strip():
        raise PlaybookError("Write something first: an empty section cannot be reviewed.")
    section = _set_status(section, SectionStatus.READY, by=by, allowed={SectionStatus.DRAFTING})
    mentee = section.playbook.membership
    who = mentee.user.display_name
    changed_at = section.status_changed_at or timezone.now()
    notify(
        mentors_of(mentee).values_list("user_id", flat=True),
        kind=NotificationKind.SECTION_READY,
        # Each time it is marked ready is its own news.
        key=f"{section.pk}:{changed_at.isoformat()}",
        title=f"{who} marked “{section.template_section.title}” ready for review",
        body="Read it, comment, and mark it complete or send it back.",
        reason=f"You mentor {who} in {mentee.programme.name}.",
        link=_section_page(section),
        programme=mentee.programme,
        about=mentee,
        exclude=by,
    )
    record_action(user=by, action="section", mentee=mentee)
    return section


def _section_page(section: Section, anchor: str = "") -> str:
    mentee = section.playbook.membership
    slug = mentee.programme.slug
    return reverse("playbooks:section", kwargs={"slug": slug, "section": section.pk}) + anchor


@transaction.atomic
def reopen_section(*, section: Section, by: Actor, body: str | None = None) -> Section:
    """The mentee takes a section back into drafting, to change it. With `body` (the text
    they were writing when their mentor marked it complete), that text is saved too, in the
    same step: what they wrote is kept, and the text it replaces stays in the history."""
    _require_author(section, by)
    allowed = {SectionStatus.READY, SectionStatus.COMPLETE}
    if body is None:
        return _set_status(section, SectionStatus.DRAFTING, by=by, allowed=allowed)
    section = Section.objects.select_for_update().get(pk=section.pk)
    if section.status in allowed:
        section = _set_status(section, SectionStatus.DRAFTING, by=by, allowed=allowed)
    # Already back in drafting (the mentor sent it back meanwhile): the text is saved all
    # the same, on top of whatever is there now, which stays in the history.
    note = "Reopened after it was marked complete, with the text written meanwhile"
    return save_section(section=section, by=by, body=body, version=section.version, note=note)


def _tell_reviewed(section: Section, *, by: Actor, key: str, title: str, body: str = "") -> None:
    """Tell the mentee their mentor reviewed a section: the section's title, never its text
    or the mentor's comment, which they read on the section's page."""
    mentee = section.playbook.membership
    notify(
        [mentee.user_id],
        kind=NotificationKind.SECTION_REVIEWED,
        key=f"{section.pk}:{key}",
        title=title,
        body=body,
        reason=f"It is your playbook in {mentee.programme.name}.",
        link=_section_page(section),
        programme=mentee.programme,
        about=mentee,
        exclude=by,
    )
    record_action(user=by, action="review", mentee=mentee)


@transaction.atomic
def complete_section(*, section: Section, by: Actor, version: int | None = None) -> Section:
    """The mentor marks a section complete. The mentee is told, and moves on if that
    completes their phase. With `version` (the one the mentor read), a text the mentee has
    changed since is not approved unread. (`link` is no longer used: the notification links
    to the section itself.)"""
    _require_mentor(section, by)
    allowed = {SectionStatus.DRAFTING, SectionStatus.READY}
    section = (
        Section.objects.select_for_update().select_related("template_section").get(pk=section.pk)
    )
    if version is not None and section.version != version:
        raise PlaybookError(
            "The text has changed since you opened it; read the new version before "
            "marking it complete."
        )
    if section.template_section.archived_at is not None:
        raise PlaybookError("This section was removed from the template; it can't be completed.")
    if not section.body.strip():
        raise PlaybookError("There is nothing written in this section yet.")
    section = _set_status(section, SectionStatus.COMPLETE, by=by, allowed=allowed)
    _tell_reviewed(
        section,
        by=by,
        key=f"complete:{section.status_changed_at}",
        title=f"{by.display_name} marked “{section.template_section.title}” complete",
        body="Well done.",
    )
    check_progress(membership=section.playbook.membership)
    return section


@transaction.atomic
def send_section_back(*, section: Section, by: Actor, comment: str) -> SectionComment:
    """The mentor sends a section back to drafting, saying what to work on; the mentee is
    told, and reads the comment on the section."""
    _require_mentor(section, by)
    if not comment.strip():
        raise PlaybookError("Say what to work on, so your partner knows what to change.")
    allowed = {SectionStatus.READY, SectionStatus.COMPLETE}
    section = _set_status(section, SectionStatus.DRAFTING, by=by, allowed=allowed)
    note = SectionComment.objects.create(
        section=section, author=by, kind=SectionComment.Kind.SENT_BACK, body=comment.strip()
    )
    _tell_reviewed(
        section,
        by=by,
        key=f"sent_back:{note.pk}",
        title=f"{by.display_name} sent “{section.template_section.title}” back to you",
        body="Open the section to read what to work on.",
    )
    return note


@transaction.atomic
def comment_on_section(
    *, section: Section, by: Actor, body: str, parent: SectionComment | None = None
) -> SectionComment:
    """A comment by the mentee or their mentor; the other one is told that there is one
    (not what it says: they read it on the section). A reply joins the thread of the
    comment it answers."""
    mentee = section.playbook.membership
    if is_own(by, mentee):
        recipients = list(mentors_of(mentee).values_list("user_id", flat=True))
        reason = f"You mentor {mentee.user.display_name} in {mentee.programme.name}."
    elif mentors(by, mentee):
        recipients = [mentee.user_id]
        reason = f"It is your playbook in {mentee.programme.name}."
    else:
        raise NotAllowed("Only the mentee and their mentor comment on a playbook.")
    if not body.strip():
        raise PlaybookError("Write a comment first.")
    if parent is not None:
        if parent.section_id != section.pk:
            raise PlaybookError("That comment belongs to another section.")
        parent = parent.parent or parent
    comment = SectionComment.objects.create(
        section=section, author=by, body=body.strip(), parent=parent
    )
    title = section.template_section.title
    notify(
        recipients,
        kind=NotificationKind.SECTION_COMMENT,
        key=comment.pk,
        title=f"{by.display_name} {'replied' if parent else 'commented'} on “{title}”",
        body="Open the section to read it and reply.",
        reason=reason,
        link=_section_page(section, "#comments"),
        programme=mentee.programme,
        about=mentee,
        exclude=by,
    )
    return comment
