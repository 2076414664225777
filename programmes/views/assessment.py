"""Self-assessment pages: a mentee's baseline and follow-up, what their mentor and leads
read of it, and the lead's questions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programmes.access import AuthedRequest, ProgrammeAccess, programme_access
from programmes.errors import reported
from programmes.forms.assessment import AssessmentForm, FollowUpPointForm, QuestionForm
from programmes.models import AssessmentKind, AssessmentQuestion, Membership, QuestionKind, Role
from programmes.services.assessment import (
    AlreadySubmitted,
    Assessment,
    AssessmentError,
    Round,
    StaleAssessment,
    Submitted,
    add_question,
    change_question,
    load_assessment,
    move_question,
    remove_question,
    save_assessment,
    set_follow_up_point,
    topic_rows,
    with_submitted_answers,
)

ROUNDS = {"baseline": AssessmentKind.BASELINE, "follow-up": AssessmentKind.FOLLOW_UP}
ROUND_SLUGS: dict[str, str] = {kind: slug for slug, kind in ROUNDS.items()}


def _own_membership(access: ProgrammeAccess) -> Membership:
    membership = access.membership(Role.MENTEE)
    if membership is None:
        raise PermissionDenied(
            f"Only the {access.programme.mentee_label}s of this programme fill in a "
            "self-assessment."
        )
    return membership


def _kind(round_slug: str) -> str:
    if round_slug not in ROUNDS:
        raise Http404("No such assessment.")
    return ROUNDS[round_slug]


# --- The mentee's own assessment ------------------------------------------------------------


@require_GET
def assessment(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    data = load_assessment(_own_membership(access), include_drafts=True)
    context = {"access": access, "tab": "assessment", "assessment": data}
    return render(request, "programmes/assessment_overview.html", context)


@require_http_methods(["GET", "POST"])
def assessment_round(request: AuthedRequest, slug: str, round: str) -> HttpResponse:
    access = programme_access(request, slug)
    kind = _kind(round)
    data = load_assessment(_own_membership(access), include_drafts=True)
    round_ = data.round(kind)
    if not data.follow_up_point.is_open and kind == AssessmentKind.FOLLOW_UP:
        messages.info(request, f"Your follow-up is not open yet. {data.follow_up_point.opens_when}")
        return redirect("programmes:assessment", slug)
    if request.method == "POST":
        return _save_round(request, access, data, round_)
    form = None if round_.is_submitted else AssessmentForm.for_round(data, round_)
    return _render_round(request, access, data, round_, form)


def _save_round(
    request: AuthedRequest, access: ProgrammeAccess, data: Assessment, round_: Round
) -> HttpResponse:
    form = AssessmentForm(request.POST, questions=data.questions)
    if not form.is_valid():
        return _render_round(request, access, data, round_, form, status=400)
    submit = request.POST.get("action") == "submit"
    missing = form.missing() if submit else []
    try:
        response = save_assessment(
            membership=data.membership,
            kind=round_.kind,
            version=form.cleaned_data["version"],
            answers=form.answers(),
            submit=submit and not missing,
            by=request.user,
        )
    except (StaleAssessment, AlreadySubmitted) as error:
        return _render_conflict(request, access, data.membership, round_.kind, form, error)
    except AssessmentError as error:
        messages.error(request, str(error))
        return redirect("programmes:assessment", access.programme.slug)
    if missing:
        return _render_missing(request, access, data.membership, round_.kind, missing)
    if response.status == response.Status.SUBMITTED:
        messages.success(request, f"Thank you: your {round_.label.lower()} is submitted.")
        return redirect("programmes:assessment", access.programme.slug)
    messages.success(request, f"Draft saved at {timezone.localtime(response.updated_at):%H:%M}.")
    return redirect("programmes:assessment_round", access.programme.slug, ROUND_SLUGS[round_.kind])


def _render_missing(request, access, membership, kind, missing) -> HttpResponse:
    """Submitted with scores missing: saved as a draft, so nothing is lost, and the form
    shows what is left to answer."""
    data = load_assessment(membership, include_drafts=True)
    round_ = data.round(kind)
    form = AssessmentForm(_with_version(request.POST, round_.version), questions=data.questions)
    form.is_valid()
    form.flag_missing(missing)
    return _render_round(request, access, data, round_, form, missing=missing)


def _with_version(data: QueryDict, version: int) -> QueryDict:
    data = data.copy()
    data["version"] = str(version)
    return data


def _render_conflict(request, access, membership, kind, form, error) -> HttpResponse:
    """Refuse a stale save without losing it: what is saved now, what they sent, and (while
    still a draft) their answers in the form, ready to save over the newer ones on purpose."""
    data = load_assessment(membership, include_drafts=True)
    round_ = data.round(kind)
    sent = form.answers()
    differences = [
        (q, _shown(q, round_.answers.get(q.pk)), sent.get(q.pk))
        for q in data.questions
        if _shown(q, round_.answers.get(q.pk)) != (sent.get(q.pk) or None)
    ]
    if not round_.is_submitted:
        form = AssessmentForm(_with_version(request.POST, round_.version), questions=data.questions)
        form.is_valid()
    else:
        form = None
    extra = {"conflict": str(error), "differences": differences}
    return _render_round(request, access, data, round_, form, status=409, **extra)


def _shown(question: AssessmentQuestion, answer) -> int | str | None:
    if answer is None:
        return None
    return (answer.score if question.kind == QuestionKind.SCALE else answer.text) or None


def _render_round(request, access, data, round_, form, status=200, **extra) -> HttpResponse:
    slug_ = ROUND_SLUGS[round_.kind]
    context = {
        "access": access,
        "tab": "assessment",
        "assessment": data,
        "round": round_,
        "round_slug": slug_,
        "form": form,
        "column_help": _column_help(data.questions),
        **extra,
    }
    if form is not None:
        context["grid"] = topic_rows(data.questions, form.field_for)
        context["text_fields"] = [form.field_for(q) for q in data.text_questions]
        url = reverse("programmes:assessment_autosave", args=[access.programme.slug, slug_])
        context["autosave"] = {"url": url}
    return render(request, "programmes/assessment_round.html", context, status=status)


def _column_help(questions: list[AssessmentQuestion]) -> dict[str, str]:
    """What 1 to 5 means for each dimension, said once in the column heading."""
    help_by_dimension: dict[str, str] = {}
    for question in questions:
        if question.kind == QuestionKind.SCALE:
            help_by_dimension.setdefault(question.dimension, question.help_text)
    return help_by_dimension


@require_POST
def assessment_autosave(request: AuthedRequest, slug: str, round: str) -> JsonResponse:
    """The same save as the form's "Save draft", answered in JSON for static/js/autosave.js."""
    access = programme_access(request, slug)
    membership, kind = _own_membership(access), _kind(round)
    questions = list(AssessmentQuestion.objects.filter(programme=access.programme))
    form = AssessmentForm(request.POST, questions=questions)
    if not form.is_valid():
        return JsonResponse({"error": "Some answers could not be saved."}, status=400)
    try:
        response = save_assessment(
            membership=membership,
            kind=kind,
            version=form.cleaned_data["version"],
            answers=form.answers(),
            by=request.user,
        )
    except (StaleAssessment, AlreadySubmitted) as error:
        return JsonResponse({"error": str(error)}, status=409)
    except AssessmentError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"version": response.version, "saved_at": response.updated_at.isoformat()})


