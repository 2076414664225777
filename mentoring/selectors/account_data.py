"""Everything the product holds about one person, for them to download: `data.json` and
each of their playbooks in Markdown, in one zip.

What goes in follows PRODUCT.md's "Who may see what": a person gets what is theirs and
what is about them that they may read in the product, and nothing that is another
person's private thing. So a mentee gets the session logs their mentor wrote for them (they
read those), but not their mentor's self-checks; a mentor gets, in full, the sessions of
the pairings they are in now (which they read), and of past partners only dates and
lengths, since what a pair said stays with that mentee once the pairing ends; nobody gets
another mentee's reflections, playbook or answers. Secrets (a password's hash, two-factor
keys, the calendar address) are never written out.

A fixed number of queries whatever the person holds: every list is one query.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from mentoring.models import (
    AgreedAction,
    CadenceAgreement,
    CalendarFeed,
    EngagementPreference,
    MentorChangeRequest,
    MentoringSession,
    MentorProfile,
    SessionStatus,
    User,
)
from playbooks.models import (
    Completion,
    PersonalTarget,
    Playbook,
    Section,
    SectionComment,
    SignOff,
    ThemeMapping,
)
from playbooks.selectors.playbook import playbook_markdown
from programmes.models import (
    AssessmentResponse,
    AuditEntry,
    Invitation,
    Membership,
    Notification,
    NotificationSettings,
    Pairing,
    PhaseProgress,
    PhaseTransition,
    Role,
    WorkshopSeat,
)

FORMAT = "mentoring-data-export/1"

README = """\
Your data from Mentoring, as it was on {when}.

