"""Session logs for the pair, the mentee's side, guidelines, and the lead's figures."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.forms.session import ReflectionForm, SessionForm, action_formset
from mentoring.models import (
    AgreedAction,
    Guideline,
    GuidelineCheck,
    MentoringSession,
    Reflection,
    SessionFeedback,
    SessionStatus,
)
from mentoring.selectors.cadence import next_session_after
from mentoring.selectors.session import (
    own_sessions,
    session_aggregates,
    session_csv,
    session_figures,
)
from mentoring.selectors.session_list import Partner, partner_rows, session_page
from mentoring.selectors.session_log import log_actions
from mentoring.services.session import (
    SessionConflict,
    SessionError,
    discard_draft,
    mark_action,
    open_actions_before,
    reflect_on_session,
    save_session,
    start_session,
)
from programmes.access import AuthedRequest, programme_access
from programmes.errors import reported
from programmes.figures import cache_seconds, version
from programmes.models import AuditAction, Pairing, Role
from programmes.services import audit
from programmes.spreadsheet import csv_response

# --- Lists ------------------------------------------------------------------------------------


def _partners(user, mentor, slug: str) -> list[Partner]:
    logged = Q(sessions__status=SessionStatus.LOGGED)
    drafts = MentoringSession.objects.filter(pairing=OuterRef("pk"), status=SessionStatus.DRAFT)
    return partner_rows(
        Pairing.objects.visible_to(user)
        .active()
        .filter(mentor=mentor)
        .select_related("mentee__user", "mentee__current_phase")
        .annotate(
            logged=Count("sessions", filter=logged, distinct=True),
            last_held=Max("sessions__held_at", filter=logged),
            open_actions=Count(
                "sessions__actions",
                filter=logged & Q(sessions__actions__done_at__isnull=True),
                distinct=True,
            ),
            has_draft=Exists(drafts),
        )
        .order_by("mentee__user__name", "pk"),
        slug=slug,
    )


@require_GET
def session_list(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    if not (access.is_mentor or access.is_mentee):
        return redirect("mentoring:session_figures", slug=slug)
    mentor, mentee = access.membership(Role.MENTOR), access.membership(Role.MENTEE)
    mine = own_sessions(
        MentoringSession.objects.visible_to(request.user).filter(programme=access.programme),
        mentor=mentor,
        mentee=mentee,
    )
    context = {"access": access, "tab": "sessions"}
    page = request.GET.get("page")
    context["sessions"] = session_page(mine, reader=request.user, slug=slug, page=page)
    if mentor:
        context["partners"] = _partners(request.user, mentor, slug)
    if mentee:
        context["open_actions"] = (
            AgreedAction.objects.visible_to(request.user)
            .open()
            .filter(mentee=mentee, session__status=SessionStatus.LOGGED)
        )
    return render(request, "mentoring/session_list.html", context)


# --- The mentor's log -------------------------------------------------------------------------


@require_POST
def session_start(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access = programme_access(request, slug)
    pairing = get_object_or_404(
        Pairing.objects.visible_to(request.user).active().select_related("mentor"),
        programme=access.programme, mentee_id=member,
    )  # fmt: skip
    if pairing.mentor.user_id != request.user.pk:
        raise PermissionDenied("Only the mentor logs the pair's sessions.")
    session = start_session(pairing=pairing, by=request.user)
    return redirect("mentoring:session_edit", slug=slug, pk=session.pk)


def _session(request: AuthedRequest, access, pk: int) -> MentoringSession:
    return get_object_or_404(
        MentoringSession.objects.visible_to(request.user).select_related("programme", "pairing"),
        pk=pk, programme=access.programme,
    )  # fmt: skip


# What the mentor's log reads of the session beyond its own columns: the mentee's name and
# phase (for the activities open to them, `open_to`) and who the mentor is. Fewer joins than
# `visible_to` brings, which the database plans for each request.
_LOG_RELATED = ("programme", "mentee__user", "mentee__current_phase", "mentor")


def _mentor_session(request: AuthedRequest, access, pk: int) -> MentoringSession:
    visible = MentoringSession.objects.visible_to(request.user)
    session = get_object_or_404(
        visible.select_related(None).select_related(*_LOG_RELATED),
        pk=pk, programme=access.programme,
    )  # fmt: skip
    if session.mentor.user_id != request.user.pk:
        raise PermissionDenied("Only the mentor writes the session log.")
    return session


def _forms(request: AuthedRequest, session: MentoringSession, data=None):
    guidelines = (
        Guideline.objects.visible_to(request.user).current().filter(programme=session.programme)
    )
    if data is None:  # the form as saved: the carried actions and its own, in one query
        carried, own = log_actions(session)
    else:
        carried, own = list(open_actions_before(session)), None
    form = SessionForm(
        data,
        instance=session,
        initial={"version": session.version},
        guidelines=guidelines,
        carried=carried,
    )
    return form, action_formset(session, data, actions=own)


def _save(request: AuthedRequest, session, form, actions, *, log: bool) -> MentoringSession:
    return save_session(
        session=session,
        by=request.user,
        version=form.cleaned_data["version"],
        fields=form.session_fields(),
        actions=[row for row in actions.cleaned_data if row],
        done_action_ids=form.cleaned_data["done_actions"],
        checks=form.checks(),
        log=log,
    )


@require_http_methods(["GET", "POST"])
def session_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    session = _mentor_session(request, access, pk)
    form, actions = _forms(request, session, request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        log = "log" in request.POST
        if log and not session.is_draft:  # an edit to a log they can read already
            done = "Saved. Your partner reads the change."
        else:
            done = "Logged. Your partner can read it now." if log else "Saved."
        with reported(request, success=done, form=form) as outcome:
            saved = _save(request, session, form, actions, log=log)
        if outcome.ok:
            return redirect(saved.get_absolute_url() if log else request.path)
        if isinstance(outcome.error, SessionConflict):
            conflict = outcome.error  # re-shown with the current version: saving again keeps theirs
            form, actions = _forms(request, conflict.session, _with_version(request, conflict))
    context = {"access": access, "tab": "sessions", "session": session, "form": form}
    # Back on the page after a POST: refused (its errors are on the form) or in conflict.
    status = 409 if conflict else 400 if request.method == "POST" else 200
    context |= {"actions": actions, "conflict": conflict, "status": status}
    context["autosave"] = {"url": reverse("mentoring:session_autosave", args=[slug, pk])}
    return render(request, "mentoring/session_edit.html", context, status=context["status"])


def _with_version(request: AuthedRequest, conflict: SessionConflict):
    data = request.POST.copy()
    data["version"] = str(conflict.session.version)
    return data


@require_POST
def session_autosave(request: AuthedRequest, slug: str, pk: int) -> JsonResponse:
    access = programme_access(request, slug)
    session = _mentor_session(request, access, pk)
    if not session.is_draft:
        # The partner reads a logged session: it changes when its button is pressed, not
        # half-way through an edit.
        return JsonResponse(
            {"error": "Not saved: a logged session changes when you press “Save the log”."},
            status=400,
        )
    form, actions = _forms(request, session, request.POST)
    if not (form.is_valid() and actions.is_valid()):
        return JsonResponse({"error": "Not saved: check the highlighted fields."}, status=400)
    try:
        saved = _save(request, session, form, actions, log=False)
    except SessionConflict as error:
        return JsonResponse({"error": str(error), "version": error.session.version}, status=409)
    except SessionError as error:
        return JsonResponse({"error": str(error)}, status=400)
    ids = list(saved.actions.order_by("position").values_list("pk", flat=True))
    rows = [f"actions-{i}-id" for i, row in enumerate(actions.cleaned_data) if row.get("text")]
    saved_label = timezone.localtime(saved.updated_at).strftime("%H:%M")
    return JsonResponse(
        {
            "version": saved.version,
            "saved_label": saved_label,
            "actions": dict(zip(rows, ids, strict=True)),
        }
    )


@require_POST
def session_discard(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    session = _mentor_session(request, access, pk)
    with reported(request, success="Draft discarded."):
        discard_draft(session=session, by=request.user)
    return redirect("mentoring:sessions", slug=slug)


# --- Reading the record, and the mentee's side ----------------------------------------------


@require_GET
def session_detail(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    session = _session(request, access, pk)
    if session.is_draft:
        return redirect("mentoring:session_edit", slug=slug, pk=pk)
    is_mentee = session.mentee.user_id == request.user.pk
    reflection = Reflection.objects.visible_to(request.user).filter(session=session).first()
    feedback = SessionFeedback.objects.visible_to(request.user).filter(session=session).first()
    context = {"access": access, "tab": "sessions", "session": session, "is_mentee": is_mentee}
    context |= {"reflection": reflection, "feedback": feedback}
    context["actions"] = session.actions.select_related("done_by")
    context["closed"] = session.closed_actions.select_related("session")
    context["sections"] = session.sections.select_related("template_section")
    context["activities"] = session.activities.all()
    context["next_session"] = next_session_after(session)
    if not is_mentee:
        context["checks"] = (
            GuidelineCheck.objects.visible_to(request.user)
            .filter(session=session)
            .select_related("guideline")
        )
    context["reflect_form"] = _reflect_form(reflection, feedback) if is_mentee else None
    return render(request, "mentoring/session_detail.html", context)


def _reflect_form(reflection, feedback) -> ReflectionForm:
    initial = {"body": reflection.body, "shared": reflection.shared} if reflection else {}
    if feedback:
        answer = {True: "yes", False: "no"}.get(feedback.good_way_to_meet, "")
        initial |= {"rating": feedback.rating, "good_way_to_meet": answer}
        initial["frequency"] = feedback.frequency
    return ReflectionForm(initial=initial)


@require_POST
def session_reflect(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    session = _session(request, access, pk)
    if session.mentee.user_id != request.user.pk:
        raise PermissionDenied(
            f"Only {session.mentee.user.get_short_name()} reflects on this session: "
            "it is their side of the record."
        )
    form = ReflectionForm(request.POST)
    if form.is_valid():
        reflect_on_session(session=session, by=request.user, **form.cleaned_data)
        messages.success(request, _reflection_saved(form.cleaned_data, session))
    else:
        messages.error(request, "Not saved: choose one answer for each question.")
    return redirect(session.get_absolute_url())


def _reflection_saved(data: dict, session: MentoringSession) -> str:
    """What the mentee just saved, and exactly who sees which part of it."""
    mentor = session.mentor.user.get_short_name()
    answered = (
        data["rating"] is not None or data["good_way_to_meet"] is not None or data["frequency"]
    )
    if not data["body"].strip():
        said = ""
    elif data["shared"]:
        said = f" {mentor} can read your reflection."
    else:
        said = " Your reflection is private to you."
    if answered:
        said += f" {mentor} sees your rating and answers."
    return "Saved." + said


@require_POST
def action_done(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    action = get_object_or_404(
        AgreedAction.objects.visible_to(request.user).select_related("session"),
        pk=pk, session__programme=access.programme,
    )  # fmt: skip
    done = request.POST.get("done") == "1"
    mark_action(action=action, by=request.user, done=done)  # NotAllowed is a 403
    messages.success(request, f"“{action.text}”: {'done' if done else 'open again'}.")
    listed = request.POST.get("next") == "sessions"
    if request.htmx:
        return _action_row(request, access, action, listed=listed)
    if listed:
        return redirect("mentoring:sessions", slug=slug)
    return redirect(action.session.get_absolute_url())


def _action_row(
    request: AuthedRequest, access, action: AgreedAction, *, listed: bool
) -> HttpResponse:
    """The ticked action's row and its message, for htmx: in the mentee's open actions
    (`listed`) or on the session's record."""
    action.refresh_from_db()
    context = {"access": access, "action": action}
    if listed:
        return render(request, "mentoring/session_list.html#open_action_marked", context)
    context["is_mentee"] = action.session.mentee.user_id == request.user.pk
    return render(request, "mentoring/session_detail.html#action_marked", context)