# --- What a mentor and the leads read -----------------------------------------------------


@require_GET
def member_assessment(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access = programme_access(request, slug)
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user"),
        pk=member,
        programme=access.programme,
        role=Role.MENTEE,
    )
    if membership.user_id == request.user.pk:
        return redirect("programmes:assessment", slug)
    membership.programme = access.programme
    data = load_assessment(membership, include_drafts=False)
    tab = "people" if access.is_lead else "overview"
    context = {"access": access, "tab": tab, "assessment": data, "mentee": membership}
    return render(request, "programmes/assessment_member.html", context)


# --- The lead's questions ---------------------------------------------------------------------


def _lead_access(request: AuthedRequest, slug: str) -> ProgrammeAccess:
    access = programme_access(request, slug)
    access.require_lead()
    return access


def _question(request: AuthedRequest, access: ProgrammeAccess, pk: int) -> AssessmentQuestion:
    return get_object_or_404(
        AssessmentQuestion.objects.visible_to(request.user), pk=pk, programme=access.programme
    )


@require_GET
def assessment_questions(request: AuthedRequest, slug: str) -> HttpResponse:
    return _questions_page(request, _lead_access(request, slug))


def _questions_page(request, access, *, add_form=None, follow_up_form=None, status=200):
    programme = access.programme
    questions = with_submitted_answers(programme.assessment_questions.order_by("position"))
    follow_up_form = follow_up_form or FollowUpPointForm(
        programme=programme, initial={"phase": programme.follow_up_after_id}
    )
    context = {
        "access": access,
        "tab": "questions",
        "questions": questions,
        "add_form": add_form or QuestionForm(),
        "follow_up_form": follow_up_form,
    }
    return render(request, "programmes/assessment_questions.html", context, status=status)


