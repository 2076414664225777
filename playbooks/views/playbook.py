"""Playbook pages inside one programme (`slug`): a mentee's playbook and its sections, the
mentor's review, the lead's template."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from playbooks.forms.playbook import (
    CommentForm,
    SectionForm,
    SendBackForm,
    TemplateSectionForm,
    VersionForm,
)
from playbooks.models import (
    Playbook,
    Section,
    SectionComment,
    SectionStatus,
    TemplateSection,
)
from playbooks.selectors.playbook import (
    listed,
    markdown_html,
    playbook_markdown,
    progress_of,
    sections_of,
)
from playbooks.services.playbook import (
    PlaybookError,
    StaleSection,
    add_template_section,
    change_template_section,
    comment_on_section,
    complete_section,
    move_template_section,
    remove_template_section,
    reopen_section,
    restore_revision,
    save_section,
    send_section_back,
    submit_section_for_review,
)
from programmes.access import AuthedRequest, ProgrammeAccess, programme_access
from programmes.errors import reported
from programmes.models import Role
from programmes.policy import mentors

# --- Fetching, with the access check -------------------------------------------------------


def _playbook(request: AuthedRequest, slug: str, member: int) -> tuple[ProgrammeAccess, Playbook]:
    access = programme_access(request, slug)
    playbook = get_object_or_404(
        Playbook.objects.visible_to(request.user),
        membership_id=member,
        membership__programme=access.programme,
    )
    return access, playbook


def _section(request: AuthedRequest, slug: str, section: int) -> tuple[ProgrammeAccess, Section]:
    access = programme_access(request, slug)
    mine = access.membership(Role.MENTEE)
    if mine is not None:
        # A section of their own playbook, the usual case, is theirs to see (the first rule of
        # Section.visible_to: their own membership, which programme_access found by their
        # user); anything else goes through visible_to as ever.
        own = (
            Section.objects.filter(pk=section, playbook__membership=mine)
            .select_related("template_section", "playbook")
            .first()
        )
        if own is not None:
            mine.user = request.user
            own.playbook.membership = mine
            return access, own
    found = get_object_or_404(
        Section.objects.visible_to(request.user),
        pk=section,
        playbook__membership__programme=access.programme,
    )
    return access, found


def _done(section: Section) -> HttpResponse:
    return redirect(section.get_absolute_url())


# --- The whole playbook ----------------------------------------------------------------------


@require_GET
def playbook(request: AuthedRequest, slug: str) -> HttpResponse:
    """A mentee's own playbook; for a mentor or lead, the playbooks they may read."""
    access = programme_access(request, slug)
    mine = access.membership(Role.MENTEE)
    if mine is not None:
        # Their own membership (programme_access found it by their user), so their own
        # playbook: the first rule of Playbook.visible_to, without working out everyone else
        # they may see.
        own = get_object_or_404(Playbook, membership=mine)
        mine.user = request.user
        own.membership = mine
        return _render_playbook(request, access, own)
    current = Q(sections__template_section__archived_at__isnull=True)
    playbooks = (
        Playbook.objects.visible_to(request.user)
        .filter(membership__programme=access.programme, membership__is_active=True)
        .annotate(
            total=Count("sections", filter=current),
            complete=Count("sections", filter=current & Q(sections__status=SectionStatus.COMPLETE)),
            ready=Count("sections", filter=current & Q(sections__status=SectionStatus.READY)),
        )
        .order_by("membership__user__name")
    )
    context = {"access": access, "tab": "playbook", "playbooks": playbooks}
    return render(request, "playbooks/playbook_list.html", context)