# --- Guidelines ------------------------------------------------------------------------------


# --- The lead's figures ----------------------------------------------------------------------


@require_GET
def session_figures_page(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead_to_see()  # every pair's figures
    # The programme's aggregates are kept until a change to the programme moves its figures'
    # version on (programmes/figures.py), or the day or the cache's lifetime ends; the page
    # of pairs is read each time (their count is kept with the aggregates).
    key = f"session-figures-2:{slug}:{version(slug)}:{timezone.localdate().isoformat()}"
    aggregates = cache.get(key)
    if aggregates is None:
        aggregates = session_aggregates(access.programme)
        cache.set(key, aggregates, cache_seconds())
    figures = session_figures(access.programme, page=request.GET.get("page"), aggregates=aggregates)
    context = {"access": access, "tab": "session_figures", "figures": figures}
    context["pairs"] = figures["pairs"]
    return render(request, "mentoring/session_figures.html", context)


@require_GET
def session_figures_csv(request: AuthedRequest, slug: str) -> StreamingHttpResponse:
    access = programme_access(request, slug)
    access.require_lead_to_see()  # every pair's figures
    audit.record(
        AuditAction.EXPORTED,
        programme=access.programme,
        by=request.user,
        summary="Downloaded the session figures (CSV)",
    )
    filename = f"{access.programme.slug}-sessions-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(filename, *session_csv(access.programme))