@require_POST
def assessment_question_add(request: AuthedRequest, slug: str) -> HttpResponse:
    access = _lead_access(request, slug)
    form = QuestionForm(request.POST)
    if form.is_valid():
        with reported(request, form=form) as outcome:
            question = add_question(
                programme=access.programme, by=request.user, **form.cleaned_data
            )
            messages.success(request, f"Added “{question.prompt}”.")
        if outcome.ok:
            return redirect("programmes:assessment_questions", slug)
    return _questions_page(request, access, add_form=form, status=400)


@require_http_methods(["GET", "POST"])
def assessment_question_edit(request: AuthedRequest, slug: str, question: int) -> HttpResponse:
    access = _lead_access(request, slug)
    found = _question(request, access, question)
    initial = {f: getattr(found, f) for f in ("kind", "topic", "dimension", "prompt", "help_text")}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with reported(request, success="Question saved.", form=form) as outcome:
            change_question(question=found, by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("programmes:assessment_questions", slug)
    context = {"access": access, "tab": "questions", "question": found, "form": form}
    context["answered"] = found.answers.filter(response__status=Submitted).count()
    status = 400 if request.method == "POST" else 200
    return render(request, "programmes/assessment_question_edit.html", context, status=status)


@require_POST
def assessment_question_move(request: AuthedRequest, slug: str, question: int) -> HttpResponse:
    access = _lead_access(request, slug)
    found = _question(request, access, question)
    with reported(request):
        move_question(question=found, by=request.user, up=request.POST.get("direction") == "up")
    return redirect(_questions_url(slug, found))


def _questions_url(slug: str, question: AssessmentQuestion) -> str:
    return reverse("programmes:assessment_questions", args=[slug]) + f"#question-{question.pk}"


@require_POST
def assessment_question_remove(request: AuthedRequest, slug: str, question: int) -> HttpResponse:
    access = _lead_access(request, slug)
    found = _question(request, access, question)
    with reported(request, success=f"Removed “{found.prompt}”."):
        remove_question(question=found, by=request.user)
    return redirect("programmes:assessment_questions", slug)


@require_POST
def assessment_follow_up_point(request: AuthedRequest, slug: str) -> HttpResponse:
    access = _lead_access(request, slug)
    form = FollowUpPointForm(request.POST, programme=access.programme)
    if not form.is_valid():
        return _questions_page(request, access, follow_up_form=form, status=400)
    phase = form.cleaned_data["phase"]
    set_follow_up_point(programme=access.programme, phase=phase, by=request.user)
    label = access.programme.mentee_label
    when = f"as each {label} completes {phase.name}" if phase else "at the end of the programme"
    messages.success(request, f"The follow-up now opens {when}.")
    return redirect("programmes:assessment_questions", slug)