@require_GET
def member_playbook(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access, found = _playbook(request, slug, member)
    return _render_playbook(request, access, found)


def _render_playbook(request, access, found: Playbook) -> HttpResponse:
    sections = listed(sections_of(found), access.programme.slug)
    is_own = found.membership.user_id == request.user.pk
    # The mentor's "sections wait for your review" nudge lands here (#review): those
    # sections first, each a click from its review.
    reviewing = not is_own and mentors(request.user, found.membership)
    context = {
        "access": access,
        "tab": "playbook",
        "playbook": found,
        "sections": sections,
        "progress": progress_of(sections),
        "is_own": is_own,
        "to_review": [
            s
            for s in sections
            if reviewing and s.status == SectionStatus.READY and not s.is_removed
        ],
    }
    return render(request, "playbooks/playbook_detail.html", context)


@require_GET
def playbook_print(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access, found = _playbook(request, slug, member)
    sections = sections_of(found)
    context = {"access": access, "playbook": found, "sections": sections}
    context["progress"] = progress_of(sections)
    return render(request, "playbooks/playbook_print.html", context)


@require_GET
def playbook_download(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    _access, found = _playbook(request, slug, member)
    text = playbook_markdown(found, sections_of(found))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    name = slugify(f"playbook {found.membership.user.display_name}") or "playbook"
    response["Content-Disposition"] = f'attachment; filename="{name}.md"'
    return response


# --- One section -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def section(request: AuthedRequest, slug: str, section: int) -> HttpResponse:
    access, found = _section(request, slug, section)
    if request.method == "GET":
        return _render_section(request, access, found)
    return _from_editor(
        request, access, found, save_section, success=f"Saved at {timezone.localtime():%H:%M}."
    )


def _from_editor(
    request: AuthedRequest, access, found: Section, service, *, success: str
) -> HttpResponse:
    """Run `service` with the editor's text (save it, or save it and mark it ready). When
    it is refused, the page says why with the text still on it, whenever the text could
    otherwise be lost."""
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _render_section(request, access, found, form=form, status=400)
    try:
        service(section=found, by=request.user, **form.cleaned_data)
    except StaleSection as stale:
        return _render_conflict(request, access, stale)
    except PlaybookError as error:
        found.refresh_from_db()
        if found.status == SectionStatus.COMPLETE:
            # Marked complete while they wrote: their text stays on the page, to keep.
            return _render_section(
                request, access, found, completed_meanwhile=form.cleaned_data["body"], status=409
            )
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return _done(found)


def _render_conflict(request, access, stale: StaleSection) -> HttpResponse:
    """Both texts: what is saved now, and what they sent, in the editor on top of the
    newer version, so saving again keeps theirs on purpose."""
    current = stale.section
    form = SectionForm(
        initial={"body": stale.sent, "version": current.version, "editor": uuid4().hex}
    )
    return _render_section(request, access, current, form=form, conflict=stale, status=409)


def _render_section(request, access, found: Section, *, status=200, **extra) -> HttpResponse:
    mentee = found.playbook.membership
    can_edit = mentee.user_id == request.user.pk
    can_review = not can_edit and mentors(request.user, mentee)
    form = extra.pop("form", None)
    if can_edit and form is None and found.status != SectionStatus.COMPLETE:
        form = SectionForm(
            initial={"body": found.body, "version": found.version, "editor": uuid4().hex}
        )
    item = found.template_section
    context = {
        "access": access,
        "tab": "playbook",
        "section": found,
        "body_html": markdown_html(found.body) if found.body else "",
        "guidance_html": markdown_html(item.guidance) if item.guidance else "",
        "example_html": markdown_html(item.example) if item.example else "",
        "mentee": mentee,
        "form": form if can_edit else None,
        "can_edit": can_edit,
        "can_review": can_review,
        "can_comment": can_edit or can_review,
        "threads": _threads(found),
        "comment_form": CommentForm(),
        "send_back_form": extra.pop("send_back_form", None) or SendBackForm(),
        "autosave": {"url": _autosave_url(found)},
        "saved_label": _saved_label(found.updated_at),
        **extra,
    }
    return render(request, "playbooks/playbook_section.html", context, status=status)


def _saved_label(at: datetime | None) -> str:
    """When the text was last saved, as the editor's status line starts: the time alone
    only for today, so that weeks-old work does not look freshly saved."""
    if at is None:
        return ""
    local, today = timezone.localtime(at), timezone.localdate()
    if local.date() == today:
        return f"Saved {local:%H:%M}"
    if local.year == today.year:
        return f"Saved {local:%-d %b}, {local:%H:%M}"
    return f"Saved {local:%-d %b %Y}"


def _autosave_url(found: Section) -> str:
    return found.get_absolute_url() + "autosave/"


def _threads(found: Section) -> list[SectionComment]:
    comments = list(found.comments.select_related("author"))
    threads = [c for c in comments if c.parent_id is None]
    for thread in threads:
        # Read by the template; an attribute on the row keeps the thread with its comment.
        thread.thread_replies = [c for c in comments if c.parent_id == thread.pk]  # type: ignore[attr-defined]
    return threads


@require_POST
def section_autosave(request: AuthedRequest, slug: str, section: int) -> JsonResponse:
    """The editor's save, answered in JSON for static/js/autosave.js."""
    _access, found = _section(request, slug, section)
    form = SectionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "Not saved: the text could not be read."}, status=400)
    try:
        saved = save_section(section=found, by=request.user, **form.cleaned_data)
    except StaleSection as stale:
        data = {"error": str(stale), "version": stale.section.version, "body": stale.section.body}
        return JsonResponse(data, status=409)
    except PlaybookError as error:
        found.refresh_from_db()
        reason = str(error)
        if found.status == SectionStatus.COMPLETE:
            reason = "Not saved: your mentor marked this section complete. Press Save to keep it."
        return JsonResponse({"error": reason}, status=400)
    at = timezone.localtime(saved.updated_at or timezone.now())
    data = {"version": saved.version, "saved_at": at.isoformat(), "saved_label": f"{at:%H:%M}"}
    return JsonResponse({**data, "status": saved.get_status_display()})


@require_GET
def section_revisions(request: AuthedRequest, slug: str, section: int) -> HttpResponse:
    access, found = _section(request, slug, section)
    revisions = found.revisions.select_related("by")
    context = {"access": access, "tab": "playbook", "section": found, "revisions": revisions}
    context["can_restore"] = found.playbook.membership.user_id == request.user.pk
    return render(request, "playbooks/playbook_section_revisions.html", context)


@require_GET
def section_revision(
    request: AuthedRequest, slug: str, section: int, revision: int
) -> HttpResponse:
    access, found = _section(request, slug, section)
    shown = get_object_or_404(found.revisions.select_related("by"), pk=revision)
    context = {"access": access, "tab": "playbook", "section": found, "revision": shown}
    context["can_restore"] = found.playbook.membership.user_id == request.user.pk
    return render(request, "playbooks/playbook_section_revision.html", context)


@require_POST
def section_restore(request: AuthedRequest, slug: str, section: int, revision: int) -> HttpResponse:
    _access, found = _section(request, slug, section)
    shown = get_object_or_404(found.revisions, pk=revision)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return redirect("playbooks:section_revisions", slug, found.pk)
    try:
        restore_revision(revision=shown, by=request.user, version=form.cleaned_data["version"])
    except StaleSection:
        messages.error(request, "The section changed since you opened this page. Try again.")
        return redirect("playbooks:section_revision", slug, found.pk, shown.pk)
    except PlaybookError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Restored. The text it replaced is kept in the history.")
    return _done(found)


# --- Review and comments ---------------------------------------------------------------------


@require_POST
def section_submit(request: AuthedRequest, slug: str, section: int) -> HttpResponse:
    access, found = _section(request, slug, section)
    success = "Marked ready for review. Your mentor has been told."
    if "body" in request.POST:
        # From the editor: the text as it stands goes with it, so nothing typed in the last
        # moments is left behind.
        return _from_editor(request, access, found, submit_section_for_review, success=success)
    with reported(request, success=success):
        submit_section_for_review(section=found, by=request.user)
    return _done(found)


@require_POST
def section_reopen(request: AuthedRequest, slug: str, section: int) -> HttpResponse:
    _access, found = _section(request, slug, section)
    # With the text written while the mentor marked it complete: reopened with that text.
    form = SectionForm({"body": request.POST.get("body", ""), "version": 0})
    kept = form.cleaned_data["body"] if "body" in request.POST and form.is_valid() else None
    success = "Reopened, with your text saved." if kept is not None else ""
    with reported(request, success=success):
        reopen_section(section=found, by=request.user, body=kept)
    return _done(found)


def _posted_version(request: AuthedRequest) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@require_POST
def section_complete(request: AuthedRequest, slug: str, section: int) -> HttpResponse:
    _access, found = _section(request, slug, section)
    with reported(request, success=f"“{found.title}” is complete."):
        complete_section(
            section=found,
            by=request.user,
            version=_posted_version(request),
        )
    return _done(found)


@require_POST
def section_send_back(request: AuthedRequest, slug: str, section: int) -> HttpResponse:
    access, found = _section(request, slug, section)
    form = SendBackForm(request.POST)
    if not mentors(request.user, found.playbook.membership):
        label = access.programme.mentee_label
        raise PermissionDenied(f"Only the {label}'s mentor reviews their playbook.")
    if not form.is_valid():
        return _render_section(request, access, found, send_back_form=form, status=400)
    try:
        send_section_back(section=found, by=request.user, **form.cleaned_data)
    except PlaybookError as error:
        # Taken back meanwhile: what they wrote stays on the page, to send or post.
        found.refresh_from_db()
        if found.status in (SectionStatus.READY, SectionStatus.COMPLETE):
            messages.error(request, f"Not sent back: {error} Your comment is kept below.")
            return _render_section(request, access, found, send_back_form=form, status=409)
        if found.status_changed_by_id == request.user.pk:  # a second click, another tab
            why = "you had sent it back already"
        else:
            why = f"{found.playbook.membership.user.get_short_name()} took it back to drafting"
        messages.error(
            request,
            f"Not sent back: {why}. Your comment is kept below: post it as a comment if it "
            "adds something.",
        )
        comment = form.cleaned_data["comment"]
        return _render_section(request, access, found, new_comment=comment, status=409)
    messages.success(request, "Sent back with your comment.")
    return _done(found)


@require_POST
def section_comment(request: AuthedRequest, slug: str, section: int) -> HttpResponse:
    _access, found = _section(request, slug, section)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a comment first.")
        return _done(found)
    parent_id = form.cleaned_data["parent"]
    parent = get_object_or_404(found.comments, pk=parent_id) if parent_id else None
    with reported(request):
        comment_on_section(
            section=found,
            by=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
        )
    return redirect(found.get_absolute_url() + "#comments")


# --- The lead's template ---------------------------------------------------------------------


def _lead(request: AuthedRequest, slug: str) -> ProgrammeAccess:
    access = programme_access(request, slug)
    access.require_lead()
    return access


def _item(access: ProgrammeAccess, item: int) -> TemplateSection:
    return get_object_or_404(
        TemplateSection.objects.current().filter(programme=access.programme), pk=item
    )


@require_GET
def template(request: AuthedRequest, slug: str) -> HttpResponse:
    return _render_template(request, _lead(request, slug))


def _render_template(request, access, *, form=None, status=200) -> HttpResponse:
    items = TemplateSection.objects.filter(programme=access.programme)
    context = {
        "access": access,
        "tab": "playbook_template",
        "items": [i for i in items if i.archived_at is None],
        "removed": [i for i in items if i.archived_at is not None],
        "form": form or TemplateSectionForm(),
    }
    return render(request, "playbooks/playbook_template.html", context, status=status)


@require_POST
def template_add(request: AuthedRequest, slug: str) -> HttpResponse:
    access = _lead(request, slug)
    form = TemplateSectionForm(request.POST)
    if form.is_valid():
        with reported(request, form=form) as outcome:
            item = add_template_section(
                programme=access.programme, by=request.user, **form.cleaned_data
            )
            messages.success(request, f"Added “{item.title}” to every playbook.")
        if outcome.ok:
            return redirect("playbooks:template", slug)
    return _render_template(request, access, form=form, status=400)


@require_http_methods(["GET", "POST"])
def template_edit(request: AuthedRequest, slug: str, item: int) -> HttpResponse:
    access = _lead(request, slug)
    found = _item(access, item)
    initial = {f: getattr(found, f) for f in ("title", "guidance", "prompts", "example")}
    form = TemplateSectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = "Saved. Every playbook shows the change."
        with reported(request, success=saved, form=form) as outcome:
            change_template_section(item=found, by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("playbooks:template", slug)
    context = {"access": access, "tab": "playbook_template", "item": found, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "playbooks/playbook_template_edit.html", context, status=status)


@require_POST
def template_move(request: AuthedRequest, slug: str, item: int) -> HttpResponse:
    access = _lead(request, slug)
    found = _item(access, item)
    with reported(request):
        move_template_section(item=found, by=request.user, up=request.POST.get("direction") == "up")
    return redirect("playbooks:template", slug)


@require_POST
def template_remove(request: AuthedRequest, slug: str, item: int) -> HttpResponse:
    access = _lead(request, slug)
    found = _item(access, item)
    label = access.programme.mentee_label
    removed = f"Removed “{found.title}”. Anything {label}s wrote in it is kept."
    with reported(request, success=removed):
        remove_template_section(item=found, by=request.user)
    return redirect("playbooks:template", slug)