data.json          everything the product holds about you, in one JSON document: your
                   account, notification settings, and for each programme your role, phases,
                   pairings, sessions, playbook, activities, answers and workshops; then the
                   notifications you received and what the audit trail recorded you doing.
{playbooks}
Nothing in here is another person's private writing. Your password and two-factor keys are
not included.
"""


def _when(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def _name(user: Any) -> str | None:
    return user.display_name if user is not None else None


# --- The parts --------------------------------------------------------------------------------


def _account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "name": user.name,
        "time_zone": user.time_zone,
        "joined": _when(user.date_joined),
        "last_signed_in": _when(user.last_login),
    }


def _sign_in(user: User) -> dict[str, Any]:
    return {
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "linked_accounts": [
            {"provider": a.provider, "joined": _when(a.date_joined)}
            for a in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "two_factor": [
            {"kind": a.type, "added": _when(a.created_at), "last_used": _when(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "has_password": user.has_usable_password(),
        "calendar_feeds": [
            {"created": _when(f.created_at), "turned_off": _when(f.revoked_at)}
            for f in CalendarFeed.objects.filter(user=user)
        ],
    }


def _notification_settings(user: User) -> dict[str, Any] | None:
    found = NotificationSettings.objects.filter(user=user).first()
    if found is None:
        return None
    return {
        "delivery": found.get_delivery_display(),
        "quiet_from": _when(found.quiet_from),
        "quiet_until": _when(found.quiet_until),
        "snoozed_until": _when(found.snoozed_until),
        "muted": found.muted_kinds,
        "updated": _when(found.updated_at),
    }


def _actions(actions: Iterable[AgreedAction]) -> list[dict[str, Any]]:
    return [
        {
            "text": a.text,
            "owner": a.get_owner_display(),
            "due_on": _when(a.due_on),
            "done_at": _when(a.done_at),
        }
        for a in actions
    ]


def _session(s: MentoringSession, *, side: str) -> dict[str, Any]:
    """A logged session as the given side of the pair reads it in the product."""
    row: dict[str, Any] = {
        "held_at": _when(s.held_at),
        "minutes": s.minutes,
        "channel": s.get_channel_display() or None,
        "phase": s.phase.name if s.phase else None,
        "mentor": s.mentor.user.display_name,
        "mentee": s.mentee.user.display_name,
        "topics": s.topics,
        "what_resonated": s.resonated,
        "learning_shared": s.learning_shared,
        "learning_kind": s.get_learning_kind_display() or None,
        "next_session_on": _when(s.next_session_on),
        "playbook_sections": [section.title for section in s.sections.all()],
        "activities": [activity.title for activity in s.activities.all()],
        "agreed_actions": _actions(s.actions.all()),
    }
    feedback = getattr(s, "feedback", None)
    row["feedback"] = (
        {
            "rating": feedback.rating,
            "good_way_to_meet": feedback.good_way_to_meet,
            "frequency": feedback.get_frequency_display() or None,
            "answered": _when(feedback.answered_at),
        }
        if feedback is not None
        else None
    )
    if side == Role.MENTEE:
        reflection = getattr(s, "reflection", None)
        row["your_reflection"] = (
            {"text": reflection.body, "shared_with_mentor": reflection.shared}
            if reflection is not None
            else None
        )
    else:
        row["your_guideline_checks"] = [
            {"guideline": c.guideline.text, "answer": c.get_answer_display(), "note": c.note}
            for c in s.guideline_checks.all()
        ]
    return row


def _sessions_query(q: Q) -> QuerySet[MentoringSession]:
    return (
        MentoringSession.objects.filter(q, status=SessionStatus.LOGGED)
        .select_related("phase", "mentor__user", "mentee__user", "feedback", "reflection")
        .prefetch_related(
            "sections__template_section",
            "activities",
            Prefetch("actions", queryset=AgreedAction.objects.order_by("position", "pk")),
            "guideline_checks__guideline",
        )
        .order_by("held_at", "pk")
    )


def _playbook(playbook: Playbook) -> dict[str, Any]:
    return {
        "created": _when(playbook.created_at),
        "sections": [
            {
                "title": section.title,
                "status": section.get_status_display(),
                "text": section.body,
                "updated": _when(section.updated_at),
                "revisions": [
                    {
                        "version": r.version,
                        "text": r.body,
                        "by": _name(r.by),
                        "saved": _when(r.saved_at),
                        "note": r.note,
                    }
                    for r in section.revisions.all()
                ],
                "comments": [
                    {
                        "by": _name(c.author),
                        "kind": c.get_kind_display(),
                        "text": c.body,
                        "at": _when(c.created_at),
                        "reply": c.parent_id is not None,
                    }
                    for c in section.comments.all()
                ],
            }
            for section in _shown(playbook)
        ],
    }


def _shown(playbook: Playbook) -> list[Section]:
    """The sections the playbook page shows, in its order (`SectionQuerySet.shown`)."""
    sections = [
        s for s in playbook.sections.all() if s.template_section.archived_at is None or s.body
    ]
    return sorted(sections, key=lambda s: (s.template_section.position, s.template_section_id))


@dataclass
class Holdings:
    """What `person_data` found: the JSON document, and the playbooks for Markdown."""

    data: dict[str, Any]
    playbooks: list[Playbook]


def person_data(user: User) -> Holdings:
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("programme", "current_phase", "user")
        .order_by("programme__name", "role")
    )
    ids = [m.pk for m in memberships]
    by_member: dict[str, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))

    def group(key: str, rows: Iterable[Any], attr: str = "membership_id") -> None:
        for row in rows:
            by_member[key][getattr(row, attr)].append(row)

    group(
        "progress",
        PhaseProgress.objects.filter(membership_id__in=ids)
        .select_related("phase")
        .order_by("phase__position"),
    )
    group("moves", PhaseTransition.objects.filter(membership_id__in=ids).select_related("by"))
    group("preferences", EngagementPreference.objects.filter(membership_id__in=ids))
    group("targets", PersonalTarget.objects.filter(membership_id__in=ids))
    group(
        "completions",
        Completion.objects.filter(membership_id__in=ids).select_related("activity"),
    )
    group(
        "assessments",
        AssessmentResponse.objects.filter(membership_id__in=ids)
        .prefetch_related("answers__question")
        .order_by("created_at"),
    )
    group(
        "seats",
        WorkshopSeat.objects.filter(membership_id__in=ids)
        .select_related("workshop")
        .order_by("workshop__starts_at"),
    )
    group("mappings", ThemeMapping.objects.filter(membership_id__in=ids).select_related("pillar"))
    group("sign_offs", SignOff.objects.filter(membership_id__in=ids).select_related("by"))
    group("requests", MentorChangeRequest.objects.filter(mentee_id__in=ids), attr="mentee_id")
    group("offers", MentorProfile.objects.filter(membership_id__in=ids))
    playbooks = list(
        Playbook.objects.filter(membership_id__in=ids)
        .select_related("membership__user", "membership__programme")
        .prefetch_related(
            "sections__template_section",
            "sections__revisions__by",
            Prefetch(
                "sections__comments",
                queryset=SectionComment.objects.select_related("author").order_by(
                    "created_at", "pk"
                ),
            ),
        )
    )
    group("playbooks", playbooks)

    pairings = list(
        Pairing.objects.filter(Q(mentee_id__in=ids) | Q(mentor_id__in=ids))
        .select_related("mentor__user", "mentee__user")
        .prefetch_related("agreements__proposed_by")
        .order_by("started_at", "pk")
    )
    # A mentee reads every session logged with them; a mentor those of the pairings they
    # are in now, exactly what `visible_to` shows them.
    as_mentee = _sessions_query(Q(mentee_id__in=ids))
    as_mentor = _sessions_query(
        Q(mentor_id__in=ids, pk__in=MentoringSession.objects.visible_to(user).values("pk"))
    )
    group("sessions_as_mentee", as_mentee, attr="mentee_id")
    group("sessions_as_mentor", as_mentor, attr="mentor_id")
    past_counts: dict[int, dict[str, Any]] = {
        row["pairing_id"]: dict(row)
        for row in MentoringSession.objects.logged()
        .filter(mentor_id__in=ids, pairing__ended_at__isnull=False)
        .values("pairing_id")
        .annotate(n=Count("pk"), first=Min("held_at"), last=Max("held_at"))
    }
    comments_elsewhere = list(
        SectionComment.objects.visible_to(user)
        .filter(author=user)
        .exclude(section__playbook__membership__user=user)
        .select_related("section__template_section", "section__playbook__membership__user")
        .order_by("created_at", "pk")
    )

    programmes = []
    for m in memberships:
        entry: dict[str, Any] = {
            "programme": m.programme.name,
            "role": m.role_label,
            "still_in_it": m.is_active,
            "joined": _when(m.joined_at),
        }
        if m.role == Role.MENTEE:
            entry |= _mentee_part(m, by_member, pairings)
        elif m.role == Role.MENTOR:
            entry |= _mentor_part(m, by_member, pairings, past_counts, comments_elsewhere)
        entry["activity_completions"] = [
            {
                "activity": c.activity.title,
                "done_on": _when(c.done_on),
                "evidence_link": c.evidence_url,
                "note": c.note,
                "what_worked": c.what_worked,
                "what_failed": c.what_failed,
                "logged": _when(c.created_at),
            }
            for c in by_member["completions"][m.pk]
        ]
        programmes.append(entry)

    data = {
        "format": FORMAT,
        "exported_at": _when(timezone.now()),
        "account": _account(user),
        "sign_in": _sign_in(user),
        "notification_settings": _notification_settings(user),
        "programmes": programmes,
        "invitations": [
            {
                "programme": i.programme.name,
                "role": i.get_role_display(),
                "name_given": i.name,
                "sent": _when(i.sent_at),
                "accepted": _when(i.accepted_at),
            }
            for i in Invitation.objects.filter(email__iexact=user.email)
            .select_related("programme")
            .order_by("created_at")
        ],
        "notifications": [
            {
                "title": n.title,
                "body": n.body,
                "why": n.reason,
                "link": n.link,
                "at": _when(n.created_at),
                "read": _when(n.read_at),
                "emailed": _when(n.emailed_at),
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
        ],
        "audit_trail": [
            {
                "programme": e.programme.name,
                "what": e.get_action_display(),
                "summary": e.summary,
                "at": _when(e.at),
                "from_address": e.ip,
            }
            for e in AuditEntry.objects.filter(actor=user)
            .select_related("programme")
            .order_by("at", "pk")
        ],
    }
    return Holdings(data=data, playbooks=playbooks)


def _mentee_part(
    m: Membership, by_member: dict[str, dict[int, list[Any]]], pairings: list[Pairing]
) -> dict[str, Any]:
    playbook = next(iter(by_member["playbooks"][m.pk]), None)
    target = next(iter(by_member["targets"][m.pk]), None)
    return {
        "current_phase": m.current_phase.name if m.current_phase else None,
        "operationalised": _when(m.operationalised_at),
        "paused_until": _when(m.paused_until),
        "phases": [
            {
                "phase": p.phase.name,
                "status": p.get_status_display(),
                "started": _when(p.started_at),
                "completed": _when(p.completed_at),
            }
            for p in by_member["progress"][m.pk]
        ],
        "phase_moves": [
            {
                "kind": t.get_kind_display(),
                "from": t.from_name,
                "to": t.to_name or "Business as usual",
                "by": _name(t.by) or "automatically",
                "note": t.note,
                "at": _when(t.at),
            }
            for t in by_member["moves"][m.pk]
        ],
        "engagement_preferences": [
            {
                "channels": p.channel_labels(),
                "cadence": p.get_cadence_display(),
                "session_minutes": p.session_minutes,
                "best_days": p.best_days,
                "best_times": p.best_times,
                "time_zone": p.time_zone,
                "reminders": p.get_reminders_display(),
                "quiet_from": _when(p.quiet_from),
                "quiet_until": _when(p.quiet_until),
                "from": _when(p.created_at),
                "until": _when(p.superseded_at),
            }
            for p in by_member["preferences"][m.pk]
        ],
        "personal_target_per_week": target.per_week if target else None,
        "pairings": [
            {
                "mentor": p.mentor.user.display_name,
                "started": _when(p.started_at),
                "ended": _when(p.ended_at),
                "why_it_ended": p.end_reason,
                "cadences": _cadences(p.agreements.all()),
            }
            for p in pairings
            if p.mentee_id == m.pk
        ],
        "sessions": [_session(s, side=Role.MENTEE) for s in by_member["sessions_as_mentee"][m.pk]],
        "playbook": _playbook(playbook) if playbook else None,
        "assessments": [
            {
                "round": r.get_kind_display(),
                "status": r.get_status_display(),
                "submitted": _when(r.submitted_at),
                "answers": [
                    {"question": a.question.prompt, "score": a.score, "text": a.text}
                    for a in sorted(r.answers.all(), key=lambda a: a.question.position)
                ],
            }
            for r in by_member["assessments"][m.pk]
        ],
        "workshops": [
            {
                "workshop": s.workshop.title,
                "starts": _when(s.workshop.starts_at),
                "booked": _when(s.booked_at),
                "attended": s.attended,
            }
            for s in by_member["seats"][m.pk]
        ],
        "requests_for_another_mentor": [
            {"reason": r.reason, "asked": _when(r.created_at), "resolved": _when(r.resolved_at)}
            for r in by_member["requests"][m.pk]
        ],
        "themes_mapped_to_the_business_strategy": [
            {
                "theme": t.theme,
                "pillar": t.pillar.name if t.pillar else None,
                "how_it_fits": t.how_it_fits,
            }
            for t in by_member["mappings"][m.pk]
        ],
        "sign_offs": [
            {"phase": s.phase_name, "by": _name(s.by), "note": s.note, "at": _when(s.at)}
            for s in by_member["sign_offs"][m.pk]
        ],
    }


def _mentor_part(
    m: Membership,
    by_member: dict[str, dict[int, list[Any]]],
    pairings: list[Pairing],
    past_counts: dict[int, dict[str, Any]],
    comments_elsewhere: list[SectionComment],
) -> dict[str, Any]:
    offer = next(iter(by_member["offers"][m.pk]), None)
    mine = [p for p in pairings if p.mentor_id == m.pk]
    return {
        "your_offer": {"partners_at_most": offer.capacity, "strengths": offer.strengths}
        if offer
        else None,
        "partners_now": [
            {
                "partner": p.mentee.user.display_name,
                "started": _when(p.started_at),
                "cadences": _cadences(p.agreements.all()),
            }
            for p in mine
            if p.ended_at is None
        ],
        "sessions_with_partners_now": [
            _session(s, side=Role.MENTOR) for s in by_member["sessions_as_mentor"][m.pk]
        ],
        # What a pair said stays with the mentee once the pairing ends: dates and counts.
        "past_partners": [
            {
                "started": _when(p.started_at),
                "ended": _when(p.ended_at),
                "sessions_logged": past_counts.get(p.pk, {}).get("n", 0),
                "first_session": _when(past_counts.get(p.pk, {}).get("first")),
                "last_session": _when(past_counts.get(p.pk, {}).get("last")),
            }
            for p in mine
            if p.ended_at is not None
        ],
        "your_comments_on_partners_playbooks": [
            {
                "partner": c.section.playbook.membership.user.display_name,
                "section": c.section.title,
                "text": c.body,
                "at": _when(c.created_at),
            }
            for c in comments_elsewhere
            if c.section.playbook.membership.programme_id == m.programme_id
        ],
    }


def _cadences(agreements: Iterable[CadenceAgreement]) -> list[dict[str, Any]]:
    return [
        {
            "cadence": a.get_cadence_display(),
            "channel": a.get_channel_display() or None,
            "status": a.get_status_display(),
            "proposed_by": _name(a.proposed_by),
            "proposed": _when(a.proposed_at),
            "answered": _when(a.answered_at),
        }
        for a in agreements
    ]


# --- The download -----------------------------------------------------------------------------


def playbook_filename(playbook: Playbook) -> str:
    return f"playbook-{slugify(playbook.membership.programme.slug) or playbook.pk}.md"


def data_archive(user: User) -> bytes:
    """The zip a person downloads: README.txt, data.json and playbook-<programme>.md."""
    held = person_data(user)
    buffer = io.BytesIO()
    names = [playbook_filename(p) for p in held.playbooks]
    listing = "".join(f"{name:<18} your playbook, in Markdown\n" for name in names)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        when = f"{timezone.localtime():%-d %B %Y}"
        archive.writestr("README.txt", README.format(when=when, playbooks=listing))
        archive.writestr(
            "data.json",
            json.dumps(held.data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        )
        for name, playbook in zip(names, held.playbooks, strict=True):
            archive.writestr(name, playbook_markdown(playbook, _shown(playbook)))
    return buffer.getvalue()
